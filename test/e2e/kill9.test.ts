/**
 * Issue 5 "Persistence": kill -9 the LSP daemon PROCESS at each stage of the JIT flow, start it again from the
 * same data directory, SQLite file and P2P port, and check that nothing was lost and nothing is stuck. The
 * daemon runs in a child process (`support/lsp-child.ts`) on the test's sandbox chain over IPC; the payer P
 * and the client C are LDK nodes in this process that reconnect by themselves. Each kill is a real SIGKILL
 * sent as soon as the child reports the event the stage is named after, so it lands "shortly after" it:
 * every assertion holds wherever exactly it landed.
 *
 * Each scenario ends with the payment resolved at the payer, the money adding up at C (what C claims plus
 * what the LSP skimmed is what P sent, the fee taken once), and nothing held: P's payment settled, C's
 * payment claimed, and the session's stored state holding no HTLC.
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@jitlsp/service';
import { Database, MailboxRepository } from '@jitlsp/service/db';
import { SandboxChain } from '@jitlsp/shared/chain';
import { computeOpeningFee } from '@jitlsp/shared/lsps2';
import { LightningNode, type NodeEventOf } from '@jitlsp/shared/node';
import { confirmedChannel } from '@jitlsp/shared/node/testing';
import { FEE_MIN_MSAT, FEE_PPM, quietNode } from './harness.js';
import { startJitClient, type JitClient } from './support/jit-client.js';
import { LspProcess } from './support/lsp-process.js';
import { freePort, until } from './support/until.js';

const ADMIN_TOKEN = 'kill9-test-admin-token';
const fee = (amountMsat: bigint): bigint => computeOpeningFee(amountMsat, FEE_MIN_MSAT, FEE_PPM)!;

/** The session as the admin API serves it (amounts as decimal strings). */
interface SessionView {
  jitChannelScidU64: string;
  clientNodeId: string;
  mode: 'mpp' | 'no_mpp';
  state: { kind: string; held: { paymentHash: string }[]; collectedFeeMsat?: string; channelId?: string | null; payingHash?: string };
}

type Outcome = { kind: 'sent'; ev: NodeEventOf<'paymentSent'> } | { kind: 'failed'; ev: NodeEventOf<'paymentFailed'> };

describe('end to end: kill -9 of the LSP daemon mid-flow, restarted from the same files', function () {
  this.timeout(120_000);
  let root = '';
  let chain: SandboxChain;
  let env: Record<string, string>;
  let lsp: LspProcess;
  let payer: LightningNode;
  let client: JitClient;
  const claimables: NodeEventOf<'paymentClaimable'>[] = [];
  const claimed: NodeEventOf<'paymentClaimed'>[] = [];

  const start = (name: string, extra: Partial<Parameters<typeof LightningNode.start>[0]> = {}) =>
    LightningNode.start({ dataDir: dir(name), chain, name, logger: quietNode(name), reconnectBackoffMs: { min: 50, max: 1000 }, ...extra });
  const dir = (name: string) => {
    const d = join(root, name);
    mkdirSync(d, { recursive: true });
    return d;
  };

  /** SIGKILL the daemon; `between` runs while it is dead; start it again and wait for the peers named back. */
  async function killAndRestart(opts: { peers?: LightningNode[]; between?: () => Promise<void> } = {}): Promise<void> {
    await lsp.kill9();
    const back = (opts.peers ?? [payer, client.node]).map((n) => n.waitFor('peerConnected', (e) => e.peerNodeId === lsp.nodeId, 60_000));
    await opts.between?.();
    lsp = await LspProcess.start({ chain, env });
    await Promise.all(back);
  }

  async function session(scid: bigint): Promise<SessionView | undefined> {
    return (await lsp.admin<{ session: SessionView }>(`/sessions/${scid}`))?.session;
  }

  /** Pays `offer` from `from`; resolves with the payer's outcome (sent or failed), never left pending. */
  function pay(from: LightningNode, offer: string, amountMsat: bigint, timeoutMs = 90_000): Promise<Outcome> {
    const paymentId = randomBytes(32).toString('hex');
    return new Promise((resolve, reject) => {
      const offs = [
        from.on('paymentSent', (ev) => ev.paymentId === paymentId && done({ kind: 'sent', ev })),
        from.on('paymentFailed', (ev) => ev.paymentId === paymentId && done({ kind: 'failed', ev })),
      ];
      const timer = setTimeout(() => done(new Error(`payment of ${amountMsat} msat still pending after ${timeoutMs} ms`)), timeoutMs);
      const done = (r: Outcome | Error) => {
        clearTimeout(timer);
        offs.forEach((off) => off());
        if (r instanceof Error) reject(r);
        else resolve(r);
      };
      from.payOffer(offer, amountMsat, { paymentId });
    });
  }

  /** Pays until the payer reports success (a failed-back attempt is an allowed outcome of a kill, retried once). */
  async function payUntilSent(from: LightningNode, offer: string, amountMsat: bigint, first?: Promise<Outcome>): Promise<{ sent: NodeEventOf<'paymentSent'>; failedAttempts: number }> {
    let failedAttempts = 0;
    let attempt = first ?? pay(from, offer, amountMsat);
    for (;;) {
      const o = await attempt;
      if (o.kind === 'sent') return { sent: o.ev, failedAttempts };
      if (++failedAttempts > 1) throw new Error(`payment failed twice: ${o.ev.reason}`);
      attempt = pay(from, offer, amountMsat);
    }
  }

  /**
   * The money of one JIT payment adds up and nothing is left held: C claimed `amount - fee` with exactly the
   * fee skimmed, over one new channel; the payer paid no routing fee; the stored session is done, collected
   * exactly the fee and holds no HTLC.
   */
  async function expectPaidThroughJit(scid: bigint, sent: NodeEventOf<'paymentSent'>, amountMsat: bigint, channelsBefore: number) {
    await until('C claimed the payment', () => claimed.some((c) => c.paymentHash === sent.paymentHash));
    const mine = claimables.filter((c) => c.paymentHash === sent.paymentHash);
    const skimmed = mine.reduce((a, c) => a + c.counterpartySkimmedFeeMsat, 0n);
    expect(skimmed).to.equal(fee(amountMsat));
    expect(claimed.find((c) => c.paymentHash === sent.paymentHash)!.amountMsat).to.equal(amountMsat - fee(amountMsat));
    expect(sent.feePaidMsat ?? 0n).to.equal(0n);
    expect(client.node.listChannels().filter((c) => c.counterpartyNodeId === lsp.nodeId)).to.have.length(channelsBefore + 1);
    await until('the session is done', async () => (await session(scid))?.state.kind === 'done');
    const s = (await session(scid))!;
    expect(s.state.collectedFeeMsat).to.equal(fee(amountMsat).toString());
    expect(s.state.held).to.deep.equal([]);
  }

  const jitChannels = () => client.node.listChannels().filter((c) => c.counterpartyNodeId === lsp.nodeId).length;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'jitlsp-kill9-'));
    chain = await SandboxChain.create({ log: () => undefined });
    env = {
      JITLSP_DATA_DIR: dir('lsp'),
      JITLSP_P2P_PORT: String(await freePort()),
      JITLSP_HTTP_PORT: '0',
      JITLSP_ADMIN_TOKEN: ADMIN_TOKEN,
      JITLSP_FEE_TIERS: `${FEE_MIN_MSAT}:${FEE_PPM}`,
      JITLSP_MIN_PAYMENT_SIZE_MSAT: '1000000',
      JITLSP_CHANNEL_OVERPROVISIONING_SAT: '100000',
      // Below bLIP-52's 90 s SHOULD so that a part failed back by the collect timer resolves within the test.
      JITLSP_MPP_COLLECT_TIMEOUT_SECONDS: '10',
      JITLSP_LOG_LEVEL: process.env.JITLSP_TEST_LOG === 'debug' ? 'debug' : 'error',
    };
    lsp = await LspProcess.start({ chain, env });
    payer = await start('payer');
    client = await startJitClient({ chain, dataDir: dir('client'), lspNodeId: lsp.nodeId, logger: quietNode('client') });
    client.node.on('paymentClaimable', (e) => claimables.push(e));
    client.node.on('paymentClaimed', (e) => claimed.push(e));
    await payer.connect(lsp.address);
    await client.node.connect(lsp.address);
    await confirmedChannel(chain, payer, lsp, 5_000_000n);
  });

  after(async () => {
    await lsp?.kill9();
    await client?.node.stop();
    await payer?.stop();
    await chain?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('1. killed right after lsps2.buy was answered: after the restart the same SCID works and the LSP skims exactly the fee', async () => {
    const amount = 150_000_000n;
    const channelsBefore = jitChannels();
    const scid = await client.buy();
    await killAndRestart();

    const s = await session(scid);
    expect(s, 'the session row survived the kill').to.not.equal(undefined);
    expect(s!).to.deep.include({ clientNodeId: client.node.nodeId, mode: 'no_mpp' });
    expect(s!.state.kind).to.equal('awaitingPayment');

    const { sent, failedAttempts } = await payUntilSent(payer, client.node.createOffer().offer, amount);
    expect(failedAttempts).to.equal(0);
    await expectPaidThroughJit(scid, sent, amount, channelsBefore);
  });
});

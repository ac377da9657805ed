/**
 * Crash safety: kill -9 the LSP daemon PROCESS at each stage of the JIT flow, start it again from the
 * same data directory, SQLite file and P2P port, and check that nothing was lost and nothing is stuck. The
 * daemon runs in a child process (`support/lsp-child.ts`) on the test's sandbox chain over IPC; the payer P
 * and the client C are LDK nodes in this process that reconnect by themselves. Each kill is a real SIGKILL
 * sent as soon as the child reports the event the stage is named after, so it lands "shortly after" it:
 * every assertion holds wherever exactly it landed.
 *
 * Each scenario ends with the payment resolved at the payer, the money adding up at C (what C claims plus
 * what the LSP skimmed is what P sent, the fee taken once), and nothing held: the session's stored state holds
 * no HTLC and no channel of P, L or C has a pending HTLC. After every restart the session row is read back
 * through the daemon's admin API (from its SQLite file).
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@jitlsp/service';
import { Database, MailboxRepository } from '@jitlsp/service/db';
import { SandboxChain } from '@jitlsp/engine/chain';
import { computeOpeningFee } from '@jitlsp/shared/lsps2';
import { LightningNode, type NodeEventOf } from '@jitlsp/engine/node';
import { confirmedChannel } from '@jitlsp/engine/testing';
import { FEE_MIN_MSAT, FEE_PPM, quietNode } from './harness.js';
import { startJitClient, type JitClient } from './support/jit-client.js';
import { LspProcess } from './support/lsp-process.js';
import { freePort, until } from './support/until.js';

const ADMIN_TOKEN = 'kill9-test-admin-token';
const fee = (amountMsat: bigint): bigint => computeOpeningFee(amountMsat, FEE_MIN_MSAT, FEE_PPM)!;

/** The session as the admin API serves it (amounts as decimal strings). */
interface SessionView {
  clientNodeId: string;
  mode: 'mpp' | 'no_mpp';
  state: {
    kind: string;
    held: { interceptId: string; paymentHash: string; amountMsat: string }[];
    failed: { interceptId: string; reason: string }[];
    collectedFeeMsat?: string;
    channelId?: string | null;
  };
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
  let payer2: LightningNode | undefined;
  const claimables: NodeEventOf<'paymentClaimable'>[] = [];
  const claimed: NodeEventOf<'paymentClaimed'>[] = [];

  const start = (name: string) =>
    LightningNode.start({
      dataDir: dir(name),
      chain,
      name,
      logger: quietNode(name),
      reconnectBackoffMs: { min: 50, max: 1000 },
    });
  const dir = (name: string) => {
    const d = join(root, name);
    mkdirSync(d, { recursive: true });
    return d;
  };

  /** L's peers in this file: P, C and, once started, the splitting payer. */
  const peers = (): LightningNode[] => [payer, client.node, ...(payer2 ? [payer2] : [])];

  /**
   * The payer of the MPP scenarios: two fresh 100,000 sat channels to L per call (each scenario has its own
   * liquidity), each too small for the payments, so LDK splits them. The node is started on first use.
   */
  async function splittingPayer(): Promise<LightningNode> {
    if (!payer2) {
      payer2 = await start('payer2');
      await payer2.connect(lsp.address);
    }
    const p2 = payer2;
    const usable = p2.listChannels().filter((c) => c.isUsable).length;
    for (let i = 0; i < 2; i++) {
      const pending = p2.waitFor('channelPending');
      await p2.openChannel({ peer: lsp.nodeId, capacitySat: 100_000n });
      await pending;
    }
    await chain.mine(6);
    await until(
      'two more payer2 channels usable',
      () => p2.listChannels().filter((c) => c.isUsable).length === usable + 2,
    );
    return p2;
  }

  /** SIGKILL the daemon; `between` runs while it is dead; start it again and wait for the peers named back. */
  async function killAndRestart(opts: { peers?: LightningNode[]; between?: () => Promise<void> } = {}): Promise<void> {
    await lsp.kill9();
    const back = (opts.peers ?? peers()).map((n) =>
      n.waitFor('peerConnected', (e) => e.peerNodeId === lsp.nodeId, 60_000),
    );
    await opts.between?.();
    lsp = await LspProcess.start({ chain, env });
    await Promise.all(back);
  }

  async function session(scid: bigint): Promise<SessionView | undefined> {
    return (await lsp.admin<{ session: SessionView }>(`/sessions/${scid}`))?.session;
  }

  /** Pays `offer` from `from`; resolves with the payer's outcome (sent or failed), never left pending. */
  function pay(
    from: LightningNode,
    offer: string,
    amountMsat: bigint,
    opts: { retries?: number; timeoutMs?: number } = {},
  ): Promise<Outcome> {
    const timeoutMs = opts.timeoutMs ?? 90_000;
    const paymentId = randomBytes(32).toString('hex');
    return new Promise((resolve, reject) => {
      const offs = [
        from.on('paymentSent', (ev) => ev.paymentId === paymentId && done({ kind: 'sent', ev })),
        from.on('paymentFailed', (ev) => ev.paymentId === paymentId && done({ kind: 'failed', ev })),
      ];
      const timer = setTimeout(
        () => done(new Error(`payment of ${amountMsat} msat still pending after ${timeoutMs} ms`)),
        timeoutMs,
      );
      const done = (r: Outcome | Error) => {
        clearTimeout(timer);
        offs.forEach((off) => off());
        if (r instanceof Error) reject(r);
        else resolve(r);
      };
      from.payOffer(offer, amountMsat, { paymentId, retries: opts.retries });
    });
  }

  /** Pays until the payer reports success (a failed-back attempt is an allowed outcome of a kill, retried once). */
  async function payUntilSent(
    from: LightningNode,
    offer: string,
    amountMsat: bigint,
    first?: Promise<Outcome>,
  ): Promise<{ sent: NodeEventOf<'paymentSent'>; failedAttempts: number }> {
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
  async function expectPaidThroughJit(
    scid: bigint,
    sent: NodeEventOf<'paymentSent'>,
    amountMsat: bigint,
    channelsBefore: number,
  ) {
    await until('C claimed the payment', () => claimed.some((c) => c.paymentHash === sent.paymentHash));
    const mine = claimables.filter((c) => c.paymentHash === sent.paymentHash);
    const skimmed = mine.reduce((a, c) => a + c.counterpartySkimmedFeeMsat, 0n);
    expect(skimmed).to.equal(fee(amountMsat));
    expect(claimed.find((c) => c.paymentHash === sent.paymentHash)!.amountMsat).to.equal(amountMsat - fee(amountMsat));
    expect(sent.feePaidMsat ?? 0n).to.equal(0n);
    expect(client.node.listChannels().filter((c) => c.counterpartyNodeId === lsp.nodeId)).to.have.length(
      channelsBefore + 1,
    );
    await until('the session is done', async () => (await session(scid))?.state.kind === 'done');
    const s = (await session(scid))!;
    expect(s.state.collectedFeeMsat).to.equal(fee(amountMsat).toString());
    expect(s.state.held).to.deep.equal([]);
    await nothingPending();
  }

  /** No HTLC left in any channel between L and its peers: every part was settled or failed back. */
  async function nothingPending(): Promise<void> {
    const nodes = peers();
    const ids = new Set(nodes.map((n) => n.nodeId));
    const idle = (n: LightningNode) => n.listChannels().every((c) => c.pendingHtlcs.length === 0);
    await until('no HTLC pending at P, L or C', async () => {
      const l = (await lsp.admin<{ channels: { counterpartyNodeId: string; pendingHtlcs: unknown[] }[] }>(
        '/channels',
      ))!;
      return (
        nodes.every(idle) && l.channels.every((c) => !ids.has(c.counterpartyNodeId) || c.pendingHtlcs.length === 0)
      );
    });
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
      JITLSP_MPP_COLLECT_TIMEOUT_SECONDS: '15',
      JITLSP_LOG_LEVEL: process.env.JITLSP_TEST_LOG === 'debug' ? 'debug' : 'error',
    };
    lsp = await LspProcess.start({ chain, env });
    payer = await start('payer');
    client = await startJitClient({
      chain,
      dataDir: dir('client'),
      lspNodeId: lsp.nodeId,
      logger: quietNode('client'),
    });
    client.node.on('paymentClaimable', (e) => claimables.push(e));
    client.node.on('paymentClaimed', (e) => claimed.push(e));
    await payer.connect(lsp.address);
    await client.node.connect(lsp.address);
    await confirmedChannel(chain, payer, lsp, 5_000_000n);
  });

  // A scenario that failed between a kill and the restart (or with C offline) must not take the next ones down.
  beforeEach(async () => {
    if (!lsp.alive) lsp = await LspProcess.start({ chain, env });
    for (const n of peers()) if (!n.listPeers().some((p) => p.nodeId === lsp.nodeId)) await n.connect(lsp.address);
  });

  // A failed scenario leaves the evidence a bug report needs: the stored sessions and L's pending HTLCs.
  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    const dump = async (path: string) => JSON.stringify(await lsp.admin(path).catch((e: unknown) => String(e)));
    process.stderr.write(
      `kill9 diagnostics\n  sessions ${await dump('/sessions?limit=3')}\n  channels ${await dump('/channels')}\n`,
    );
  });

  after(async () => {
    await lsp?.kill9();
    await payer2?.stop();
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

  // Guards the durable htlcIntercepted: LDK 0.1 never emits HTLCIntercepted again after a restart, so before
  // the node kept the event until the shell had stored the part, a part reported but not yet stored when the
  // kill landed (two runs in three here) stayed committed on the payer's channel, unknown to the session,
  // until its CLTV expiry.
  it('2. killed while the first part of an MPP payment is held: after the restart the session is there and the payment completes or is failed back promptly, never held to its CLTV expiry', async () => {
    const amount = 150_000_000n;
    const p2 = await splittingPayer();
    const channelsBefore = jitChannels();
    const scid = await client.buy(amount);
    const offer = client.node.createOffer().offer;
    const firstPart = lsp.waitFor('htlcIntercepted', (e) => e.requestedNextHopScid === scid, 60_000);
    const first = pay(p2, offer, amount);
    await firstPart;
    await killAndRestart();

    const s = await session(scid);
    expect(s, 'the session row survived the kill').to.not.equal(undefined);
    expect(s!.mode).to.equal('mpp');
    // bLIP-52: the parts of one payment are collected until payment_size_msat (then the channel opens) or
    // failed by the collect timer; a failed-back attempt is retried by the payer on the same session.
    const { sent } = await payUntilSent(p2, offer, amount, first);
    await expectPaidThroughJit(scid, sent, amount, channelsBefore);
  });

  /**
   * Pays `amount` through a fresh no-MPP session and kills L as soon as it reports `event` for the JIT channel.
   * Two outcomes are legitimate, depending on where the kill landed: the held HTLC goes over the channel after
   * the restart, or (when L had already forwarded it and the forward died with the process) LDK fails it back
   * on reload, the session keeps the open channel (channelOpen) and the payer's retry pays over it. Either way
   * the payment succeeds, the fee is skimmed once, and no second channel is funded.
   */
  async function killOnJitChannelEvent(event: 'channelPending' | 'channelReady', amount: bigint): Promise<void> {
    const channelsBefore = jitChannels();
    const scid = await client.buy();
    const opened = lsp.waitFor(event, (e) => e.counterpartyNodeId === client.node.nodeId, 60_000);
    const first = pay(payer, client.node.createOffer().offer, amount);
    const channel = await opened;
    await killAndRestart();

    const s = await session(scid);
    expect(s, 'the session row survived the kill').to.not.equal(undefined);
    expect(s!.state.kind).to.be.oneOf(['openingChannel', 'awaitingForward', 'channelOpen', 'done']);
    const { sent } = await payUntilSent(payer, client.node.createOffer().offer, amount, first);
    await expectPaidThroughJit(scid, sent, amount, channelsBefore);
    expect(
      (await session(scid))!.state.channelId,
      'the session paid over the channel whose open the kill interrupted',
    ).to.equal(channel.channelId);
  }

  // Guards the durable channelPending/channelReady (emitted in one node pass for a zero-conf channel): before,
  // a kill before the shell stored them (half the runs here) left the session in openingChannel for good (the
  // restarted shell finds the channel by user_channel_id and skips the open; nothing feeds the machine the
  // events) and the paying HTLC held until its CLTV expiry.
  it('3. killed during the channel open (on the LSP channelPending): after the restart the payment goes over that channel with the fee skimmed once', async () => {
    await killOnJitChannelEvent('channelPending', 60_000_000n);
  });

  it('4. killed right after the JIT channel is ready: after the restart the payment goes over that channel and the fee is skimmed exactly once', async () => {
    await killOnJitChannelEvent('channelReady', 70_000_000n);
  });

  it('5. onion messages held for the offline client survive a kill -9 and are delivered in order when it connects', async () => {
    const [amountA, amountB] = [3_000_000n, 4_000_000n];
    const channelsBefore = jitChannels();
    const scid = await client.buy();
    const offer = client.node.createOffer().offer;
    const gone = lsp.waitFor('peerDisconnected', (e) => e.peerNodeId === client.node.nodeId);
    client.node.disconnect(lsp.nodeId);
    await gone;

    // Two payments one after the other: each invoice_request is held (stored) before the next is sent.
    const intercepted = () =>
      lsp.events.filter((e) => e.type === 'onionMessageIntercepted' && e.peerNodeId === client.node.nodeId).length;
    const allHeld = async () => {
      const held = await lsp.metric('jitlsp_onion_messages_held_total');
      return held > 0 && held === intercepted() ? held : 0;
    };
    const a = pay(payer, offer, amountA);
    await until('the first invoice_request is held', async () => (await allHeld()) >= 1);
    const heldA = await allHeld();
    const b = pay(payer, offer, amountB);
    await until('the second invoice_request is held', async () => (await allHeld()) > heldA);
    const heldBefore = await allHeld();

    await killAndRestart({
      peers: [payer],
      // While the daemon is dead, its SQLite file holds every message, in order, for the client only.
      between: async () => {
        const db = await Database.open(loadConfig(env).database);
        try {
          const stored = await new MailboxRepository(db).loadAll();
          expect(stored).to.have.length(heldBefore);
          expect(stored.every((m) => m.peerNodeId === client.node.nodeId)).to.equal(true);
        } finally {
          await db.close();
        }
      },
    });
    const s = await session(scid);
    expect(s, 'the session row survived the kill').to.not.equal(undefined);
    expect(s!.state.kind).to.equal('awaitingPayment');

    const restartedAt = lsp.events.length;
    await client.node.connect(lsp.address);
    const [sentA, sentB] = await Promise.all([
      payUntilSent(payer, offer, amountA, a),
      payUntilSent(payer, offer, amountB, b),
    ]);
    expect(await lsp.metric('jitlsp_onion_messages_delivered_total')).to.be.at.least(heldBefore);
    // Delivered in order: the client answered A's invoice_request first, so A's HTLC reached the LSP first
    // and A (not B) is the payment that opened the channel and paid the fee.
    const htlcs = lsp.events
      .slice(restartedAt)
      .filter(
        (e): e is NodeEventOf<'htlcIntercepted'> => e.type === 'htlcIntercepted' && e.requestedNextHopScid === scid,
      );
    expect(htlcs.map((e) => e.expectedOutboundAmountMsat).filter((v, i, all) => all.indexOf(v) === i)).to.deep.equal([
      amountA,
      amountB,
    ]);
    await until('C claimed both payments', () =>
      [sentA, sentB].every(({ sent }) => claimed.some((c) => c.paymentHash === sent.paymentHash)),
    );
    const skim = (h: string) =>
      claimables.filter((c) => c.paymentHash === h).reduce((acc, c) => acc + c.counterpartySkimmedFeeMsat, 0n);
    expect(skim(sentA.sent.paymentHash)).to.equal(fee(amountA));
    expect(skim(sentB.sent.paymentHash)).to.equal(0n);
    expect(jitChannels()).to.equal(channelsBefore + 1);
    await until('the session is done', async () => (await session(scid))?.state.kind === 'done');
    expect((await session(scid))!.state.collectedFeeMsat).to.equal(fee(amountA).toString());
    await nothingPending();
  });

  it('6. killed while the client claims the forwarded HTLC: after the restart the preimage reaches the payer and the fee is recorded once', async () => {
    const amount = 80_000_000n;
    const channelsBefore = jitChannels();
    const scid = await client.buy();
    // C claims as soon as the payment is claimable (its handler runs first): L dies with the fulfill on the way.
    const claimable = client.node.waitFor('paymentClaimable', undefined, 60_000);
    const first = pay(payer, client.node.createOffer().offer, amount);
    await claimable;
    await killAndRestart();

    const s = await session(scid);
    expect(s, 'the session row survived the kill').to.not.equal(undefined);
    expect(s!.state.kind).to.be.oneOf(['awaitingForward', 'done']);
    const { sent, failedAttempts } = await payUntilSent(payer, client.node.createOffer().offer, amount, first);
    expect(failedAttempts).to.equal(0);
    await expectPaidThroughJit(scid, sent, amount, channelsBefore);
  });

  it('7. killed while every part of an incomplete MPP payment is stored as held: after the restart the session still holds them, the collect timer fails them back promptly, and the full payment then opens the channel', async () => {
    const size = 150_000_000n;
    const partial = 100_000_000n; // above one channel's capacity: split, and short of payment_size_msat
    const p2 = await splittingPayer();
    const channelsBefore = jitChannels();
    const scid = await client.buy(size);
    const offer = client.node.createOffer().offer;
    const heldMsat = async () =>
      ((await session(scid))?.state.held ?? []).reduce((a, h) => a + BigInt(h.amountMsat), 0n);
    const attempt = pay(p2, offer, partial, { retries: 0 });
    await until('every part is stored as held', async () => (await heldMsat()) === partial);
    const stored = (await session(scid))!.state.held.map((h) => h.interceptId);
    expect(stored.length).to.be.at.least(2);
    await killAndRestart();

    // The restarted daemon holds them, or (on a slow restart) its collect timer already failed them: either
    // way it knew every stored part from the database alone.
    const s = await session(scid);
    expect(s, 'the session row survived the kill').to.not.equal(undefined);
    const known = [...s!.state.held.map((h) => h.interceptId), ...s!.state.failed.map((f) => f.interceptId)];
    expect(known).to.include.members(stored);
    // bLIP-52 MUST #19: the incomplete set fails with temporary_channel_failure when the collect timer (15 s
    // here, counted from the stored arrival times) runs out; the payer sees the failure, the CLTV is not awaited.
    expect((await attempt).kind).to.equal('failed');
    const after = (await session(scid))!;
    expect(after.state.kind).to.equal('awaitingPayment');
    expect(after.state.held).to.deep.equal([]);
    expect(after.state.failed.filter((f) => stored.includes(f.interceptId)).map((f) => f.reason)).to.deep.equal(
      stored.map(() => 'temporary_channel_failure'),
    );
    await nothingPending();

    const { sent } = await payUntilSent(p2, offer, size);
    await expectPaidThroughJit(scid, sent, size, channelsBefore);
  });
});

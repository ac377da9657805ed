/**
 * Issue 5 "restart in the middle of each stage", the stages `jit-flow.test.ts` does not cover, against three
 * real LDK nodes over TCP (payer P -> LSP L -> client C) and the service's SQLite database. A "restart" stops
 * the JIT core, the LSP node and the database, then starts all three again from the same data directory and
 * database file (the node persists its ChannelManager on every change, so its files are what a kill -9 leaves):
 *  1. onion messages held for the offline client survive the restart and reach it when it reconnects;
 *  2. the LSP dies after the JIT channel is ready but before the paying HTLC was forwarded (`awaitingForward`):
 *     after the restart the intercepted HTLC goes over the SAME channel with exactly the opening fee skimmed.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SandboxChain } from '@jitlsp/shared/chain';
import { parseScid } from '@jitlsp/shared/lsps0';
import { LightningNode, type NodeLogger, type NodeOptions } from '@jitlsp/shared/node';
import { confirmedChannel, viaPeerMessageRouter, viaPeerRouter } from '@jitlsp/shared/node/testing';
import { Database } from '../../src/db/database.js';
import { MailboxRepository } from '../../src/db/repositories/mailbox.repository.js';
import { SessionRepository } from '../../src/db/repositories/session.repository.js';
import type { Lsps0Dispatcher } from '../../src/lsps0/dispatcher.js';
import type { NodePort } from '../../src/lsps2/node-port.js';
import { createLsps2Server } from '../../src/lsps2/server.js';
import { JitShell } from '../../src/lsps2/shell.js';

const quiet: NodeLogger = { log: (level, msg, fields) => level === 'error' && process.stderr.write(`${msg} ${JSON.stringify(fields ?? {}, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`) };

/** Waits for a condition driven by node events (not a timed assertion: it fails only after 30 s). */
async function until(cond: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('until: condition not reached');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('integration: the LSP restarts in the middle of a JIT stage (three LDK nodes, SQLite)', function () {
  this.timeout(180_000);
  const dirs: string[] = [];
  let chain: SandboxChain;
  let p: LightningNode;
  let l: LightningNode;
  let c: LightningNode;
  let db: Database;
  let sessions: SessionRepository;
  let mailbox: MailboxRepository;
  let server: Lsps0Dispatcher;
  let shell: JitShell | undefined;
  let jitScid = 0n;
  let lDir = '';
  let lPort = 0;
  let dbPath = '';
  let offL: (() => void) | undefined;
  /** Counts from the shell's metrics hook, across restarts. */
  const counts = { held: 0, delivered: 0 };
  let idSeq = 0;

  async function start(name: string, extra: Partial<NodeOptions> = {}, dir = mkdtempSync(path.join(tmpdir(), `jitlsp-rst-${name}-`))): Promise<LightningNode> {
    if (!dirs.includes(dir)) dirs.push(dir);
    return LightningNode.start({ dataDir: dir, chain, name, listen: { port: 0 }, logger: quiet, reconnectBackoffMs: { min: 50, max: 1000 }, ...extra });
  }

  /** L's node, database and LSPS0 server (what a process start brings up), from the same dir and file. */
  async function startLsp(): Promise<void> {
    l = await start('lsp', {
      acceptInterceptHtlcs: true,
      interceptOfflinePeerOnionMessages: true,
      holdFunding: (info) => shell?.holdFunding(info) ?? false,
      nodeIdLookup: (scid) => shell?.nodeIdLookup(scid),
      ...(lPort ? { listen: { port: lPort } } : {}),
    }, lDir || undefined);
    lDir ||= dirs[dirs.length - 1]!;
    lPort = l.listenPort!;
    db = await Database.open({ kind: 'sqlite', path: dbPath });
    sessions = new SessionRepository(db);
    mailbox = new MailboxRepository(db);
    const node = l;
    server = createLsps2Server({
      send: (peer, payload) => node.sendCustomMessage(peer, payload),
      promiseSecret: new Uint8Array(32).fill(9),
      tiers: [
        {
          minFeeMsat: 1_000_000n,
          proportionalPpm: 1000,
          minLifetimeBlocks: 1008,
          maxClientToSelfDelayBlocks: 1000,
          minPaymentSizeMsat: 1_000_000n,
          maxPaymentSizeMsat: 500_000_000n,
          validForSeconds: 3600,
        },
      ],
      store: sessions,
      node,
      lspCltvExpiryDelta: 144,
      clientTrustsLsp: false,
      random: (n) => crypto.getRandomValues(new Uint8Array(n)),
      onSessionCreated: (s) => shell?.sessionCreated(s),
    });
    const dispatcher = server;
    offL = node.on('customMessageReceived', (ev) => void dispatcher.handleMessage(ev.peerNodeId, ev.payload));
  }

  /** The JIT core over `node` and the database (the daemon starts it after the node). */
  async function startShell(node: NodePort = l): Promise<JitShell> {
    shell = await JitShell.start({
      node,
      store: sessions,
      mailboxStore: mailbox,
      // Small JIT channels need room for the LSP's reserve and commitment fees (ldk-node #913).
      policy: { overProvisioningSat: 200_000n },
      metrics: { onionMessageHeld: () => counts.held++, onionMessagesDelivered: (n = 1) => (counts.delivered += n) },
      logger: { log: (level, msg, f) => process.env.JITLSP_TEST_LOG && process.stderr.write(`shell ${level} ${msg} ${JSON.stringify(f ?? {})}\n`) },
    });
    return shell;
  }

  /** Stops the JIT core, the LSP node and the database; brings the node and database back (no shell yet). */
  async function restartLsp(): Promise<void> {
    shell?.stop();
    shell = undefined;
    offL?.();
    await l.stop();
    await db.close();
    const pBack = p.waitFor('peerConnected', (e) => e.peerNodeId === l.nodeId, 30_000);
    await startLsp();
    await pBack;
  }

  /** C's side of LSPS0: one JSON-RPC request over 37913, the matching answer. */
  async function rpc(method: string, params: Record<string, unknown>): Promise<any> {
    const id = `req-${++idSeq}-${Math.random().toString(16).slice(2)}`;
    const answer = c.waitFor('customMessageReceived', (e) => e.peerNodeId === l.nodeId && new TextDecoder().decode(e.payload).includes(id), 20_000);
    c.sendCustomMessage(l.nodeId, new TextEncoder().encode(JSON.stringify({ jsonrpc: '2.0', id, method, params })));
    return JSON.parse(new TextDecoder().decode((await answer).payload));
  }

  async function buy(sizeMsat: string): Promise<bigint> {
    const info = await rpc('lsps2.get_info', {});
    const bought = await rpc('lsps2.buy', { opening_fee_params: info.result.opening_fee_params_menu[0], payment_size_msat: sizeMsat });
    return parseScid(bought.result.jit_channel_scid, 'jit_channel_scid');
  }

  const channelsToC = (): number => l.listChannels().filter((ch) => ch.counterpartyNodeId === c.nodeId).length;

  before(async () => {
    chain = await SandboxChain.create({ log: () => undefined });
    const dbDir = mkdtempSync(path.join(tmpdir(), 'jitlsp-rst-db-'));
    dirs.push(dbDir);
    dbPath = path.join(dbDir, 'service.sqlite');
    await startLsp();
    p = await start('payer');
    c = await start('client', {
      inboundChannels: { manualAccept: true, trustedZeroConfPeers: [l.nodeId], decide: () => 'accept-zero-conf' },
      acceptUnderpayingHtlcsFrom: [l.nodeId],
      routerHook: viaPeerRouter(() => ({ peerNodeId: l.nodeId, scid: jitScid })),
      messageRouterHook: viaPeerMessageRouter(() => l.nodeId),
    });
    await startShell();
    await p.connect(l.address!);
    await c.connect(l.address!);
    await confirmedChannel(chain, p, l, 2_000_000n);
  });

  beforeEach(async () => {
    for (const n of [p, c]) {
      if (!n.listPeers().some((x) => x.nodeId === l.nodeId)) await n.connect(l.address!);
    }
  });

  after(async () => {
    shell?.stop();
    offL?.();
    for (const n of [p, l, c]) await n?.stop();
    await db?.close();
    await chain?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('keeps the onion messages held for an offline client across an LSP restart and delivers them when it reconnects', async () => {
    jitScid = await buy('20000000');
    const offer = c.createOffer().offer;

    const gone = l.waitFor('peerDisconnected', (e) => e.peerNodeId === c.nodeId);
    c.disconnect(l.nodeId);
    await gone;
    const intercepted = l.waitFor('onionMessageIntercepted', (e) => e.peerNodeId === c.nodeId);
    const sent = p.waitFor('paymentSent', undefined, 150_000);
    p.payOffer(offer, 20_000_000n);
    await intercepted;
    await shell!.idle();
    const held = await mailbox.loadAll();
    expect(held.length).to.be.greaterThan(0);
    expect(held.every((m) => m.peerNodeId === c.nodeId)).to.equal(true);
    expect(counts.delivered).to.equal(0);

    await restartLsp();
    // The database file kept them; the restarted core restores them before the client is back.
    expect((await mailbox.loadAll()).map((m) => m.id)).to.include.members(held.map((m) => m.id));
    await startShell();
    expect(counts.delivered).to.equal(0); // C is still offline: nothing delivered yet

    const claimable = c.waitFor('paymentClaimable', undefined, 120_000);
    await c.connect(l.address!);
    // The held invoice_request reaches C, C answers with an invoice, P pays it through a new JIT channel.
    const cl = await claimable;
    expect(counts.delivered).to.be.greaterThan(0);
    expect(cl.counterpartySkimmedFeeMsat).to.equal(1_000_000n);
    c.claimFunds(cl.preimage!);
    await sent;
    await until(async () => (await sessions.get(jitScid))!.state.kind === 'done');
    await shell!.idle();
    expect(await mailbox.loadAll()).to.deep.equal([]);
    expect((await sessions.get(jitScid))!.state).to.deep.include({ kind: 'done', collectedFeeMsat: 1_000_000n });
  });

  it('forwards the intercepted HTLC over the already-open JIT channel with exactly the fee when the LSP died after channel_ready but before forwarding', async () => {
    jitScid = await buy('40000000');
    const channelsBefore = channelsToC();
    // The service "dies" inside forwardInterceptedHtlc: awaitingForward (channel id, skim) is already persisted,
    // the HTLC is still held by L's node.
    const dropped: string[] = [];
    const node = l;
    const dying: NodePort = Object.assign(Object.create(node) as LightningNode, {
      forwardInterceptedHtlc: (interceptId: string) => void dropped.push(interceptId),
      onEvent: node.onEvent.bind(node),
      listPeers: node.listPeers.bind(node),
      listChannels: node.listChannels.bind(node),
      openChannel: node.openChannel.bind(node),
    });
    shell!.stop();
    await startShell(dying);
    const offer = c.createOffer().offer;
    const sent = p.waitFor('paymentSent', undefined, 150_000);
    p.payOffer(offer, 40_000_000n);
    await until(async () => (await sessions.get(jitScid))!.state.kind === 'awaitingForward' && dropped.length > 0);
    const stuck = (await sessions.get(jitScid))!.state;
    if (stuck.kind !== 'awaitingForward') throw new Error('unreachable');
    expect(stuck.forwarded.map((f) => f.interceptId)).to.include.members(dropped);
    expect(stuck.forwarded.reduce((a, f) => a + f.skimMsat, 0n)).to.equal(1_000_000n);
    expect(channelsToC()).to.equal(channelsBefore + 1);

    const cBack = c.waitFor('peerConnected', (e) => e.peerNodeId === l.nodeId, 30_000);
    await restartLsp();
    await cBack;
    const claimable = c.waitFor('paymentClaimable', undefined, 90_000);
    await startShell();
    const cl = await claimable;
    expect(cl.amountMsat).to.equal(39_000_000n);
    expect(cl.counterpartySkimmedFeeMsat).to.equal(1_000_000n);
    c.claimFunds(cl.preimage!);
    await sent;
    await until(async () => (await sessions.get(jitScid))!.state.kind === 'done');
    const s = (await sessions.get(jitScid))!;
    expect(s.state).to.deep.include({ kind: 'done', collectedFeeMsat: 1_000_000n, channelId: stuck.channelId });
    // No second channel was opened for the replayed HTLC.
    expect(channelsToC()).to.equal(channelsBefore + 1);
  });
});

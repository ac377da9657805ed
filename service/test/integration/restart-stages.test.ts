/**
 * A restart in the middle of each stage of a JIT session, for the stages `jit-flow.test.ts` does not cover,
 * against three real LDK nodes over TCP (payer P -> LSP L -> client C) and the service's SQLite database. A "restart" stops
 * the JIT core, the LSP node and the database, then starts all three again from the same data directory and
 * database file (the node persists its ChannelManager on every change, so its files are what a kill -9 leaves):
 *  1. onion messages held for the offline client survive the restart and reach it when it reconnects;
 *  2. the LSP dies after the JIT channel is ready but before the paying HTLC was forwarded (`awaitingForward`):
 *     after the restart the intercepted HTLC goes over the SAME channel with exactly the opening fee skimmed.
 */
import { expect } from 'chai';
import * as path from 'node:path';
import type { LightningNode } from '@jitlsp/engine/node';
import { jitClientOptions, type TestNet } from '@jitlsp/engine/testing';
import { Database } from '../../src/db/database.js';
import { MailboxRepository } from '../../src/db/repositories/mailbox.repository.js';
import { SessionRepository } from '../../src/db/repositories/session.repository.js';
import type { NodePort } from '../../src/lsps2/node-port.js';
import type { JitRunner } from '../../src/jit/io/runner.js';
import { nodePortWith, serveLsps2, startTestShell } from './support/lsp-service.js';
import { buyJitChannel } from './support/lsps0-client.js';
import {
  connectPayerAndClient,
  disconnectFromLsp,
  lspNodeOptions,
  reconnectToLsp,
  serviceTestNet,
} from './support/three-nodes.js';
import { until } from './support/until.js';

describe('integration: the LSP restarts in the middle of a JIT stage (three LDK nodes, SQLite)', function () {
  this.timeout(180_000);
  let net: TestNet;
  let p: LightningNode;
  let l: LightningNode;
  let c: LightningNode;
  let db: Database;
  let sessions: SessionRepository;
  let mailbox: MailboxRepository;
  let shell: JitRunner | undefined;
  let jitScid = 0n;
  let lDir = '';
  let lPort = 0;
  let dbPath = '';
  let offL: (() => void) | undefined;
  /** Counts from the shell's metrics hook, across restarts. */
  const counts = { held: 0, delivered: 0 };

  /** L's node, database and LSPS0 server (what a process start brings up), from the same dir and file. */
  async function startLsp(): Promise<void> {
    l = await net.start('lsp', { ...lspNodeOptions(() => shell), ...(lPort ? { listen: { port: lPort } } : {}) }, lDir);
    lPort = l.listenPort!;
    db = await Database.open({ kind: 'sqlite', path: dbPath });
    sessions = new SessionRepository(db);
    mailbox = new MailboxRepository(db);
    offL = serveLsps2(l, sessions, () => shell);
  }

  /** The JIT core over `node` and the database (the daemon starts it after the node). */
  async function startShell(node: NodePort = l): Promise<JitRunner> {
    shell = await startTestShell({
      node,
      store: sessions,
      mailboxStore: mailbox,
      metrics: { onionMessageHeld: () => counts.held++, onionMessagesDelivered: (n = 1) => (counts.delivered += n) },
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

  const buy = (sizeMsat: string): Promise<bigint> => buyJitChannel(c, l.nodeId, sizeMsat);
  const channelsToC = (): number => l.listChannels().filter((ch) => ch.counterpartyNodeId === c.nodeId).length;

  before(async () => {
    net = await serviceTestNet('jitlsp-rst');
    dbPath = path.join(net.tempDir('db'), 'service.sqlite');
    lDir = net.tempDir('lsp');
    await startLsp();
    p = await net.start('payer');
    c = await net.start(
      'client',
      jitClientOptions(l.nodeId, () => jitScid),
    );
    await startShell();
    await connectPayerAndClient(net.chain, l, p, c);
  });

  beforeEach(() => reconnectToLsp([p, c], l));

  after(async () => {
    shell?.stop();
    offL?.();
    for (const n of [p, l, c]) await n?.stop();
    // The nodes first, then the database; `net.close()` removes its directory with the nodes'.
    await db?.close();
    await net?.close();
  });

  it('keeps the onion messages held for an offline client across an LSP restart and delivers them when it reconnects', async () => {
    jitScid = await buy('20000000');
    const offer = c.createOffer().offer;

    await disconnectFromLsp(c, l);
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
    const dying = nodePortWith(l, { forwardInterceptedHtlc: (interceptId: string) => void dropped.push(interceptId) });
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

/**
 * The LSP's protocol core against three real LDK nodes over TCP (payer P -> LSP L -> client C): LSPS0/LSPS2
 * over custom message 37913 (dispatcher + handlers), the JIT state machine run by the shell (zero-conf open,
 * forward with the fee skimmed, claim), and onion messages held for an offline client. C is a minimal test
 * client speaking JSON-RPC over 37913; its BOLT 12 router puts L's JIT SCID in its blinded paths.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SandboxChain } from '@jitlsp/shared/chain';
import { parseScid } from '@jitlsp/shared/lsps0';
import { LightningNode, type NodeLogger, type NodeOptions } from '@jitlsp/shared/node';
import { confirmedChannel, viaPeerMessageRouter, viaPeerRouter } from '@jitlsp/shared/node/testing';
import { MemoryMailboxStore, MemorySessionStore } from '../../src/lsps2/memory-store.js';
import { createLsps2Server } from '../../src/lsps2/server.js';
import type { NodePort } from '../../src/lsps2/node-port.js';
import { JitShell } from '../../src/lsps2/shell.js';
import type { Lsps0Dispatcher } from '../../src/lsps0/dispatcher.js';

const quiet: NodeLogger = { log: (level, msg, fields) => level === 'error' && process.stderr.write(`${msg} ${JSON.stringify(fields ?? {}, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`) };

/** Waits for a condition driven by node events (not a timed assertion: it fails only after 30 s). */
async function until(cond: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('until: condition not reached');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('integration: LSPS2 JIT channel with three LDK nodes over TCP', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  let chain: SandboxChain;
  let p: LightningNode;
  let l: LightningNode;
  let c: LightningNode;
  let server: Lsps0Dispatcher;
  let shell: JitShell;
  const store = new MemorySessionStore();
  const mailboxStore = new MemoryMailboxStore();
  let jitScid = 0n;
  let rejectOpens = false;
  /** The JIT core's clock runs this far ahead of real time (timers are driven with `shell.tick()`). */
  let clockOffsetMs = 0;
  let lDir = '';
  let lPort = 0;
  const lspOptions = (): Partial<NodeOptions> => ({
    acceptInterceptHtlcs: true,
    interceptOfflinePeerOnionMessages: true,
    holdFunding: (info) => shell?.holdFunding(info) ?? false,
    nodeIdLookup: (scid) => shell?.nodeIdLookup(scid),
  });
  let idSeq = 0;

  async function start(name: string, extra: Partial<NodeOptions> = {}, dir = mkdtempSync(path.join(tmpdir(), `jitlsp-svc-${name}-`))): Promise<LightningNode> {
    if (!dirs.includes(dir)) dirs.push(dir);
    return LightningNode.start({ dataDir: dir, chain, name, listen: { port: 0 }, logger: quiet, reconnectBackoffMs: { min: 50, max: 1000 }, ...extra });
  }

  /** C's side of LSPS0: one JSON-RPC request over 37913, the matching answer. */
  async function rpc(method: string, params: Record<string, unknown>, from: LightningNode = c): Promise<any> {
    const id = `req-${++idSeq}-${Math.random().toString(16).slice(2)}`;
    const answer = from.waitFor('customMessageReceived', (e) => e.peerNodeId === l.nodeId && new TextDecoder().decode(e.payload).includes(id), 20_000);
    from.sendCustomMessage(l.nodeId, new TextEncoder().encode(JSON.stringify({ jsonrpc: '2.0', id, method, params })));
    return JSON.parse(new TextDecoder().decode((await answer).payload));
  }

  /** The service's JIT core over L and the shared store (called again to simulate a service restart). */
  function startShell(node: NodePort = l): Promise<JitShell> {
    return JitShell.start({
      node,
      store,
      mailboxStore,
      clock: () => new Date(Date.now() + clockOffsetMs),
      // Small JIT channels need room for the LSP's reserve and commitment fees (ldk-node #913).
      policy: { overProvisioningSat: 200_000n },
      logger: { log: (level, msg, f) => process.env.JITLSP_TEST_LOG && process.stderr.write(`shell ${level} ${msg} ${JSON.stringify(f ?? {})}\n`) },
    });
  }

  async function buy(sizeMsat: string): Promise<bigint> {
    const info = await rpc('lsps2.get_info', {});
    const bought = await rpc('lsps2.buy', { opening_fee_params: info.result.opening_fee_params_menu[0], payment_size_msat: sizeMsat });
    return parseScid(bought.result.jit_channel_scid, 'jit_channel_scid');
  }

  before(async () => {
    chain = await SandboxChain.create({ log: () => undefined });
    l = await start('lsp', lspOptions());
    lDir = dirs[dirs.length - 1]!;
    lPort = l.listenPort!;
    p = await start('payer');
    c = await start('client', {
      inboundChannels: { manualAccept: true, trustedZeroConfPeers: [l.nodeId], decide: () => (rejectOpens ? 'reject' : 'accept-zero-conf') },
      acceptUnderpayingHtlcsFrom: [l.nodeId],
      routerHook: viaPeerRouter(() => ({ peerNodeId: l.nodeId, scid: jitScid })),
      messageRouterHook: viaPeerMessageRouter(() => l.nodeId),
    });
    shell = await startShell();
    server = createLsps2Server({
      send: (peer, payload) => l.sendCustomMessage(peer, payload),
      promiseSecret: new Uint8Array(32).fill(9),
      tiers: [
        {
          minFeeMsat: 1_000_000n,
          proportionalPpm: 1000,
          minLifetimeBlocks: 1008,
          // Below LDK's own 2016-block limit, so the bound the slow client hits is the session's (bLIP-52).
          maxClientToSelfDelayBlocks: 1000,
          minPaymentSizeMsat: 1_000_000n,
          maxPaymentSizeMsat: 500_000_000n,
          validForSeconds: 3600,
        },
      ],
      store,
      node: l,
      lspCltvExpiryDelta: 144,
      clientTrustsLsp: false,
      random: (n) => crypto.getRandomValues(new Uint8Array(n)),
      onSessionCreated: (s) => shell.sessionCreated(s),
    });
    l.on('customMessageReceived', (ev) => void server.handleMessage(ev.peerNodeId, ev.payload));
    await p.connect(l.address!);
    await c.connect(l.address!);
    await confirmedChannel(chain, p, l, 2_000_000n);
  });

  // The machine may be loaded enough for LDK's ping timer to drop a peer: every test starts connected.
  beforeEach(async () => {
    for (const n of [p, c]) {
      if (!n.listPeers().some((x) => x.nodeId === l.nodeId)) await n.connect(l.address!);
    }
  });

  after(async () => {
    shell?.stop();
    for (const n of [p, l, c]) await n?.stop();
    await chain?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('answers lsps0.list_protocols with [2] over BOLT 8 message 37913', async () => {
    expect((await rpc('lsps0.list_protocols', {})).result).to.deep.equal({ protocols: [2] });
    expect((await rpc('lsps9.nothing', {})).error.code).to.equal(-32601);
  });

  it('sells a JIT channel, opens it zero-conf when the payment arrives, skims exactly the opening fee, and finishes the session', async () => {
    const info = await rpc('lsps2.get_info', {});
    const params = info.result.opening_fee_params_menu[0];
    const bought = await rpc('lsps2.buy', { opening_fee_params: params, payment_size_msat: '50000000' });
    expect(bought.result).to.deep.include({ lsp_cltv_expiry_delta: 144, client_trusts_lsp: false });
    jitScid = parseScid(bought.result.jit_channel_scid, 'jit_channel_scid');
    expect((await store.get(jitScid))!.state.kind).to.equal('awaitingPayment');

    const offer = c.createOffer().offer;
    const claimable = c.waitFor('paymentClaimable');
    const forwarded = l.waitFor('paymentForwarded');
    const sent = p.waitFor('paymentSent');
    p.payOffer(offer, 50_000_000n);
    const cl = await claimable;
    // fee = max(ceil(50_000_000 * 1000 / 1e6), 1_000_000) = 1_000_000
    expect(cl.amountMsat).to.equal(49_000_000n);
    expect(cl.counterpartySkimmedFeeMsat).to.equal(1_000_000n);
    const channel = l.listChannels().find((ch) => ch.counterpartyNodeId === c.nodeId)!;
    expect(channel.isAnnounced).to.equal(false);
    // bLIP-52: the JIT channel negotiates option_scid_alias (both sides agree on the channel type).
    expect(channel.scidPrivacy).to.equal(true);
    expect(c.listChannels().find((ch) => ch.channelId === channel.channelId)!.scidPrivacy).to.equal(true);
    expect(channel.capacitySat).to.equal(49_000n + 490n + 200_000n);
    c.claimFunds(cl.preimage!);
    expect((await forwarded).skimmedFeeMsat).to.equal(1_000_000n);
    await sent;
    await shell.idle();
    const s = await store.get(jitScid);
    expect(s!.state).to.deep.include({ kind: 'done', feeMsat: 1_000_000n, collectedFeeMsat: 1_000_000n });
  });

  it('holds onion messages for the offline client while its session is live and delivers them on reconnect', async () => {
    const info = await rpc('lsps2.get_info', {});
    const bought = await rpc('lsps2.buy', { opening_fee_params: info.result.opening_fee_params_menu[0], payment_size_msat: '20000000' });
    jitScid = parseScid(bought.result.jit_channel_scid, 'jit_channel_scid');
    const offer = c.createOffer().offer;

    const gone = l.waitFor('peerDisconnected', (e) => e.peerNodeId === c.nodeId);
    c.disconnect(l.nodeId);
    await gone;
    const intercepted = l.waitFor('onionMessageIntercepted', (e) => e.peerNodeId === c.nodeId);
    const sent = p.waitFor('paymentSent', undefined, 90_000);
    p.payOffer(offer, 20_000_000n);
    await intercepted;
    await shell.idle();
    expect((await mailboxStore.loadAll()).length).to.be.greaterThan(0);

    const claimable = c.waitFor('paymentClaimable', undefined, 90_000);
    await c.connect(l.address!);
    const cl = await claimable;
    // The second session opens its own JIT channel: fee = max(20_000, 1_000_000).
    expect(cl.counterpartySkimmedFeeMsat).to.equal(1_000_000n);
    c.claimFunds(cl.preimage!);
    await sent;
    // P may have split the payment: the session is done once the skimmed parts reach the fee.
    await until(async () => (await store.get(jitScid))!.state.kind === 'done');
    expect(await mailboxStore.loadAll()).to.deep.equal([]);
    expect((await store.get(jitScid))!.state).to.deep.include({ kind: 'done', collectedFeeMsat: 1_000_000n });
  });

  it('fails the payment with unknown_next_peer when the client rejects the JIT channel, and keeps waiting for payment', async () => {
    jitScid = await buy('30000000');
    const channelsBefore = l.listChannels().filter((ch) => ch.counterpartyNodeId === c.nodeId).length;
    rejectOpens = true;
    try {
      const offer = c.createOffer().offer;
      const failed = p.waitFor('paymentFailed', undefined, 60_000);
      p.payOffer(offer, 30_000_000n, { retries: 0 });
      await failed;
      await until(async () => (await store.get(jitScid))!.state.failed.length > 0);
      const s = (await store.get(jitScid))!;
      expect(s.state.kind).to.equal('awaitingPayment');
      expect(s.state.failed.map((f) => f.reason)).to.include('unknown_next_peer');
      expect(l.listChannels().filter((ch) => ch.counterpartyNodeId === c.nodeId).length).to.equal(channelsBefore);
    } finally {
      rejectOpens = false;
    }
  });

  it('refuses a JIT channel whose client asks for a to_self_delay above max_client_to_self_delay, fails the HTLC and keeps waiting for payment', async () => {
    let slowScid = 0n;
    // A client demanding 1001 blocks against the menu's max_client_to_self_delay of 1000.
    const slow = await start('slow', {
      ourToSelfDelay: 1001,
      inboundChannels: { manualAccept: true, trustedZeroConfPeers: [l.nodeId] },
      acceptUnderpayingHtlcsFrom: [l.nodeId],
      routerHook: viaPeerRouter(() => ({ peerNodeId: l.nodeId, scid: slowScid })),
      messageRouterHook: viaPeerMessageRouter(() => l.nodeId),
    });
    try {
      await slow.connect(l.address!);
      const info = await rpc('lsps2.get_info', {}, slow);
      expect(info.result.opening_fee_params_menu[0].max_client_to_self_delay).to.equal(1000);
      const bought = await rpc('lsps2.buy', { opening_fee_params: info.result.opening_fee_params_menu[0], payment_size_msat: '30000000' }, slow);
      slowScid = parseScid(bought.result.jit_channel_scid, 'jit_channel_scid');
      const offer = slow.createOffer().offer;
      const closed = l.waitFor('channelClosed', (e) => e.counterpartyNodeId === slow.nodeId, 60_000);
      const failed = p.waitFor('paymentFailed', undefined, 60_000);
      p.payOffer(offer, 30_000_000n, { retries: 0 });
      expect((await closed).reason).to.match(/delayed by a needlessly long period/);
      await failed;
      await until(async () => (await store.get(slowScid))!.state.failed.length > 0);
      const s = (await store.get(slowScid))!;
      expect(s.state.kind).to.equal('awaitingPayment');
      expect(s.state.failed.map((f) => f.reason)).to.include('temporary_channel_failure');
      expect(l.listChannels().some((ch) => ch.counterpartyNodeId === slow.nodeId)).to.equal(false);
    } finally {
      await slow.stop();
    }
  });

  it('honours a session bought before the service restarted (new shell over the same store)', async () => {
    jitScid = await buy('25000000');
    shell.stop();
    shell = await startShell();
    const offer = c.createOffer().offer;
    const claimable = c.waitFor('paymentClaimable');
    const sent = p.waitFor('paymentSent');
    p.payOffer(offer, 25_000_000n);
    const cl = await claimable;
    expect(cl.counterpartySkimmedFeeMsat).to.equal(1_000_000n);
    c.claimFunds(cl.preimage!);
    await sent;
    await until(async () => (await store.get(jitScid))!.state.kind === 'done');
  });

  it('collects the parts of a multi-part payment by hash, opens once they reach payment_size_msat, and skims the fee once', async () => {
    // A payer whose channels are each too small for the payment: LDK must split it.
    const p2 = await start('payer2');
    try {
      await p2.connect(l.address!);
      for (let i = 0; i < 2; i++) {
        const pending = p2.waitFor('channelPending');
        await p2.openChannel({ peer: l.nodeId, capacitySat: 100_000n });
        await pending;
      }
      const ready = p2.waitFor('channelReady');
      await chain.mine(6);
      await ready;
      await until(async () => p2.listChannels().filter((ch) => ch.isUsable).length === 2);

      jitScid = await buy('150000000');
      const parts: bigint[] = [];
      const off = l.on('htlcIntercepted', (e) => {
        if (e.requestedNextHopScid === jitScid) parts.push(e.expectedOutboundAmountMsat);
      });
      const offer = c.createOffer().offer;
      const claimable = c.waitFor('paymentClaimable', undefined, 60_000);
      const sent = p2.waitFor('paymentSent', undefined, 60_000);
      p2.payOffer(offer, 150_000_000n);
      const cl = await claimable;
      off();
      expect(parts.length).to.be.greaterThan(1);
      expect(parts.reduce((a, b) => a + b, 0n)).to.equal(150_000_000n);
      // fee = max(ceil(150_000_000 * 1000 / 1e6), 1_000_000) = 1_000_000, taken once over all parts.
      expect(cl.amountMsat).to.equal(149_000_000n);
      expect(cl.counterpartySkimmedFeeMsat).to.equal(1_000_000n);
      c.claimFunds(cl.preimage!);
      await sent;
      await until(async () => (await store.get(jitScid))!.state.kind === 'done');
      const s = (await store.get(jitScid))!;
      expect(s.state.forwarded.reduce((a, f) => a + f.skimMsat, 0n)).to.equal(1_000_000n);
    } finally {
      await p2.stop();
    }
  });

  it('fails held parts with the collect timer when a fixed-size payment stays incomplete', async () => {
    jitScid = await buy('60000000');
    const offer = c.createOffer().offer;
    const intercepted = l.waitFor('htlcIntercepted', (e) => e.requestedNextHopScid === jitScid);
    const failed = p.waitFor('paymentFailed', undefined, 60_000);
    p.payOffer(offer, 30_000_000n, { retries: 0 }); // half of payment_size_msat: the set never completes
    await intercepted;
    await until(async () => (await store.get(jitScid))!.state.held.length === 1);
    try {
      clockOffsetMs = 89_000;
      await shell.tick();
      expect((await store.get(jitScid))!.state.held).to.have.length(1);
      clockOffsetMs = 91_000;
      await shell.tick();
    } finally {
      clockOffsetMs = 0;
    }
    await failed;
    const s = (await store.get(jitScid))!;
    expect(s.state.held).to.deep.equal([]);
    expect(s.state.failed.map((f) => f.reason)).to.deep.equal(['temporary_channel_failure']);
  });

  it('refuses an HTLC that arrives after valid_until with unknown_next_peer and closes the session on the sweep', async () => {
    jitScid = await buy('20000000');
    const offer = c.createOffer().offer;
    const failed = p.waitFor('paymentFailed', undefined, 60_000);
    clockOffsetMs = 3_600_000 + 1_000; // past the tier's validity
    try {
      p.payOffer(offer, 20_000_000n, { retries: 0 });
      await failed;
      await until(async () => (await store.get(jitScid))!.state.failed.length > 0);
      expect((await store.get(jitScid))!.state.failed.map((f) => f.reason)).to.deep.equal(['unknown_next_peer']);
      await shell.tick();
      expect((await store.get(jitScid))!.state).to.deep.include({ kind: 'closed', outcome: 'expired' });
    } finally {
      clockOffsetMs = 0;
    }
  });

  // Last: it replaces L.
  it('recovers when the LSP dies between persisting the open and opening: the restarted node and service finish the payment', async () => {
    jitScid = await buy('40000000');
    // The service "dies" inside openChannel: the state (openingChannel) is already persisted, no channel exists.
    const dying: NodePort = Object.assign(Object.create(l) as LightningNode, {
      openChannel: () => new Promise<never>(() => {}),
      onEvent: l.onEvent.bind(l),
      listPeers: l.listPeers.bind(l),
      listChannels: l.listChannels.bind(l),
    });
    shell.stop();
    shell = await startShell(dying);
    const offer = c.createOffer().offer;
    const sent = p.waitFor('paymentSent', undefined, 90_000);
    p.payOffer(offer, 40_000_000n);
    await until(async () => (await store.get(jitScid))!.state.kind === 'openingChannel');
    const channelsBefore = l.listChannels().filter((ch) => ch.counterpartyNodeId === c.nodeId).length;
    shell.stop();
    await l.stop();

    const pBack = p.waitFor('peerConnected', (e) => e.peerNodeId === l.nodeId, 30_000);
    const cBack = c.waitFor('peerConnected', (e) => e.peerNodeId === l.nodeId, 30_000);
    l = await start('lsp', { ...lspOptions(), listen: { port: lPort } }, lDir);
    l.on('customMessageReceived', (ev) => void server.handleMessage(ev.peerNodeId, ev.payload));
    await Promise.all([pBack, cBack]);
    const claimable = c.waitFor('paymentClaimable', undefined, 60_000);
    shell = await startShell(); // re-issues the lost open; LDK replays the intercepted HTLC
    const cl = await claimable;
    expect(cl.amountMsat).to.equal(39_000_000n);
    expect(cl.counterpartySkimmedFeeMsat).to.equal(1_000_000n);
    c.claimFunds(cl.preimage!);
    await sent;
    await until(async () => (await store.get(jitScid))!.state.kind === 'done');
    expect(l.listChannels().filter((ch) => ch.counterpartyNodeId === c.nodeId).length).to.equal(channelsBefore + 1);
  });
});

/**
 * The LSP's protocol core against three real LDK nodes over TCP (payer P -> LSP L -> client C): LSPS0/LSPS2
 * over custom message 37913 (dispatcher + handlers), the JIT state machine run by the shell (zero-conf open,
 * forward with the fee skimmed, claim), and onion messages held for an offline client. C is a minimal test
 * client speaking JSON-RPC over 37913; its BOLT 12 router puts L's JIT SCID in its blinded paths.
 */
import { expect } from 'chai';
import { parseScid } from '@jitlsp/shared/lsps0';
import type { LightningNode } from '@jitlsp/engine/node';
import { jitClientOptions, type TestNet } from '@jitlsp/engine/testing';
import { MemoryMailboxStore, MemorySessionStore } from '../../src/lsps2/memory-store.js';
import type { NodePort } from '../../src/lsps2/node-port.js';
import type { JitRunner } from '../../src/jit/io/runner.js';
import { nodePortWith, serveLsps2, startTestShell } from './support/lsp-service.js';
import { buyJitChannel, lsps0Request } from './support/lsps0-client.js';
import {
  connectPayerAndClient,
  disconnectFromLsp,
  lspNodeOptions,
  reconnectToLsp,
  serviceTestNet,
} from './support/three-nodes.js';
import { until } from './support/until.js';

describe('integration: LSPS2 JIT channel with three LDK nodes over TCP', function () {
  this.timeout(120_000);
  let net: TestNet;
  let p: LightningNode;
  let l: LightningNode;
  let c: LightningNode;
  let shell: JitRunner;
  const store = new MemorySessionStore();
  const mailboxStore = new MemoryMailboxStore();
  let jitScid = 0n;
  let rejectOpens = false;
  /** The JIT core's clock runs this far ahead of real time (timers are driven with `shell.tick()`). */
  let clockOffsetMs = 0;
  let lDir = '';
  let lPort = 0;

  /** C's side of LSPS0 (or another client's): one JSON-RPC request over 37913, the matching answer. */
  const rpc = (method: string, params: Record<string, unknown>, from: LightningNode = c): Promise<any> =>
    lsps0Request(from, l.nodeId, method, params);
  const buy = (sizeMsat: string): Promise<bigint> => buyJitChannel(c, l.nodeId, sizeMsat);

  /** The service's JIT core over L and the shared store (called again to simulate a service restart). */
  function startShell(node: NodePort = l): Promise<JitRunner> {
    return startTestShell({
      node,
      store,
      mailboxStore,
      clock: () => new Date(Date.now() + clockOffsetMs),
      blockHeight: () => net.chain.height,
    });
  }

  before(async () => {
    net = await serviceTestNet('jitlsp-svc');
    lDir = net.tempDir('lsp');
    l = await net.start(
      'lsp',
      lspNodeOptions(() => shell),
      lDir,
    );
    lPort = l.listenPort!;
    p = await net.start('payer');
    c = await net.start(
      'client',
      jitClientOptions(
        l.nodeId,
        () => jitScid,
        () => (rejectOpens ? 'reject' : 'accept-zero-conf'),
      ),
    );
    shell = await startShell();
    serveLsps2(l, store, () => shell);
    await connectPayerAndClient(net.chain, l, p, c);
  });

  beforeEach(() => reconnectToLsp([p, c], l));

  after(async () => {
    shell?.stop();
    await net?.close();
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
    const bought = await rpc('lsps2.buy', {
      opening_fee_params: info.result.opening_fee_params_menu[0],
      payment_size_msat: '20000000',
    });
    jitScid = parseScid(bought.result.jit_channel_scid, 'jit_channel_scid');
    const offer = c.createOffer().offer;

    await disconnectFromLsp(c, l);
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
    const slow = await net.start('slow', { ourToSelfDelay: 1001, ...jitClientOptions(l.nodeId, () => slowScid) });
    try {
      await slow.connect(l.address!);
      const info = await rpc('lsps2.get_info', {}, slow);
      expect(info.result.opening_fee_params_menu[0].max_client_to_self_delay).to.equal(1000);
      const bought = await rpc(
        'lsps2.buy',
        { opening_fee_params: info.result.opening_fee_params_menu[0], payment_size_msat: '30000000' },
        slow,
      );
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
    const p2 = await net.start('payer2');
    try {
      await p2.connect(l.address!);
      for (let i = 0; i < 2; i++) {
        const pending = p2.waitFor('channelPending');
        await p2.openChannel({ peer: l.nodeId, capacitySat: 100_000n });
        await pending;
      }
      const ready = p2.waitFor('channelReady');
      await net.chain.mine(6);
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

  /**
   * Buys a 60,000,000 msat MPP session and pays half of it: the set never completes, so L holds the one part.
   * Resolves once it is held, with the payer's failure still to come (wrapped: an async function returning a
   * promise would wait for it).
   */
  async function holdHalfPayment(): Promise<{ failed: Promise<unknown> }> {
    jitScid = await buy('60000000');
    const offer = c.createOffer().offer;
    const failed = p.waitFor('paymentFailed', undefined, 60_000);
    p.payOffer(offer, 30_000_000n, { retries: 0 });
    await until(async () => (await store.get(jitScid))!.state.held.length === 1);
    return { failed };
  }

  /** After `failed` resolved: nothing is held, and the one part was failed with `reason`. */
  async function expectPartFailed(failed: Promise<unknown>, reason: string): Promise<void> {
    await failed;
    const s = (await store.get(jitScid))!;
    expect(s.state.held).to.deep.equal([]);
    expect(s.state.failed.map((f) => f.reason)).to.deep.equal([reason]);
  }

  it('fails held parts with the collect timer when a fixed-size payment stays incomplete', async () => {
    const { failed } = await holdHalfPayment();
    try {
      clockOffsetMs = 89_000;
      await shell.tick();
      expect((await store.get(jitScid))!.state.held).to.have.length(1);
      clockOffsetMs = 91_000;
      await shell.tick();
    } finally {
      clockOffsetMs = 0;
    }
    await expectPartFailed(failed, 'temporary_channel_failure');
  });

  it('fails a held part with temporary_channel_failure 24 blocks before its CLTV expiry, before LDK would (21 blocks)', async () => {
    const { failed } = await holdHalfPayment();
    // The expiry LDK's HTLCIntercepted lacks, as the engine read it from the payer's channel.
    const expiry = (await store.get(jitScid))!.state.held[0]!.cltvExpiry!;
    const sentHtlc = p
      .listChannels()
      .flatMap((ch) => ch.pendingHtlcs)
      .find((h) => h.direction === 'outbound');
    expect(expiry).to.equal(sentHtlc!.cltvExpiry);
    await net.chain.mine(expiry - 25 - net.chain.height);
    await shell.tick();
    expect((await store.get(jitScid))!.state.held).to.have.length(1);
    await net.chain.mine(1); // 24 blocks left: the safety margin
    await shell.tick();
    await expectPartFailed(failed, 'temporary_channel_failure');
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
    const dying = nodePortWith(l, { openChannel: () => new Promise<never>(() => {}) });
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
    l = await net.start('lsp', { ...lspNodeOptions(() => shell), listen: { port: lPort } }, lDir);
    serveLsps2(l, store, () => shell);
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

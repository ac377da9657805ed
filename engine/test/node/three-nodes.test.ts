import { expect } from 'chai';
import type { LightningNode, NodeEventOf, NodeOptions } from '../../src/node/index.js';
import { jitClientOptions, type TestNet } from '../../src/testing/index.js';
import { testNet } from './support.js';

/**
 * Payer P -> LSP L -> client C, the JIT flow the service wraps (bLIP-52): C's router puts L's intercept SCID in
 * its BOLT 12 blinded paths, so every payment to C is intercepted at L.
 */
describe('engine: payer -> LSP -> client over TCP (JIT channel, interception, restart)', function () {
  this.timeout(90_000);
  let net: TestNet;
  let p: LightningNode;
  let l: LightningNode;
  let c: LightningNode;
  let lDir: string;
  let lPort: number;
  let interceptScid = 0n;
  let offer = '';
  const holdFor = new Set<bigint>();

  const lspOptions = (): Partial<NodeOptions> => ({
    acceptInterceptHtlcs: true,
    interceptOfflinePeerOnionMessages: true,
    holdFunding: (info) => holdFor.has(info.userChannelId),
  });

  before(async () => {
    net = await testNet();
    lDir = net.tempDir('lsp');
    l = await net.start('lsp', lspOptions(), lDir);
    lPort = l.listenPort!;
    p = await net.start('payer');
    c = await net.start(
      'client',
      jitClientOptions(l.nodeId, () => interceptScid),
    );
    await p.connect(l.address!);
    await c.connect(l.address!);
  });

  after(() => net?.close());

  it('opens a confirmed payer -> LSP channel (6 blocks)', async () => {
    const readyP = p.waitFor('channelReady');
    const pending = p.waitFor('channelPending');
    await p.openChannel({ peer: l.nodeId, capacitySat: 2_000_000n });
    const { fundingTxid } = await pending;
    expect(net.chain.confirmations(fundingTxid)).to.equal(0);
    await net.chain.mine(6);
    await readyP;
    expect(net.chain.confirmations(fundingTxid)).to.equal(6);
    const [ch] = p.listChannels();
    expect(ch.isUsable).to.equal(true);
    expect(ch.shortChannelId).to.be.a('bigint');
  });

  /** L's JIT reaction: open a zero-conf channel to C, then forward with a skimmed fee. */
  async function jitForward(ev: NodeEventOf<'htlcIntercepted'>, feeMsat: bigint): Promise<string> {
    const ready = l.waitFor('channelReady', (e) => e.counterpartyNodeId === c.nodeId);
    await l.openChannel({ peer: c.nodeId, capacitySat: 1_000_000n, zeroConf: true, userChannelId: 7n });
    const { channelId, userChannelId } = await ready;
    expect(userChannelId).to.equal(7n);
    l.forwardInterceptedHtlc(ev.interceptId, channelId, c.nodeId, ev.expectedOutboundAmountMsat - feeMsat);
    return channelId;
  }

  it('intercepts an HTLC to the intercept SCID, opens a zero-conf JIT channel, forwards with a skim, and the payer is paid', async () => {
    interceptScid = l.getInterceptScid();
    offer = c.createOffer().offer;
    const intercepted = l.waitFor('htlcIntercepted');
    const claimable = c.waitFor('paymentClaimable');
    const forwarded = l.waitFor('paymentForwarded');
    const sent = p.waitFor('paymentSent');
    const paymentId = p.payOffer(offer, 50_000_000n);
    const ev = await intercepted;
    expect(ev.requestedNextHopScid).to.equal(interceptScid);
    expect(ev.inboundAmountMsat).to.equal(50_000_000n);
    // The CLTV expiry LDK's event lacks: the engine reads it from L's inbound channel; P's side agrees.
    const sentHtlc = p
      .listChannels()
      .flatMap((ch) => ch.pendingHtlcs)
      .find((h) => h.paymentHash === ev.paymentHash);
    expect(sentHtlc).to.include({ direction: 'outbound', amountMsat: 50_000_000n });
    expect(ev.cltvExpiry).to.equal(sentHtlc!.cltvExpiry);
    expect(ev.cltvExpiry).to.be.greaterThan((await net.chain.tip()).height);
    await jitForward(ev, 1_000_000n);
    const cl = await claimable;
    expect(cl.amountMsat).to.equal(49_000_000n);
    expect(cl.counterpartySkimmedFeeMsat).to.equal(1_000_000n);
    c.claimFunds(cl.preimage!);
    const fw = await forwarded;
    expect(fw.skimmedFeeMsat).to.equal(1_000_000n);
    expect(fw.outboundAmountForwardedMsat).to.equal(49_000_000n);
    expect((await sent).paymentId).to.equal(paymentId);
  });

  it('holds onion messages for an offline client and delivers them when it reconnects', async () => {
    const gone = l.waitFor('peerDisconnected', (e) => e.peerNodeId === c.nodeId);
    c.disconnect(l.nodeId);
    await gone;
    const intercepted = l.waitFor('onionMessageIntercepted', (e) => e.peerNodeId === c.nodeId);
    const sent = p.waitFor('paymentSent');
    p.payOffer(offer, 20_000_000n);
    const held: Uint8Array[] = [(await intercepted).message];
    const more = l.on('onionMessageIntercepted', (e) => {
      if (e.peerNodeId === c.nodeId) held.push(e.message);
    });
    const back = l.waitFor('onionMessagePeerConnected', (e) => e.peerNodeId === c.nodeId);
    await c.connect(l.address!);
    await back;
    more();
    for (const m of held) l.forwardOnionMessage(m, c.nodeId);
    // C answers the invoice_request; P pays through the intercept SCID; L forwards over the existing channel.
    const ev = await l.waitFor('htlcIntercepted');
    const channel = l.listChannels().find((ch) => ch.counterpartyNodeId === c.nodeId)!;
    const claimable = c.waitFor('paymentClaimable');
    l.forwardInterceptedHtlc(ev.interceptId, channel.channelId, c.nodeId, ev.expectedOutboundAmountMsat);
    c.claimFunds((await claimable).preimage!);
    await sent;
    expect(held.length).to.be.greaterThan(0);
  });

  it('withholds a JIT funding transaction until released (client_trusts_lsp hold)', async () => {
    holdFor.add(99n);
    const heldEv = l.waitFor('fundingHeld');
    const ready = l.waitFor('channelReady', (e) => e.userChannelId === 99n);
    await l.openChannel({ peer: c.nodeId, capacitySat: 500_000n, zeroConf: true, userChannelId: 99n });
    const { txid } = await heldEv;
    await ready;
    expect(net.chain.confirmations(txid)).to.equal(undefined); // never reached the chain
    expect(await l.releaseFunding(txid)).to.equal(true);
    expect(net.chain.confirmations(txid)).to.equal(0);
  });

  it('restarts the LSP from its files: channels come back and the old intercept SCID still intercepts', async () => {
    const channelsBefore = l
      .listChannels()
      .map((ch) => ch.channelId)
      .sort();
    await l.stop();
    const pBack = p.waitFor('peerConnected', () => true);
    const cBack = c.waitFor('peerConnected', () => true);
    l = await net.start('lsp', { ...lspOptions(), listen: { port: lPort } }, lDir);
    await Promise.all([pBack, cBack]); // P and C reconnect by themselves (backoff)
    expect(
      l
        .listChannels()
        .map((ch) => ch.channelId)
        .sort(),
    ).to.deep.equal(channelsBefore);
    const intercepted = l.waitFor('htlcIntercepted');
    const sent = p.waitFor('paymentSent');
    p.payOffer(offer, 10_000_000n);
    const ev = await intercepted;
    expect(ev.requestedNextHopScid).to.equal(interceptScid);
    const channel = l
      .listChannels()
      .find((ch) => ch.counterpartyNodeId === c.nodeId && ch.userChannelId === 7n && ch.isUsable)!;
    const claimable = c.waitFor('paymentClaimable');
    l.forwardInterceptedHtlc(ev.interceptId, channel.channelId, c.nodeId, ev.expectedOutboundAmountMsat);
    c.claimFunds((await claimable).preimage!);
    await sent;
  });
});

import { expect } from 'chai';
import type { LightningNode } from '../../src/node/index.js';
import { viaPeerMessageRouter, viaPeerRouter, type TestNet } from '../../src/testing/index.js';
import { testNet, viaChannelWith } from './support.js';

describe('engine: two nodes over TCP on 127.0.0.1', function () {
  this.timeout(60_000);
  let net: TestNet;
  let a: LightningNode;
  let b: LightningNode;

  before(async () => {
    net = await testNet();
    a = await net.start('alice');
    // Bob trusts Alice for zero-conf and routes payments to himself through her (he is unannounced).
    b = await net.start('bob', {
      inboundChannels: { manualAccept: true, trustedZeroConfPeers: [a.nodeId] },
      routerHook: viaPeerRouter(viaChannelWith(a.nodeId)),
      messageRouterHook: viaPeerMessageRouter(() => a.nodeId),
    });
  });

  after(() => net?.close());

  it('connects with BOLT 8 and both sides see the peer', async () => {
    const seen = b.waitFor('peerConnected', (e) => e.peerNodeId === a.nodeId);
    await a.connect(b.address!);
    await seen;
    expect(a.listPeers().map((p) => p.nodeId)).to.deep.equal([b.nodeId]);
    expect(
      b.listPeers().map(({ nodeId, inbound, supportsLsps0 }) => ({ nodeId, inbound, supportsLsps0 })),
    ).to.deep.equal([{ nodeId: a.nodeId, inbound: true, supportsLsps0: false }]);
  });

  it('round-trips an LSPS0 custom message (type 37913)', async () => {
    const got = b.waitFor('customMessageReceived');
    a.sendCustomMessage(b.nodeId, new TextEncoder().encode('{"method":"lsps0.list_protocols"}'));
    const ev = await got;
    expect(ev.peerNodeId).to.equal(a.nodeId);
    expect(ev.messageType).to.equal(37913);
    expect(new TextDecoder().decode(ev.payload)).to.equal('{"method":"lsps0.list_protocols"}');
    const back = a.waitFor('customMessageReceived');
    b.sendCustomMessage(a.nodeId, new TextEncoder().encode('{"result":{"protocols":[2]}}'));
    expect(new TextDecoder().decode((await back).payload)).to.equal('{"result":{"protocols":[2]}}');
  });

  it('opens a zero-conf channel that is usable before any block', async () => {
    const heightBefore = net.chain.height;
    const request = b.waitFor('openChannelRequest');
    const readyA = a.waitFor('channelReady');
    const readyB = b.waitFor('channelReady');
    const { userChannelId } = await a.openChannel({
      peer: b.nodeId,
      capacitySat: 1_000_000n,
      zeroConf: true,
      userChannelId: 42n,
    });
    expect((await request).decision).to.equal('accept-zero-conf');
    const ev = await readyA;
    await readyB;
    expect(ev.userChannelId).to.equal(userChannelId);
    expect(net.chain.height).to.equal(heightBefore);
    const [ch] = a.listChannels();
    expect(ch.isUsable).to.equal(true);
    expect(ch.capacitySat).to.equal(1_000_000n);
    expect(net.chain.confirmations(ch.fundingTxid!)).to.equal(0); // broadcast by LDK, still in the mempool
  });

  it('pays a BOLT 12 offer over the channel (the payer supplies the amount)', async () => {
    const { offer } = b.createOffer();
    expect(offer.startsWith('lno1')).to.equal(true);
    const claimable = b.waitFor('paymentClaimable');
    const sent = a.waitFor('paymentSent');
    const paymentId = a.payOffer(offer, 25_000_000n);
    const c = await claimable;
    expect(c.amountMsat).to.equal(25_000_000n);
    expect(c.purpose).to.equal('bolt12-offer');
    const claimed = b.waitFor('paymentClaimed');
    b.claimFunds(c.preimage!);
    const s = await sent;
    expect(s.paymentId).to.equal(paymentId);
    expect(s.paymentHash).to.equal(c.paymentHash);
    expect((await claimed).amountMsat).to.equal(25_000_000n);
  });
});

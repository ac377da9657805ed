import { expect } from 'chai';
import type { LightningNode } from '../../src/node/index.js';
import type { TestNet } from '../../src/testing/index.js';
import { testNet } from './support.js';

describe('engine: closing a channel', function () {
  this.timeout(60_000);
  let net: TestNet;
  let a: LightningNode;
  let b: LightningNode;

  before(async () => {
    net = await testNet();
    a = await net.start('carol');
    b = await net.start('dave', { inboundChannels: { manualAccept: true, trustedZeroConfPeers: [a.nodeId] } });
    const seen = b.waitFor('peerConnected', (e) => e.peerNodeId === a.nodeId);
    await a.connect(b.address!);
    await seen;
  });

  after(() => net?.close());

  it('closes a channel cooperatively: both sides see it closed by whom, and forget it without waiting for a block', async () => {
    const ready = a.waitFor('channelReady');
    await a.openChannel({ peer: b.nodeId, capacitySat: 500_000n, zeroConf: true, userChannelId: 7n });
    const { channelId } = await ready;
    await net.chain.mine(6);

    const closedA = a.waitFor('channelClosed', (e) => e.channelId === channelId, 30_000);
    const closedB = b.waitFor('channelClosed', (e) => e.channelId === channelId, 30_000);
    const heightBefore = net.chain.height;
    a.closeChannel(channelId, b.nodeId);
    const [ea, eb] = await Promise.all([closedA, closedB]);
    expect(ea.userChannelId).to.equal(7n);
    expect(ea.reason).to.match(/cooperatively closed by us/);
    expect(eb.reason).to.match(/cooperatively closed by our peer/);
    expect(eb.counterpartyNodeId).to.equal(a.nodeId);
    expect(a.listChannels().filter((c) => c.channelId === channelId)).to.be.empty;
    expect(b.listChannels().filter((c) => c.channelId === channelId)).to.be.empty;
    expect(net.chain.height).to.equal(heightBefore);
  });

  it('refuses to close a channel it does not have, with an error naming the call', () => {
    expect(() => a.closeChannel('00'.repeat(32), b.nodeId)).to.throw(/Node\/closeChannel/);
  });
});

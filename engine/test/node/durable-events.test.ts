import { expect } from 'chai';
import type { NodeOptions } from '../../src/node/index.js';
import { confirmedChannel, jitClientOptions, type TestNet } from '../../src/testing/index.js';
import { testNet } from './support.js';

/**
 * NodeOptions.durableEvents: LDK keeps an event until the listeners' promises resolved, so a node that stops
 * (or is killed: the ChannelManager it persists still holds the event) before its application stored what the
 * event said gets the event again after the restart. Payer P -> LSP L (intercepting) -> client C.
 */
describe('engine: durable events are delivered again after a restart until their listeners finished', function () {
  this.timeout(90_000);
  let net: TestNet;

  before(async () => {
    net = await testNet();
  });

  after(() => net?.close());

  it('delivers an HTLCIntercepted whose listener had not finished again after a restart, and the HTLC can still be forwarded', async () => {
    const lspOptions: Partial<NodeOptions> = { acceptInterceptHtlcs: true, durableEvents: ['htlcIntercepted'] };
    const dir = net.tempDir('lsp');
    let l = await net.start('lsp', lspOptions, dir);
    const port = l.listenPort!;
    let scid = 0n;
    const p = await net.start('payer');
    const c = await net.start(
      'client',
      jitClientOptions(l.nodeId, () => scid),
    );
    await p.connect(l.address!);
    await c.connect(l.address!);
    await confirmedChannel(net.chain, p, l, 1_000_000n);
    const opened = l.waitFor('channelReady', (e) => e.counterpartyNodeId === c.nodeId);
    await l.openChannel({ peer: c.nodeId, capacitySat: 500_000n, zeroConf: true });
    const { channelId } = await opened;
    scid = l.getInterceptScid();

    // The application's listener never finishes with the event before the node stops.
    l.on('htlcIntercepted', () => new Promise(() => {}));
    const intercepted = l.waitFor('htlcIntercepted');
    p.payOffer(c.createOffer().offer, 10_000_000n, { retries: 0 });
    const first = await intercepted;
    await l.stop();

    const back = p.waitFor('peerConnected', (e) => e.peerNodeId === l.nodeId, 30_000);
    l = await net.start('lsp', { ...lspOptions, listen: { port } }, dir);
    // LDK kept the event for a first listener: it arrives once one subscribes.
    const ev = await l.waitFor('htlcIntercepted', undefined, 30_000);
    await back;
    expect(ev.interceptId).to.equal(first.interceptId);
    expect(ev.cltvExpiry).to.equal(first.cltvExpiry);
    const claimable = c.waitFor('paymentClaimable');
    const sent = p.waitFor('paymentSent');
    l.forwardInterceptedHtlc(ev.interceptId, channelId, c.nodeId, ev.expectedOutboundAmountMsat);
    c.claimFunds((await claimable).preimage!);
    await sent;
  });
});

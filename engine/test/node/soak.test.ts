import { expect } from 'chai';
import type { LightningNode } from '../../src/node/index.js';
import { viaPeerMessageRouter, viaPeerRouter, type TestNet } from '../../src/testing/index.js';
import { testNet, viaChannelWith } from './support.js';

const WARM_UP = 20;
const MEASURED = 40;
/** Generous: LDK's linear memory grows in 64 KiB pages and never shrinks; a leak of monitor clones or retained
 * events grows it by tens of MB within 40 payments (docs/ldk-pitfalls.md, "Memory"). */
const MAX_GROWTH_BYTES = 16 * 1024 * 1024;

describe('engine soak: sequential BOLT 12 payments between two nodes', function () {
  this.timeout(300_000);
  let net: TestNet;
  let a: LightningNode;
  let b: LightningNode;

  before(async () => {
    net = await testNet();
    a = await net.start('soak-payer');
    const aId = a.nodeId;
    b = await net.start('soak-payee', {
      inboundChannels: { manualAccept: true, trustedZeroConfPeers: [aId] },
      routerHook: viaPeerRouter(viaChannelWith(aId)),
      messageRouterHook: viaPeerMessageRouter(() => aId),
    });
    await a.connect(b.address!);
    const ready = b.waitFor('channelReady');
    await a.openChannel({ peer: b.nodeId, capacitySat: 10_000_000n, zeroConf: true });
    await ready;
    b.on('paymentClaimable', (e) => b.claimFunds(e.preimage!));
  });

  after(() => net?.close());

  let counter = 0n;
  async function pay(offer: string, n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const id = a.payOffer(offer, 10_000n + counter++);
      await a.waitFor('paymentSent', (e) => e.paymentId === id, 60_000);
    }
  }

  it(`keeps WASM memory flat over ${MEASURED} payments after a ${WARM_UP}-payment warm-up`, async () => {
    const { offer } = b.createOffer();
    await pay(offer, WARM_UP);
    const before = a.memoryStats();
    await pay(offer, MEASURED);
    const after = a.memoryStats();
    const growth = after.wasmBytes - before.wasmBytes;
    console.log(
      `      soak: WASM ${(before.wasmBytes / 2 ** 20).toFixed(1)} -> ${(after.wasmBytes / 2 ** 20).toFixed(1)} MiB, RSS ${(before.rssBytes / 2 ** 20).toFixed(0)} -> ${(after.rssBytes / 2 ** 20).toFixed(0)} MiB`,
    );
    expect(growth).to.be.at.most(MAX_GROWTH_BYTES);
    expect(b.listChannels()[0].inboundCapacityMsat < 10_000_000_000n).to.equal(true);
  });
});

import { expect } from 'chai';
import { LeaseManager } from '../../src/bolt12/lease-manager.js';
import { Lsps2Bolt12Router } from '../../src/bolt12/router.js';
import { MemoryRouterStateStore } from '../../src/bolt12/router-state-store.js';
import { Lsps2Client } from '../../src/lsps2/client.js';
import { countingRandom, FakeLsp, ManualTimers, type ScriptAnswer, type SeenRequest } from '../helpers/fake-lsp.js';
import { LSP_ID, makeMenu, makeParams } from '../lsps2/fixtures.js';

const OFFER = '09'.repeat(32);

describe('LeaseManager', () => {
  let now: number;
  let scid: number;

  function setup(connected = true) {
    now = Date.parse('2026-11-20T12:00:00.000Z');
    scid = 0;
    const script = (req: SeenRequest): ScriptAnswer =>
      req.method === 'lsps2.get_info'
        ? { result: makeMenu(makeParams({ valid_until: '2026-11-20T13:00:00.000Z' })) }
        : { result: { jit_channel_scid: `700000x${++scid}x0`, lsp_cltv_expiry_delta: 72 } };
    const lsp = new FakeLsp(LSP_ID, script);
    lsp.connected = connected;
    const clock = () => new Date(now);
    const client = new Lsps2Client({
      lsp: LSP_ID,
      transport: lsp.transport,
      random: countingRandom(),
      clock,
      timers: new ManualTimers(),
    });
    let manager: LeaseManager | undefined;
    const router = new Lsps2Bolt12Router({
      store: new MemoryRouterStateStore(),
      clock,
      onLeasesWanted: (w) => manager?.want(w),
    });
    manager = new LeaseManager({ router, clientFor: () => client, isConnected: () => lsp.connected, clock });
    return { lsp, router, manager };
  }

  it('fills the pool of no-MPP leases when an offer is registered', async () => {
    const { router, manager, lsp } = setup();
    router.register({ offerId: OFFER }, { nodeId: LSP_ID, cltvExpiryDelta: 144 }, { poolSize: 2 });
    await manager.idle();
    await manager.idle();
    expect(router.leases().map((l) => [l.mode, l.lspCltvExpiryDelta])).to.deep.equal([
      ['no-mpp', 72],
      ['no-mpp', 72],
    ]);
    expect(lsp.seen.map((s) => s.method)).to.deep.equal(['lsps2.get_info', 'lsps2.buy', 'lsps2.buy']);
    // The registration learns the LSP's delta from the buy.
    expect(router.registration({ offerId: OFFER })?.lsp.cltvExpiryDelta).to.equal(72);
  });

  it('buys an MPP lease for exactly the requested amount with payment_size_msat', async () => {
    const { router, manager, lsp } = setup();
    const lease = await manager.buyMppLease(LSP_ID, 5_000_000n);
    expect(lease.mode).to.equal('mpp');
    expect(lease.paymentSizeMsat).to.equal(5_000_000n);
    expect(lsp.seen[1]!.params.payment_size_msat).to.equal('5000000');
    expect(router.leases()).to.have.length(1);
  });

  it('buys nothing while the LSP is disconnected', async () => {
    const { router, manager, lsp } = setup(false);
    router.register({ offerId: OFFER }, { nodeId: LSP_ID, cltvExpiryDelta: 144 });
    manager.want({ lspNodeId: LSP_ID, mode: 'mpp', paymentSizeMsat: 1_000_000n });
    await manager.idle();
    expect(lsp.seen).to.have.length(0);
    expect(router.leases()).to.have.length(0);
  });

  it('renews expired leases with new buys', async () => {
    const { router, manager, lsp } = setup();
    router.register({ offerId: OFFER }, { nodeId: LSP_ID, cltvExpiryDelta: 144 }, { poolSize: 1 });
    await manager.idle();
    const first = router.leases().map((l) => l.interceptScid);
    expect(first).to.have.length(1);
    // An hour later the lease is past valid_until; the LSP now offers params valid for another hour.
    now = Date.parse('2026-11-20T13:00:01.000Z');
    const script = lsp.script;
    lsp.script = (req) =>
      req.method === 'lsps2.get_info'
        ? { result: makeMenu(makeParams({ valid_until: '2026-11-20T14:00:00.000Z' })) }
        : script(req);
    await manager.maintain();
    await manager.idle();
    const after = router.leases();
    expect(after).to.have.length(1);
    expect(first).to.not.include(after[0]!.interceptScid);
    expect(after[0]!.validUntilMs).to.equal(Date.parse('2026-11-20T14:00:00.000Z'));
  });
});

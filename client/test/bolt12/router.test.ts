import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ldk from 'lightningdevkit';
import { Lsps2Bolt12Router, type LeaseWant } from '../../src/bolt12/router.js';
import {
  encodeRouterState,
  JsonFileRouterStateStore,
  MemoryRouterStateStore,
  RouterStateError,
} from '../../src/bolt12/router-state-store.js';
import { decryptFirstHop, hex, initLdk, type Keys, makeKeys, makeTlvs, stubInner } from '../helpers/ldk.js';
import { makeLease, T0 } from './fixtures.js';

const OFFER = new Uint8Array(32).fill(9);
const OTHER_OFFER = new Uint8Array(32).fill(8);
const AMOUNT = 50_000_000n;

describe('Lsps2Bolt12Router', () => {
  let wallet: Keys;
  let lsp: Keys;
  let now: number;
  let wants: LeaseWant[];

  before(async () => {
    await initLdk();
    wallet = makeKeys(1);
    lsp = makeKeys(2);
  });
  beforeEach(() => {
    now = T0;
    wants = [];
  });

  function makeRouter(opts: { failInner?: boolean; store?: MemoryRouterStateStore | JsonFileRouterStateStore } = {}) {
    const router = new Lsps2Bolt12Router({
      store: opts.store ?? new MemoryRouterStateStore(),
      clock: () => new Date(now),
      onLeasesWanted: (w) => wants.push(w),
    });
    const inner = stubInner(wallet, opts.failInner);
    const ldkRouter = router.attach(inner.router, wallet.km.as_EntropySource());
    return { router, ldkRouter, inner };
  }

  function registered(opts: Parameters<typeof makeRouter>[0] = {}) {
    const r = makeRouter(opts);
    r.router.register({ offerId: hex(OFFER) }, { nodeId: lsp.nodeIdHex, cltvExpiryDelta: 144 });
    return r;
  }

  it('puts the inner router paths first and one JIT path through the LSP last for a registered offer', () => {
    const { router } = registered();
    router.addLease(makeLease(lsp.nodeIdHex, { interceptScid: 777n, lspCltvExpiryDelta: 144 }));
    const out = router.pathsFor(
      { offerId: hex(OFFER) },
      { recipient: wallet.nodeId, tlvs: makeTlvs(wallet), amountMsat: AMOUNT },
    );
    if (!out.matched) throw new Error('expected a match');
    expect(out.paths).to.have.length(2);
    expect(out.innerPathCount).to.equal(1);
    const [first, jit] = out.paths as [ldk.BlindedPaymentPath, ldk.BlindedPaymentPath];
    expect(hex((first.introduction_node() as ldk.IntroductionNode_NodeId).node_id)).to.equal(wallet.nodeIdHex);
    const intro = jit.introduction_node();
    expect(intro).to.be.instanceOf(ldk.IntroductionNode_NodeId);
    expect(hex((intro as ldk.IntroductionNode_NodeId).node_id)).to.equal(lsp.nodeIdHex);
    // One forwarding hop (the LSP) plus the recipient: no dummy hops.
    expect(jit.blinded_hops()).to.have.length(2);
  });

  it('encrypts the intercept SCID, zero relay fees, the LSP delta and a raised max_cltv_expiry for the LSP', () => {
    const { router } = registered();
    router.addLease(makeLease(lsp.nodeIdHex, { interceptScid: 0x0102_0304_0506n, lspCltvExpiryDelta: 144 }));
    const out = router.pathsFor(
      { offerId: hex(OFFER) },
      { recipient: wallet.nodeId, tlvs: makeTlvs(wallet, { maxCltvExpiry: 5000 }), amountMsat: AMOUNT },
    );
    if (!out.matched) throw new Error('expected a match');
    const jit = out.paths[out.paths.length - 1]!;
    const hop = decryptFirstHop(jit, lsp);
    expect(hop.shortChannelId).to.equal(0x0102_0304_0506n);
    expect(hop.feeBaseMsat).to.equal(0);
    expect(hop.feeProportionalMillionths).to.equal(0);
    expect(hop.cltvExpiryDelta).to.equal(144);
    expect(hop.maxCltvExpiry).to.equal(5000 + 144);
    // no-MPP lease: the whole amount must travel as one HTLC.
    expect(hop.htlcMinimumMsat).to.equal(AMOUNT);
    const payinfo = jit.get_payinfo();
    expect(payinfo.get_fee_base_msat()).to.equal(0);
    expect(payinfo.get_fee_proportional_millionths()).to.equal(0);
    expect(payinfo.get_cltv_expiry_delta()).to.equal(144 + 26);
  });

  it('uses an MPP lease bought for exactly the invoice amount, letting the payer split', () => {
    const { router } = registered();
    router.addLease(makeLease(lsp.nodeIdHex, { interceptScid: 1n }));
    router.addLease(makeLease(lsp.nodeIdHex, { interceptScid: 2n, mode: 'mpp', paymentSizeMsat: AMOUNT }));
    const out = router.pathsFor(
      { offerId: hex(OFFER) },
      { recipient: wallet.nodeId, tlvs: makeTlvs(wallet), amountMsat: AMOUNT },
    );
    if (!out.matched) throw new Error('expected a match');
    expect(out.lease?.mode).to.equal('mpp');
    const hop = decryptFirstHop(out.paths[1]!, lsp);
    expect(hop.shortChannelId).to.equal(2n);
    expect(hop.htlcMinimumMsat).to.equal(1n);
  });

  it('falls back to a no-MPP lease for an amount without an MPP lease and asks for one in the background', () => {
    const { router } = registered();
    router.addLease(makeLease(lsp.nodeIdHex, { interceptScid: 1n }));
    router.addLease(makeLease(lsp.nodeIdHex, { interceptScid: 2n, mode: 'mpp', paymentSizeMsat: 7_000_000n }));
    const out = router.pathsFor(
      { offerId: hex(OFFER) },
      { recipient: wallet.nodeId, tlvs: makeTlvs(wallet), amountMsat: AMOUNT },
    );
    if (!out.matched) throw new Error('expected a match');
    expect(out.lease?.interceptScid).to.equal(1n);
    expect(wants).to.deep.include({ lspNodeId: lsp.nodeIdHex, mode: 'mpp', paymentSizeMsat: AMOUNT });
  });

  it('delegates an invoice for an unregistered offer to the inner router unchanged', () => {
    const { router, ldkRouter, inner } = registered();
    router.addLease(makeLease(lsp.nodeIdHex));
    const res = ldkRouter.create_blinded_payment_paths(
      wallet.nodeId,
      [],
      makeTlvs(wallet, { offerId: OTHER_OFFER }),
      AMOUNT,
    );
    expect(res).to.be.instanceOf(ldk.Result_CVec_BlindedPaymentPathZNoneZ_OK);
    expect((res as ldk.Result_CVec_BlindedPaymentPathZNoneZ_OK).res).to.have.length(1);
    expect(inner.calls.blinded).to.equal(1);
    expect(router.leases()[0]!.assignment).to.equal(undefined);
  });

  it('delegates refund payment contexts to the inner router', () => {
    const { router, ldkRouter } = registered();
    router.addLease(makeLease(lsp.nodeIdHex));
    const res = ldkRouter.create_blinded_payment_paths(wallet.nodeId, [], makeTlvs(wallet, { refund: true }), AMOUNT);
    expect((res as ldk.Result_CVec_BlindedPaymentPathZNoneZ_OK).res).to.have.length(1);
    expect(router.leases()[0]!.assignment).to.equal(undefined);
  });

  it('answers LDK for a registered offer id with the inner path and the JIT path', () => {
    const { router, ldkRouter } = registered();
    router.addLease(makeLease(lsp.nodeIdHex, { interceptScid: 42n }));
    const res = ldkRouter.create_blinded_payment_paths(wallet.nodeId, [], makeTlvs(wallet), AMOUNT);
    const paths = (res as ldk.Result_CVec_BlindedPaymentPathZNoneZ_OK).res;
    expect(paths).to.have.length(2);
    expect(decryptFirstHop(paths[1]!, lsp).shortChannelId).to.equal(42n);
  });

  it('passes find_route to the inner router', () => {
    const { ldkRouter, inner } = registered();
    const params = ldk.RouteParameters.constructor_from_payment_params_and_value(
      ldk.PaymentParameters.constructor_from_node_id(lsp.nodeId, 40),
      1000n,
    );
    ldkRouter.find_route(wallet.nodeId, params, [], ldk.InFlightHtlcs.constructor_new());
    ldkRouter.find_route_with_id(
      wallet.nodeId,
      params,
      [],
      ldk.InFlightHtlcs.constructor_new(),
      new Uint8Array(32),
      new Uint8Array(32),
    );
    expect(inner.calls.findRoute).to.equal(2);
  });

  it('returns the JIT path alone when the inner router has no path (no channels yet)', () => {
    const { router } = registered({ failInner: true });
    router.addLease(makeLease(lsp.nodeIdHex));
    const out = router.pathsFor(
      { offerId: hex(OFFER) },
      { recipient: wallet.nodeId, tlvs: makeTlvs(wallet), amountMsat: AMOUNT },
    );
    if (!out.matched) throw new Error('expected a match');
    expect(out.paths).to.have.length(1);
    expect(out.innerPathCount).to.equal(0);
  });

  it('serves an offer registered by nonce through pathsFor', () => {
    const { router } = makeRouter();
    router.register({ offerNonce: 'AB'.repeat(16) }, { nodeId: lsp.nodeIdHex, cltvExpiryDelta: 144 });
    router.addLease(makeLease(lsp.nodeIdHex, { interceptScid: 5n }));
    expect(
      router.pathsFor(
        { offerId: 'ab'.repeat(16) },
        { recipient: wallet.nodeId, tlvs: makeTlvs(wallet), amountMsat: AMOUNT },
      ).matched,
    ).to.equal(false);
    const out = router.pathsFor(
      { offerNonce: 'ab'.repeat(16) },
      { recipient: wallet.nodeId, tlvs: makeTlvs(wallet), amountMsat: AMOUNT },
    );
    if (!out.matched) throw new Error('expected a match');
    expect(decryptFirstHop(out.paths[out.paths.length - 1]!, lsp).shortChannelId).to.equal(5n);
  });

  it('gives concurrent invoices different leases and the duplicate invoice_request the same one', () => {
    const { router } = registered();
    router.addLease(makeLease(lsp.nodeIdHex, { interceptScid: 1n }));
    router.addLease(makeLease(lsp.nodeIdHex, { interceptScid: 2n }));
    const payerA = makeKeys(50).nodeId;
    const payerB = makeKeys(51).nodeId;
    const req = (payer: Uint8Array) => ({
      recipient: wallet.nodeId,
      tlvs: makeTlvs(wallet, { payerKey: payer }),
      amountMsat: AMOUNT,
      payerKeyHex: hex(payer),
    });
    const a1 = router.pathsFor({ offerId: hex(OFFER) }, req(payerA));
    const a2 = router.pathsFor({ offerId: hex(OFFER) }, req(payerA));
    const b = router.pathsFor({ offerId: hex(OFFER) }, req(payerB));
    const c = router.pathsFor({ offerId: hex(OFFER) }, req(makeKeys(52).nodeId));
    if (!a1.matched || !a2.matched || !b.matched || !c.matched) throw new Error('expected matches');
    expect(a1.lease?.interceptScid).to.equal(a2.lease?.interceptScid);
    expect(b.lease?.interceptScid).to.not.equal(a1.lease?.interceptScid);
    // Both leases are taken: the third payer gets no JIT path rather than a shared SCID.
    expect(c.lease).to.equal(undefined);
    expect(c.skipped).to.match(/no unassigned unexpired lease/);
  });

  it('never uses a lease whose valid_until is less than two minutes away, and asks for a renewal', () => {
    const { router } = registered();
    router.addLease(makeLease(lsp.nodeIdHex, { interceptScid: 1n, validUntilMs: T0 + 60_000 }));
    wants = [];
    const out = router.pathsFor(
      { offerId: hex(OFFER) },
      { recipient: wallet.nodeId, tlvs: makeTlvs(wallet), amountMsat: AMOUNT },
    );
    if (!out.matched) throw new Error('expected a match');
    expect(out.lease).to.equal(undefined);
    expect(wants).to.deep.include({ lspNodeId: lsp.nodeIdHex, mode: 'no-mpp', count: 2 });
  });

  it('drops leases past valid_until and renews the pool; a renewed lease serves the next invoice', () => {
    const { router } = registered();
    router.addLease(makeLease(lsp.nodeIdHex, { interceptScid: 1n, validUntilMs: T0 + 600_000 }));
    router.addLease(makeLease(lsp.nodeIdHex, { interceptScid: 2n, validUntilMs: T0 + 600_000 }));
    now = T0 + 601_000;
    wants = [];
    expect(router.pruneExpiredLeases().map((l) => l.interceptScid)).to.deep.equal([1n, 2n]);
    expect(router.leases()).to.have.length(0);
    expect(wants).to.deep.equal([{ lspNodeId: lsp.nodeIdHex, mode: 'no-mpp', count: 2 }]);
    router.addLease(makeLease(lsp.nodeIdHex, { interceptScid: 3n, validUntilMs: now + 3600_000 }));
    const out = router.pathsFor(
      { offerId: hex(OFFER) },
      { recipient: wallet.nodeId, tlvs: makeTlvs(wallet), amountMsat: AMOUNT },
    );
    if (!out.matched) throw new Error('expected a match');
    expect(out.lease?.interceptScid).to.equal(3n);
  });

  it('adds no JIT path when the lease tier cannot carry the amount (the opening fee would eat it)', () => {
    const { router } = registered();
    router.addLease(
      makeLease(lsp.nodeIdHex, {
        terms: {
          minFeeMsat: 2_000_000n,
          proportional: 1000,
          minPaymentSizeMsat: 1000n,
          maxPaymentSizeMsat: 10n ** 12n,
        },
      }),
    );
    const out = router.pathsFor(
      { offerId: hex(OFFER) },
      { recipient: wallet.nodeId, tlvs: makeTlvs(wallet), amountMsat: 2_000_000n },
    );
    if (!out.matched) throw new Error('expected a match');
    expect(out.lease).to.equal(undefined);
    expect(out.paths).to.have.length(1);
    expect(router.leases()[0]!.assignment).to.equal(undefined);
  });

  it('keeps registrations, lease assignments and renewals across a reload of the JSON file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jitlsp-router-'));
    const file = join(dir, 'lsps2-router.json');
    const first = registered({ store: new JsonFileRouterStateStore(file) });
    first.router.addLease(makeLease(lsp.nodeIdHex, { interceptScid: 1n, validUntilMs: T0 + 3600_000 }));
    first.router.addLease(makeLease(lsp.nodeIdHex, { interceptScid: 2n, validUntilMs: T0 + 7200_000 }));
    const payer = makeKeys(60).nodeId;
    const a = first.router.pathsFor(
      { offerId: hex(OFFER) },
      { recipient: wallet.nodeId, tlvs: makeTlvs(wallet), amountMsat: AMOUNT, payerKeyHex: hex(payer) },
    );

    const second = makeRouter({ store: new JsonFileRouterStateStore(file) });
    expect(second.router.registration({ offerId: hex(OFFER) })?.lsp.nodeId).to.equal(lsp.nodeIdHex);
    expect(second.router.leases().map((l) => [l.interceptScid, l.assignment?.amountMsat])).to.deep.equal([
      [1n, AMOUNT],
      [2n, undefined],
    ]);
    // The duplicate request after a restart still gets its lease; a new payer gets the other one.
    const again = second.router.pathsFor(
      { offerId: hex(OFFER) },
      { recipient: wallet.nodeId, tlvs: makeTlvs(wallet), amountMsat: AMOUNT, payerKeyHex: hex(payer) },
    );
    const other = second.router.pathsFor(
      { offerId: hex(OFFER) },
      { recipient: wallet.nodeId, tlvs: makeTlvs(wallet), amountMsat: AMOUNT, payerKeyHex: 'ff' },
    );
    if (!a.matched || !again.matched || !other.matched) throw new Error('expected matches');
    expect(again.lease?.interceptScid).to.equal(a.lease?.interceptScid);
    expect(other.lease?.interceptScid).to.equal(2n);
  });

  it('rejects a corrupt state file with a message naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jitlsp-router-'));
    const file = join(dir, 'lsps2-router.json');
    writeFileSync(file, encodeRouterState({ registrations: [], leases: [makeLease('zz')] }));
    expect(() => new JsonFileRouterStateStore(file).load()).to.throw(
      RouterStateError,
      /state\.leases\[0\]\.lspNodeId: expected/,
    );
  });
});

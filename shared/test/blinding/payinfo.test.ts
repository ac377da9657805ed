import { expect } from 'chai';
import {
  aggregateBlindedPayinfo,
  aggregateRelayFees,
  blindedPathFeeMsat,
  forwardAmountMsat,
  forwardCltvExpiry,
  paidForwardAmountMsat,
  MAX_MONEY_MSAT,
  type PaymentRelay,
  type PayinfoForwardHop,
} from '../../src/blinding/index.js';
import { prng } from '../sphinx/craft.js';

const relay = (feeBaseMsat: number, feeProportionalMillionths: number, cltvExpiryDelta = 40): PaymentRelay => ({
  feeBaseMsat,
  feeProportionalMillionths,
  cltvExpiryDelta,
});
const hop = (r: PaymentRelay, overrides: Partial<PayinfoForwardHop> = {}): PayinfoForwardHop => ({
  relay: r,
  constraints: { maxCltvExpiry: 900_000, htlcMinimumMsat: 1n },
  ...overrides,
});

describe('blinded_payinfo aggregation (BOLT 4 "Route Blinding")', () => {
  it('aggregates the spec example fees from the hop nearest the recipient backwards, rounding up', () => {
    // blinded-payment-onion-test.json: Bob (10000, 0), Carol (100, 150), Dave (0, 100)
    expect(aggregateRelayFees([relay(10_000, 0), relay(100, 150), relay(0, 100)])).to.deep.equal({
      feeBaseMsat: 10_100n,
      feeProportionalMillionths: 251n,
    });
  });

  const table: {
    name: string;
    hops: PayinfoForwardHop[];
    want: Partial<ReturnType<typeof aggregateBlindedPayinfo>> | undefined;
    extra?: object;
  }[] = [
    {
      name: 'no forwarding hop: only the final delta, no fees',
      hops: [],
      want: {
        feeBaseMsat: 0,
        feeProportionalMillionths: 0,
        cltvExpiryDelta: 24,
        htlcMinimumMsat: 1n,
        htlcMaximumMsat: MAX_MONEY_MSAT,
      },
    },
    {
      name: 'one zero-fee LSP hop (the LSPS2 router path)',
      hops: [hop(relay(0, 0, 144))],
      want: { feeBaseMsat: 0, feeProportionalMillionths: 0, cltvExpiryDelta: 168, htlcMinimumMsat: 1n },
    },
    {
      name: "a hop minimum shrinks by that hop's fee",
      hops: [hop(relay(1000, 0), { constraints: { maxCltvExpiry: 1, htlcMinimumMsat: 5000n } })],
      want: { htlcMinimumMsat: 4000n },
    },
    {
      name: "a hop maximum shrinks by that hop's fee",
      hops: [hop(relay(1000, 0), { htlcMaximumMsat: 1_000_000n })],
      want: { htlcMaximumMsat: 999_000n },
    },
    {
      name: 'the recipient minimum wins when larger',
      hops: [hop(relay(0, 0))],
      want: { htlcMinimumMsat: 7777n },
      extra: { recipientHtlcMinimumMsat: 7777n },
    },
    {
      name: 'fee totals that overflow u32 make the path unusable',
      hops: [hop(relay(0xffff_ffff, 0)), hop(relay(1, 0))],
      want: undefined,
    },
    { name: 'a CLTV total above u16 makes the path unusable', hops: [hop(relay(0, 0, 0xffff))], want: undefined },
    {
      name: 'an empty HTLC range makes the path unusable',
      hops: [hop(relay(0, 0), { htlcMaximumMsat: 10n })],
      want: undefined,
      extra: { recipientHtlcMinimumMsat: 11n },
    },
  ];
  for (const t of table) {
    it(t.name, () => {
      const got = aggregateBlindedPayinfo({ forwardHops: t.hops, minFinalCltvExpiryDelta: 24, ...(t.extra ?? {}) });
      if (t.want === undefined) expect(got).to.equal(undefined);
      else expect(got).to.include(t.want);
    });
  }

  it('the aggregated payinfo always covers every hop: a sender paying amount + fee(payinfo) delivers at least amount (1,000 random routes)', () => {
    const rnd = prng(42);
    for (let n = 0; n < 1000; n++) {
      const hops = Array.from({ length: 1 + rnd.int(4) }, () => relay(rnd.int(50_000), rnd.int(5_000)));
      const amount = BigInt(1 + rnd.int(2_000_000_000));
      const { feeBaseMsat, feeProportionalMillionths } = aggregateRelayFees(hops);
      let carried =
        amount +
        blindedPathFeeMsat(
          { feeBaseMsat: Number(feeBaseMsat), feeProportionalMillionths: Number(feeProportionalMillionths) },
          amount,
        );
      for (const r of hops) carried = forwardAmountMsat(carried, r)!;
      expect(carried >= amount, `route ${JSON.stringify(hops)} amount ${amount}`).to.equal(true);
    }
  });
});

describe("the forwarder's reverse computation (BOLT 4 reader of payment_relay)", () => {
  it('replays the spec vector: 110125 msat at 749150 reach Eve as 100000 msat at 749000', () => {
    let amt = 110_125n;
    let cltv = 749_150;
    for (const r of [relay(10_000, 0, 50), relay(100, 150, 75), relay(0, 100, 25)]) {
      amt = forwardAmountMsat(amt, r)!;
      cltv = forwardCltvExpiry(cltv, r)!;
    }
    expect([amt, cltv]).to.deep.equal([100_000n, 749_000]);
  });
  it('returns undefined when the amount does not cover the base fee or the expiry the delta', () => {
    expect(forwardAmountMsat(999n, relay(1000, 0))).to.equal(undefined);
    expect(forwardCltvExpiry(10, relay(0, 0, 11))).to.equal(undefined);
  });
  it('paidForwardAmountMsat never leaves the hop underpaid, and is at most one below the spec formula', () => {
    const rnd = prng(7);
    for (let n = 0; n < 2000; n++) {
      const r = relay(rnd.int(100_000), rnd.int(1_000_000));
      const incoming = BigInt(r.feeBaseMsat + rnd.int(2 ** 31));
      const spec = forwardAmountMsat(incoming, r)!;
      const paid = paidForwardAmountMsat(incoming, r)!;
      const fee = BigInt(r.feeBaseMsat) + (paid * BigInt(r.feeProportionalMillionths)) / 1_000_000n;
      expect(paid + fee <= incoming).to.equal(true);
      expect(spec - paid <= 1n).to.equal(true);
    }
  });
  it('the sender fee for a path rounds the proportional part down (BOLT 7)', () => {
    expect(blindedPathFeeMsat({ feeBaseMsat: 10_100, feeProportionalMillionths: 251 }, 100_000n)).to.equal(10_125n);
  });
});

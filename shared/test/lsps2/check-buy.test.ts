import { expect } from 'chai';
import { parseDatetime } from '../../src/lsps0/index.js';
import {
  type BuyRequest,
  type CheckBuyInput,
  checkBuy,
  checkFirstHtlc,
  isValidUntilInFuture,
} from '../../src/lsps2/index.js';
import { CLIENT, NOW, OTHER_CLIENT, SECRET, makeParams, mintParams } from './fixtures.js';

/** One valid buy check (fixed size 42,000,000 msat: fee 546,000 > 50,400 proportional), plus overrides. */
type CheckOverrides = Omit<Partial<CheckBuyInput>, 'request'> & { request?: Partial<BuyRequest> };
function makeCheck(overrides: CheckOverrides = {}): CheckBuyInput {
  const { request, ...rest } = overrides;
  return {
    request: { openingFeeParams: makeParams(), paymentSizeMsat: 42_000_000n, ...request },
    promiseSecret: SECRET,
    clientNodeId: CLIENT,
    now: NOW,
    ...rest,
  };
}

describe('checkBuy (bLIP-52 "2. Request JIT Channel")', () => {
  it('accepts a valid fixed-size buy and returns the opening fee', () => {
    expect(checkBuy(makeCheck())).to.deep.equal({ ok: true, openingFeeMsat: 546_000n });
  });

  it('accepts a valid variable-size buy without a fee (it comes from the first HTLC)', () => {
    expect(checkBuy(makeCheck({ request: { paymentSizeMsat: undefined } }))).to.deep.equal({ ok: true });
  });

  it('accepts a size exactly at the inclusive bounds', () => {
    expect(checkBuy(makeCheck({ request: { paymentSizeMsat: 1_000_000_000n } })).ok).to.equal(true);
    const p = mintParams({ minPaymentSizeMsat: 546_001n });
    expect(checkBuy(makeCheck({ request: { paymentSizeMsat: 546_001n, openingFeeParams: p } }))).to.deep.equal({
      ok: true,
      openingFeeMsat: 546_000n,
    });
  });

  it('accepts a size exactly at our inbound liquidity', () => {
    expect(checkBuy(makeCheck({ maxReceivableMsat: 42_000_000n })).ok).to.equal(true);
  });

  const cases: [string, CheckOverrides, number, RegExp][] = [
    ['a size below min_payment_size_msat', { request: { paymentSizeMsat: 999n } }, 202, /below min_payment_size_msat/],
    [
      'a size above max_payment_size_msat',
      { request: { paymentSizeMsat: 1_000_000_001n } },
      203,
      /above max_payment_size_msat/,
    ],
    [
      'a fee equal to the size (MUST be strictly less)',
      { request: { paymentSizeMsat: 546_000n } },
      202,
      /not less than/,
    ],
    ['a fee above the size', { request: { paymentSizeMsat: 100_000n } }, 202, /not less than/],
    [
      'a fee computation that overflows u64',
      {
        request: { paymentSizeMsat: 1n << 62n, openingFeeParams: mintParams({ maxPaymentSizeMsat: (1n << 64n) - 1n }) },
      },
      203,
      /overflows/,
    ],
    ['a size above our inbound liquidity', { maxReceivableMsat: 10_000_000n }, 203, /inbound liquidity/],
    ['params that expired', { now: new Date(Date.UTC(2030, 0, 1, 12, 10, 0, 1)) }, 201, /expired/],
    ['params at exactly valid_until', { now: new Date(Date.UTC(2030, 0, 1, 12, 10, 0)) }, 201, /expired/],
    ['a promise made for another client', { clientNodeId: OTHER_CLIENT }, 201, /promise does not match/],
    [
      'a promise checked with another secret',
      { promiseSecret: new Uint8Array(32).fill(0x22) },
      201,
      /promise does not match/,
    ],
    [
      'a tampered min_fee_msat',
      { request: { openingFeeParams: makeParams({ minFeeMsat: 1n }) } },
      201,
      /promise does not match/,
    ],
    [
      'a tampered proportional',
      { request: { openingFeeParams: makeParams({ proportional: 1 }) } },
      201,
      /promise does not match/,
    ],
    [
      'a tampered valid_until',
      { request: { openingFeeParams: makeParams({ validUntil: parseDatetime('2031-01-01T00:00:00.000Z', 'x') }) } },
      201,
      /promise does not match/,
    ],
    [
      'a placeholder promise',
      { request: { openingFeeParams: makeParams({ promise: 'x' }) } },
      201,
      /promise does not match/,
    ],
    ['an empty promise', { request: { openingFeeParams: makeParams({ promise: '' }) } }, 201, /promise does not match/],
    [
      'a tampered promise in no-MPP mode',
      { request: { paymentSizeMsat: undefined, openingFeeParams: makeParams({ promise: 'x' }) } },
      201,
      /promise/,
    ],
  ];
  for (const [what, overrides, code, reason] of cases) {
    it(`answers ${what} with ${code}`, () => {
      const r = checkBuy(makeCheck(overrides));
      expect(r.ok).to.equal(false);
      if (r.ok) return;
      expect(r.code).to.equal(code);
      expect(r.reason).to.match(reason);
    });
  }
});

describe('isValidUntilInFuture', () => {
  const p = makeParams();
  it('is true before valid_until and false at or after it', () => {
    expect(isValidUntilInFuture(p, new Date(Date.UTC(2030, 0, 1, 12, 9, 59, 999)))).to.equal(true);
    expect(isValidUntilInFuture(p, new Date(Date.UTC(2030, 0, 1, 12, 10, 0)))).to.equal(false);
    expect(isValidUntilInFuture(p, new Date(Date.UTC(2031, 0, 1)))).to.equal(false);
  });

  it('counts sub-millisecond digits of valid_until', () => {
    const fine = { validUntil: parseDatetime('2030-01-01T12:10:00.000000001Z', 'x') };
    expect(isValidUntilInFuture(fine, new Date(Date.UTC(2030, 0, 1, 12, 10, 0)))).to.equal(true);
  });
});

describe('checkFirstHtlc (bLIP-52 "no-MPP+var-invoice" mode)', () => {
  const p = makeParams();
  it('accepts an HTLC that pays the fee and still forwards htlc_minimum_msat', () => {
    expect(checkFirstHtlc(p, 547_000n, 1000n)).to.deep.equal({ ok: true, openingFeeMsat: 546_000n });
  });

  const fails: [string, bigint, bigint, string][] = [
    ['fee + htlc_minimum_msat one above the HTLC', 546_999n, 1000n, 'fee_exceeds_htlc'],
    ['an HTLC below min_payment_size_msat', 999n, 1n, 'below_min_payment_size'],
    ['an HTLC above max_payment_size_msat', 1_000_000_001n, 1n, 'above_max_payment_size'],
  ];
  for (const [what, value, min, reason] of fails) {
    it(`fails ${what} (-> unknown_next_peer)`, () => {
      const r = checkFirstHtlc(p, value, min);
      expect(r.ok === false && r.reason).to.equal(reason);
    });
  }

  it('fails an HTLC whose fee overflows u64', () => {
    const big = makeParams({ maxPaymentSizeMsat: (1n << 64n) - 1n });
    const r = checkFirstHtlc(big, 1n << 62n, 1n);
    expect(r.ok === false && r.reason).to.equal('fee_overflow');
  });
});

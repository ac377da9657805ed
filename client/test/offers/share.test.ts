import { expect } from 'chai';
import {
  allowsMpp,
  checkShareAmounts,
  invoiceFeatures,
  planShare,
  ShareError,
  shareRouteAmountMsat,
  type MppSupport,
  type ShareAmounts,
} from '../../src/offers/index.js';

const TOTAL = 50_000_000n;
const amounts = (over: Partial<ShareAmounts> = {}): ShareAmounts => ({
  totalMsat: TOTAL,
  shareMsat: 30_000_000n,
  ...over,
});
const invoice = (mpp: MppSupport = 'optional', amountMsat = TOTAL) => ({
  invoiceAmountMsat: amountMsat,
  invoiceFeatures: invoiceFeatures(mpp),
});

describe('Paying a share of an invoice', () => {
  const refused: [string, Partial<ShareAmounts>, string][] = [
    ['a zero share', { shareMsat: 0n }, 'share.not-positive'],
    ['a negative share', { shareMsat: -1n }, 'share.not-positive'],
    ['a zero total', { totalMsat: 0n, shareMsat: 0n }, 'share.not-positive'],
    ['a share above the total', { shareMsat: TOTAL + 1n }, 'share.above-total'],
  ];
  for (const [what, over, code] of refused) {
    it(`refuses ${what} before anything is sent (${code})`, () => {
      expect(() => checkShareAmounts(amounts(over)))
        .to.throw(ShareError)
        .with.property('code', code);
    });
  }

  it('accepts a share equal to the total', () => {
    expect(() => checkShareAmounts(amounts({ shareMsat: TOTAL }))).not.to.throw();
  });

  it('puts the invoice amount in the onion and only the share in the HTLCs, with no automatic retry', () => {
    expect(planShare(invoice(), amounts())).to.deep.equal({
      onionTotalMsat: TOTAL,
      shareMsat: 30_000_000n,
      retryAttempts: 0,
    });
  });

  const plans: [string, MppSupport, bigint, string | undefined][] = [
    ['a part of an invoice with MPP optional', 'optional', 20_000_000n, undefined],
    ['a part of an invoice with MPP compulsory', 'compulsory', 20_000_000n, undefined],
    ['a part of an invoice without MPP', 'none', 20_000_000n, 'share.no-mpp'],
    ['the whole of an invoice without MPP', 'none', TOTAL, undefined],
  ];
  for (const [what, mpp, share, code] of plans) {
    it(`${code ? 'refuses' : 'plans'} ${what}`, () => {
      const f = () => planShare(invoice(mpp), amounts({ shareMsat: share }));
      if (code) expect(f).to.throw(ShareError).with.property('code', code);
      else expect(f().shareMsat).to.equal(share);
    });
  }

  it('refuses an invoice for another amount than the group total', () => {
    expect(() => planShare(invoice('optional', TOTAL - 1n), amounts()))
      .to.throw(ShareError)
      .with.property('code', 'share.total-mismatch');
  });

  it('reads basic MPP from bit 16 or 17 only', () => {
    expect(allowsMpp({ invoiceFeatures: undefined })).to.equal(false);
    expect(allowsMpp({ invoiceFeatures: new Uint8Array([0x08, 0, 0]) })).to.equal(false);
    expect(allowsMpp({ invoiceFeatures: invoiceFeatures('optional') })).to.equal(true);
    expect(allowsMpp({ invoiceFeatures: invoiceFeatures('compulsory') })).to.equal(true);
  });

  const routes: [string, bigint, bigint, bigint][] = [
    ['the first attempt, asked for the invoice amount', TOTAL, 0n, 30_000_000n],
    ['a retry asked for the whole total again', TOTAL, 10_000_000n, 20_000_000n],
    ['a retry asked for less than what is missing', 5_000_000n, 10_000_000n, 5_000_000n],
    ['anything once the share is in flight', TOTAL, 30_000_000n, 0n],
    ['anything when more than the share is pending', TOTAL, 40_000_000n, 0n],
  ];
  for (const [what, requested, pending, expected] of routes) {
    it(`routes at most the rest of the share: ${what} -> ${expected}`, () => {
      expect(shareRouteAmountMsat(planShare(invoice(), amounts()), requested, pending)).to.equal(expected);
    });
  }
});

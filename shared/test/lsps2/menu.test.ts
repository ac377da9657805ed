import { expect } from 'chai';
import { parseDatetime } from '../../src/lsps0/index.js';
import { type OpeningFeeParams, checkMenuOrder, chooseOpeningFeeParams } from '../../src/lsps2/index.js';
import { NOW, makeParams } from './fixtures.js';

const tier = (minFeeMsat: bigint, proportional: number, extra: Partial<OpeningFeeParams> = {}) =>
  makeParams({ minFeeMsat, proportional, ...extra });

describe('checkMenuOrder (bLIP-52: the menu is strictly increasing)', () => {
  const ordered: [string, [bigint, number][]][] = [
    ['an empty menu', []],
    ['a single entry', [[5n, 5]]],
    [
      'a larger min fee with equal proportional',
      [
        [1n, 5],
        [2n, 5],
      ],
    ],
    [
      'a larger proportional with equal min fee',
      [
        [1n, 5],
        [1n, 6],
      ],
    ],
    [
      'both larger',
      [
        [1n, 5],
        [2n, 6],
      ],
    ],
    [
      'three tiers mixing the rules',
      [
        [1n, 5],
        [2n, 5],
        [2n, 9],
        [3n, 10],
      ],
    ],
  ];
  for (const [what, menu] of ordered) {
    it(`accepts ${what}`, () => {
      expect(checkMenuOrder(menu.map(([f, p]) => ({ minFeeMsat: f, proportional: p })))).to.deep.equal({ ok: true });
    });
  }

  const unordered: [string, [bigint, number][], number][] = [
    [
      'two equal entries',
      [
        [1n, 5],
        [1n, 5],
      ],
      1,
    ],
    [
      'a lower min fee',
      [
        [2n, 5],
        [1n, 5],
      ],
      1,
    ],
    [
      'a lower proportional',
      [
        [1n, 6],
        [1n, 5],
      ],
      1,
    ],
    [
      'a larger min fee with a lower proportional',
      [
        [1n, 6],
        [2n, 5],
      ],
      1,
    ],
    [
      'a later entry going back down',
      [
        [1n, 5],
        [2n, 6],
        [2n, 5],
      ],
      2,
    ],
  ];
  for (const [what, menu, index] of unordered) {
    it(`rejects ${what} at index ${index}`, () => {
      const r = checkMenuOrder(menu.map(([f, p]) => ({ minFeeMsat: f, proportional: p })));
      expect(r.ok === false && r.index).to.equal(index);
    });
  }
});

describe('chooseOpeningFeeParams (the client applies its own fee limits)', () => {
  // At 100,000,000 msat: tier A fee = max(546000, 120000) = 546000; tier B fee = max(100000, 1,000,000) = 1,000,000.
  const a = tier(546_000n, 1200);
  const b = tier(600_000n, 10_000);

  it('picks the lowest fee for a fixed payment size', () => {
    expect(chooseOpeningFeeParams([a, b], 100_000_000n)).to.deep.equal({
      ok: true,
      params: a,
      openingFeeMsat: 546_000n,
    });
  });

  it('picks a later tier when it is cheaper at this size', () => {
    const cheapProp = tier(1_000n, 1200);
    const highMin = tier(900_000n, 1200);
    expect(chooseOpeningFeeParams([highMin, cheapProp], 1_000_000n)).to.deep.include({
      params: cheapProp,
      openingFeeMsat: 1_200n,
    });
  });

  it('skips tiers over maxTotalFeeMsat', () => {
    const r = chooseOpeningFeeParams([a], 100_000_000n, { maxTotalFeeMsat: 500_000n });
    expect(r.ok).to.equal(false);
    expect(r.ok === false && r.reason).to.match(/fee 546000 > limit 500000/);
  });

  it('skips tiers over maxProportional', () => {
    const r = chooseOpeningFeeParams([b, a], 100_000_000n, { maxProportional: 5000 });
    expect(r.ok && r.params).to.equal(a);
  });

  it('skips tiers whose fee is not below the payment size (the LSP would answer 202)', () => {
    const r = chooseOpeningFeeParams([a], 546_000n);
    expect(r.ok === false && r.reason).to.match(/>= payment size/);
  });

  it('skips tiers whose bounds exclude the size', () => {
    const r = chooseOpeningFeeParams([a], 2_000_000_000n);
    expect(r.ok === false && r.reason).to.match(/outside/);
  });

  it('skips expired tiers when given a clock', () => {
    const expired = tier(1n, 1, { validUntil: parseDatetime('2029-12-31T00:00:00Z', 'x') });
    expect(chooseOpeningFeeParams([expired, a], 100_000_000n, {}, NOW)).to.deep.include({ params: a });
  });

  it('for a variable amount, takes the first tier whose minimum fee is within the limit', () => {
    expect(chooseOpeningFeeParams([a, b], undefined, { maxTotalFeeMsat: 600_000n })).to.deep.equal({
      ok: true,
      params: a,
    });
    expect(chooseOpeningFeeParams([a, b], undefined, { maxTotalFeeMsat: 100n }).ok).to.equal(false);
  });

  it('reports an empty menu', () => {
    expect(chooseOpeningFeeParams([], 1n)).to.deep.equal({
      ok: false,
      reason: 'the LSP offered no opening_fee_params (empty menu)',
    });
  });
});

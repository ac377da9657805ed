import { expect } from 'chai';
import { computeOpeningFee } from '../../src/lsps2/index.js';

const U64 = 1n << 64n;

describe('computeOpeningFee (bLIP-52 "Computing The opening_fee")', () => {
  // lspd lsps2/fee_test.go (at 9470d44^), transcribed in ../shared/notes/lsps2-landscape.md section 1.4.
  // Columns: payment_size_msat, proportional, min_fee_msat, result (null = overflow).
  const lspd: [string, bigint, number, bigint, bigint | null][] = [
    ['zero everything', 0n, 0, 0n, 0n],
    ['zero size with a minimum fee', 0n, 0, 1n, 1n],
    ['1 ppm of 1 msat rounds up to 1', 1n, 1, 0n, 1n],
    ['the minimum fee just under the proportional fee', 10_000_000n, 1000, 9_999n, 10_000n],
    ['the minimum fee equal to the proportional fee', 10_000_000n, 1000, 10_000n, 10_000n],
    ['the minimum fee just over the proportional fee', 10_000_000n, 1000, 10_001n, 10_001n],
    ['overflow on the +999999 add (2^64-999999, 1 ppm)', U64 - 999_999n, 1, 0n, null],
    ['the largest size that does not overflow at 1 ppm (2^64-1000000)', U64 - 1_000_000n, 1, 0n, 18_446_744_073_709n],
    ['overflow on the multiply (2^64-1000000, 2 ppm)', U64 - 1_000_000n, 2, 0n, null],
  ];
  for (const [what, size, ppm, minFee, expected] of lspd) {
    it(`lspd vector: ${what} -> ${expected === null ? 'overflow' : expected}`, () => {
      expect(computeOpeningFee(size, minFee, ppm)).to.equal(expected);
    });
  }

  it("gives 546000 for the spec's example buy (42000 msat at 1200 ppm, min fee 546000)", () => {
    expect(computeOpeningFee(42_000n, 546_000n, 1200)).to.equal(546_000n);
  });

  it('rounds up a fractional proportional fee', () => {
    expect(computeOpeningFee(1_000_001n, 0n, 1)).to.equal(2n);
    expect(computeOpeningFee(1_000_000n, 0n, 1)).to.equal(1n);
  });

  it('overflows when the product exceeds u64 even with a huge minimum fee', () => {
    expect(computeOpeningFee(U64 - 1n, U64 - 1n, 2)).to.equal(null);
  });

  it('accepts proportional as a bigint as well as a number', () => {
    expect(computeOpeningFee(10_000_000n, 0n, 1000n)).to.equal(10_000n);
  });

  it('refuses inputs outside u64 as programming errors', () => {
    expect(() => computeOpeningFee(-1n, 0n, 1)).to.throw(RangeError);
    expect(() => computeOpeningFee(U64, 0n, 1)).to.throw(RangeError);
    expect(() => computeOpeningFee(1n, 0n, 1.5)).to.throw(RangeError);
    expect(() => computeOpeningFee(1n, -5n, 1)).to.throw(RangeError);
  });
});

import { expect } from 'chai';
import { computeOpeningFee } from '../../src/lsps2/index.js';

const U64 = 1n << 64n;

describe('computeOpeningFee (bLIP-52 "Computing The opening_fee")', () => {
  // lspd lsps2/fee_test.go (at 9470d44^), transcribed by hand.
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

describe('computeOpeningFee against a literal transcription of the spec C routine', () => {
  // bLIP-52's C code with wrapping u64 arithmetic and its own overflow tests
  // (sum < addend; a != 0 && prod / a != b), as an independent oracle.
  const wrap = (x: bigint) => BigInt.asUintN(64, x);
  function specC(size: bigint, minFee: bigint, prop: bigint): bigint | null {
    const prod = wrap(size * prop);
    if (size !== 0n && prod / size !== prop) return null;
    const sum = wrap(prod + 999_999n);
    if (sum < prod) return null;
    const fee = sum / 1_000_000n;
    return fee < minFee ? minFee : fee;
  }
  // Deterministic xorshift64* so the run is reproducible.
  let state = 0x9e3779b97f4a7c15n;
  const next = () => {
    state ^= state >> 12n;
    state = wrap(state ^ (state << 25n));
    state ^= state >> 27n;
    return wrap(state * 0x2545f4914f6cdd1dn);
  };
  const pick = (): bigint => {
    const r = next();
    switch (Number(r % 6n)) {
      case 0:
        return r; // anywhere in u64
      case 1:
        return r >> 32n; // u32-sized
      case 2:
        return (1n << 64n) - 1n - (r % 2_000_000n); // near the top
      case 3:
        return r % 1_000n; // tiny
      case 4:
        return 1n << (r % 64n); // powers of two
      default:
        return r >> 20n;
    }
  };
  for (let batch = 0; batch < 5; batch++) {
    it(`agrees on batch ${batch + 1} of 2,000 pseudo-random inputs biased to the u64 edges`, () => {
      for (let i = 0; i < 2000; i++) {
        const size = pick();
        const minFee = pick();
        const prop = i % 3 === 0 ? pick() & 0xffff_ffffn : next() % 1_000_001n;
        expect(computeOpeningFee(size, minFee, prop), `${size} ${minFee} ${prop}`).to.equal(specC(size, minFee, prop));
      }
    });
  }
});

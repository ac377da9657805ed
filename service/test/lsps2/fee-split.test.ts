import { expect } from 'chai';
import { computeOpeningFee } from '../../src/lsps2/fee.js';
import { splitFee } from '../../src/lsps2/fee-split.js';

describe('lsps2 fee split over payment parts (bLIP-52 §5 algorithm)', () => {
  const cases: { parts: bigint[]; fee: bigint; min: bigint; forwards: bigint[] | null }[] = [
    { parts: [2n, 6n, 2n], fee: 5n, min: 1n, forwards: [1n, 2n, 2n] },
    { parts: [500_000_000n], fee: 10_000_000n, min: 1n, forwards: [490_000_000n] },
    { parts: [200n, 300n], fee: 100n, min: 1n, forwards: [100n, 300n] },
    { parts: [5n, 10n], fee: 5n, min: 5n, forwards: [5n, 5n] },
    { parts: [3n, 10n], fee: 5n, min: 5n, forwards: [3n, 5n] },
    { parts: [5n, 10n], fee: 11n, min: 5n, forwards: null },
    { parts: [], fee: 1n, min: 1n, forwards: null },
    { parts: [7n], fee: 0n, min: 1n, forwards: [7n] },
  ];
  for (const c of cases) {
    it(`splits a fee of ${c.fee} over [${c.parts.join(', ')}] with htlc_minimum ${c.min} into ${c.forwards ? `[${c.forwards.join(', ')}]` : 'a refusal'}`, () => {
      const r = splitFee(c.parts, c.fee, c.min);
      if (c.forwards === null) {
        expect(r).to.equal(null);
        return;
      }
      expect(r!.map((p) => p.forwardMsat)).to.deep.equal(c.forwards);
      expect(r!.reduce((a, p) => a + p.skimMsat, 0n)).to.equal(c.fee);
      r!.forEach((p, i) => {
        expect(p.forwardMsat + p.skimMsat).to.equal(c.parts[i]);
        if (p.skimMsat > 0n) expect(p.forwardMsat >= c.min).to.equal(true);
      });
    });
  }
});

describe('lsps2 opening fee (bLIP-52 §1, lspd fee_test.go vectors)', () => {
  const U64 = 1n << 64n;
  const vectors: [bigint, number, bigint, bigint | null][] = [
    [0n, 0, 0n, 0n],
    [0n, 0, 1n, 1n],
    [1n, 1, 0n, 1n],
    [10_000_000n, 1000, 9_999n, 10_000n],
    [10_000_000n, 1000, 10_000n, 10_000n],
    [10_000_000n, 1000, 10_001n, 10_001n],
    [U64 - 999_999n, 1, 0n, null],
    [U64 - 1_000_000n, 1, 0n, 18_446_744_073_709n],
    [U64 - 1_000_000n, 2, 0n, null],
  ];
  for (const [size, ppm, min, want] of vectors) {
    it(`computes fee(${size}, ${ppm} ppm, min ${min}) = ${want ?? 'overflow'}`, () => {
      expect(computeOpeningFee(size, min, ppm)).to.equal(want);
    });
  }
});

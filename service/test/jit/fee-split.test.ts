import { expect } from 'chai';
import { splitFee } from '../../src/jit/pure/fee-split.js';

describe('lsps2 fee split over payment parts (bLIP-52 §5 algorithm)', () => {
  const cases: { parts: bigint[]; fee: bigint; min: bigint; forwards: bigint[] | null }[] = [
    { parts: [2n, 6n, 2n], fee: 5n, min: 1n, forwards: [1n, 2n, 2n] },
    { parts: [500_000_000n], fee: 10_000_000n, min: 1n, forwards: [490_000_000n] },
    { parts: [200n, 300n], fee: 100n, min: 1n, forwards: [100n, 300n] },
    { parts: [5n, 10n], fee: 5n, min: 5n, forwards: [5n, 5n] },
    { parts: [3n, 10n], fee: 5n, min: 5n, forwards: null },
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

import { expect } from 'chai';
import { deductOpeningFee } from '../../src/lsps2/index.js';

describe('deductOpeningFee (bLIP-52 "5. Channel Opening And Forwarding" example algorithm)', () => {
  it('takes the whole fee from a single part and marks it with extra_fee', () => {
    expect(deductOpeningFee([100_000n], 30_000n, 1_000n)).to.deep.equal({
      ok: true,
      forwards: [{ amountMsat: 70_000n, extraFeeMsat: 30_000n }],
    });
  });

  it('spreads the fee over parts, leaving htlc_minimum_msat each, and forwards the rest verbatim', () => {
    const r = deductOpeningFee([5_000n, 5_000n, 5_000n], 6_000n, 1_000n);
    expect(r).to.deep.equal({
      ok: true,
      forwards: [
        { amountMsat: 1_000n, extraFeeMsat: 4_000n },
        { amountMsat: 3_000n, extraFeeMsat: 2_000n },
        { amountMsat: 5_000n },
      ],
    });
  });

  it('forwards sum to at least the payment minus the fee, and extra fees sum to the fee', () => {
    const parts = [7_000n, 3_000n, 12_345n, 1_000n];
    const fee = 9_999n;
    const r = deductOpeningFee(parts, fee, 1_000n);
    expect(r.ok).to.equal(true);
    if (!r.ok) return;
    const sum = (xs: bigint[]) => xs.reduce((x, y) => x + y, 0n);
    expect(sum(r.forwards.map((f) => f.amountMsat))).to.equal(sum(parts) - fee);
    expect(sum(r.forwards.map((f) => f.extraFeeMsat ?? 0n))).to.equal(fee);
    for (const f of r.forwards) expect(f.amountMsat >= 1_000n).to.equal(true);
  });

  it('adds no extra_fee to a part it could not deduct from (a part at exactly htlc_minimum_msat)', () => {
    const r = deductOpeningFee([1_000n, 10_000n], 500n, 1_000n);
    expect(r).to.deep.equal({
      ok: true,
      forwards: [{ amountMsat: 1_000n }, { amountMsat: 9_500n, extraFeeMsat: 500n }],
    });
  });

  it('fails when the parts cannot pay the fee while each keeps htlc_minimum_msat (too many parts)', () => {
    const r = deductOpeningFee([2_000n, 2_000n], 3_000n, 1_000n);
    expect(r.ok === false && r.reason).to.match(/1000 msat short/);
  });

  it('fails when a part is already below htlc_minimum_msat', () => {
    expect(deductOpeningFee([500n], 0n, 1_000n).ok).to.equal(false);
  });
});

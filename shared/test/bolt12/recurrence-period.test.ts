import { expect } from 'chai';
import { Bolt12Error } from '../../src/bolt12/index.js';
import { periodStart } from '../../src/bolt12/recurrence-period.js';
import { readVectors } from './vectors.js';

type PeriodVector = {
  comment?: string;
  basetime: number;
  time_unit: number;
  period: number;
  n: number;
  expect: { timestring: string; seconds_since_epoch: number };
};

/**
 * The 2021 period vectors, still referenced by the recurrence draft (lightning/bolts PR #1240).
 * The draft removed time_unit 3 (years), so those 8 cases must now be rejected.
 */
const vectors = readVectors<PeriodVector[]>('thomash-acinq-bolts/bolt12/offer-period-test.json');

describe('BOLT-recurrence offer period calculation (offer-period-test.json)', () => {
  it('has the 52 cases', () => expect(vectors).to.have.length(52));

  vectors.forEach((v, i) => {
    const what = `case ${i}: unit ${v.time_unit}, period ${v.period}, n ${v.n} from ${v.basetime}`;
    if (v.time_unit <= 2) {
      it(`${what} starts at ${v.expect.timestring}`, () => {
        const got = periodStart(BigInt(v.basetime), { timeUnit: v.time_unit, period: v.period }, v.n);
        expect(got).to.equal(BigInt(v.expect.seconds_since_epoch));
      });
    } else {
      it(`${what} is rejected: the draft has no time_unit 3 (years)`, () => {
        expect(() => periodStart(BigInt(v.basetime), { timeUnit: v.time_unit, period: v.period }, v.n))
          .to.throw(Bolt12Error)
          .with.property('rule', 'offer.recurrence-time-unit');
      });
    }
  });

  it('period 0 is always the base itself', () => {
    expect(periodStart(1_000n, { timeUnit: 2, period: 3 }, 0)).to.equal(1_000n);
  });
});

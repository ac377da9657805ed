/**
 * BOLT-recurrence "Offer Period Calculation" (lightning/bolts PR #1240): the UTC start of period #N
 * of a recurring offer, given the start of period #0 (`offer_recurrence_base`.`basetime`, or the
 * `invoice_created_at` of the first invoice) and the offer's `time_unit` and `period`.
 *
 * - time_unit 0 (seconds): start0 + period * N seconds.
 * - time_unit 1 (days): the same time of day, period * N days later.
 * - time_unit 2 (months): the same day of the month and time of day, period * N months later; a day
 *   past the end of the target month becomes its last day (31 Dec + 2 months = 28/29 Feb).
 * - any other unit is invalid (the draft dropped 3, years).
 *
 * The draft's leap-second clause ("if period #0 start is on a leap second, the period base is one
 * second before") cannot arise here: Unix time has no leap seconds, so every `basetime` already
 * names a non-leap second. Vectors: `thomash-acinq-bolts/bolt12/offer-period-test.json`.
 */
import { Bolt12Error } from './errors.js';
import type { Recurrence } from './field-types.js';

const DAY = 86_400n;
/** JavaScript dates reach +-8.64e15 ms; beyond that the calendar maths here is not defined. */
const MAX_SECONDS = 8_640_000_000_000n;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** Seconds since 1970 at which period `n` starts, for period #0 starting at `start0`. */
export function periodStart(start0: bigint, recurrence: Recurrence, n: bigint | number): bigint {
  const index = BigInt(n);
  if (index < 0n) throw new RangeError(`periodStart: expected n >= 0, got ${index}`);
  const step = BigInt(recurrence.period) * index;
  let out: bigint;
  switch (recurrence.timeUnit) {
    case 0:
      out = start0 + step;
      break;
    case 1:
      out = start0 + step * DAY;
      break;
    case 2: {
      if (start0 > MAX_SECONDS || step > 12n * 300_000n) throw new RangeError('periodStart: date out of range');
      const base = new Date(Number(start0) * 1000);
      const secondsOfDay = BigInt(base.getUTCHours() * 3600 + base.getUTCMinutes() * 60 + base.getUTCSeconds());
      const months = base.getUTCFullYear() * 12 + base.getUTCMonth() + Number(step);
      const year = Math.floor(months / 12);
      const month = months % 12;
      const day = Math.min(base.getUTCDate(), daysInMonth(year, month));
      out = BigInt(Date.UTC(year, month, day) / 1000) + secondsOfDay;
      break;
    }
    default:
      throw new Bolt12Error('offer.recurrence-time-unit', `got ${recurrence.timeUnit}`);
  }
  if (out > MAX_SECONDS) throw new RangeError('periodStart: date out of range');
  return out;
}

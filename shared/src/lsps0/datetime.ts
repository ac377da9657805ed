/**
 * bLIP-50 `LSPS0.datetime`: a JSON string in the ISO 8601 form `"YYYY-MM-DDThh:mm:ss.uuuZ"`,
 * always UTC.
 *
 * Reading is strict RFC 3339 in UTC: a four-digit year, `T` and `Z` in upper case, the offset
 * only as `Z` (the spec says the value is always UTC), real calendar dates, no leap second. The
 * fraction may have 1 to 9 digits or be absent, because the reference implementation (LDK,
 * chrono) writes `...:45Z` for whole seconds and up to nanoseconds otherwise.
 *
 * The parsed value keeps the exact wire `text`: bLIP-52 requires the client to copy
 * `opening_fee_params` verbatim, and an LSP's promise may cover digits finer than a JS `Date`
 * (milliseconds) can hold. `subsecondNanos` keeps those digits for arithmetic.
 */
import { fail } from './guards.js';

export interface Lsps0Datetime {
  /** The exact wire string, echoed verbatim when the value is sent back. */
  readonly text: string;
  /** Milliseconds since the Unix epoch, sub-millisecond digits truncated. */
  readonly epochMs: number;
  /** The sub-second part in nanoseconds, 0..999_999_999. */
  readonly subsecondNanos: number;
}

const DATETIME_RE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?Z$/;
const EXPECTED = 'LSPS0.datetime "YYYY-MM-DDThh:mm:ss.uuuZ" (UTC)';

/**
 * Parses an `LSPS0.datetime` string.
 * @example parseDatetime('2023-02-23T08:47:30.511Z', 'valid_until').epochMs // 1677142050511
 */
export function parseDatetime(value: unknown, field: string): Lsps0Datetime {
  if (typeof value !== 'string') fail(field, EXPECTED, value);
  const m = DATETIME_RE.exec(value);
  if (!m) fail(field, EXPECTED, value);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12) fail(field, `${EXPECTED} with month 01..12`, value);
  if (hour > 23 || minute > 59 || second > 59) fail(field, `${EXPECTED} with time within 00:00:00..23:59:59`, value);
  // setUTCFullYear, unlike Date.UTC, does not map years 0..99 to 1900..1999.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
    fail(field, `${EXPECTED} with a real calendar date`, value);
  }
  d.setUTCHours(hour, minute, second, 0);
  const fraction = m[7] ?? '';
  const subsecondNanos = fraction === '' ? 0 : Number(fraction.padEnd(9, '0'));
  return { text: value, epochMs: d.getTime() + Math.floor(subsecondNanos / 1e6), subsecondNanos };
}

/**
 * Makes an `LSPS0.datetime` from a `Date`, written exactly in the spec's form
 * `YYYY-MM-DDThh:mm:ss.uuuZ` (always three fraction digits).
 */
export function datetimeFromDate(date: Date): Lsps0Datetime {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('datetime: expected a valid Date, got Invalid Date');
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError(`datetime: expected a year in 0000..9999, got ${year}`);
  // toISOString is exactly YYYY-MM-DDThh:mm:ss.sssZ for years 0..9999.
  return { text: date.toISOString(), epochMs: ms, subsecondNanos: date.getUTCMilliseconds() * 1e6 };
}

/** The instant as a `Date` (sub-millisecond digits dropped). */
export function datetimeToDate(dt: Lsps0Datetime): Date {
  return new Date(dt.epochMs);
}

/** -1, 0 or 1 as `dt` is before, at or after `date`, counting sub-millisecond digits. */
export function compareDatetime(dt: Lsps0Datetime, date: Date): -1 | 0 | 1 {
  const ms = date.getTime();
  if (dt.epochMs !== ms) return dt.epochMs < ms ? -1 : 1;
  return dt.subsecondNanos % 1e6 > 0 ? 1 : 0;
}

/**
 * The instant as chrono's `DateTime<Utc>::to_rfc3339()` writes it: `+00:00` instead of `Z`, and
 * the fraction in 0, 3, 6 or 9 digits, the fewest that show every non-zero digit (chrono's
 * `SecondsFormat::AutoSi`). LDK's LSPS2 promise MACs this string, not the wire form.
 * @example chronoRfc3339(parseDatetime('2023-05-20T08:30:45Z', 'x')) // '2023-05-20T08:30:45+00:00'
 */
export function chronoRfc3339(dt: Lsps0Datetime): string {
  const n = dt.subsecondNanos;
  let fraction = '';
  if (n !== 0) {
    if (n % 1e6 === 0) fraction = '.' + String(n / 1e6).padStart(3, '0');
    else if (n % 1e3 === 0) fraction = '.' + String(n / 1e3).padStart(6, '0');
    else fraction = '.' + String(n).padStart(9, '0');
  }
  return `${dt.text.slice(0, 19)}${fraction}+00:00`;
}

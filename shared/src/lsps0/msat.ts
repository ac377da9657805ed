/**
 * bLIP-50 "Monetary Amounts" (`LSPS0.msat`, `LSPS0.sat`): a JSON string with the decimal text of
 * the amount; implementations SHOULD use u64 internally.
 *
 * Reading is strict: ASCII digits only (no sign, no `+`, no whitespace, no exponent, no
 * fraction), no leading zeros except for "0" itself, and the value must fit in a u64. Canonical
 * text is what every writer emits, so rejecting anything else costs nothing and closes doors
 * (a peer cannot smuggle two spellings of one amount).
 */
import { fail } from './guards.js';

export const U64_MAX = (1n << 64n) - 1n;

/** "18446744073709551615" is 20 digits; checking length first bounds the work on hostile input. */
const MAX_DIGITS = 20;
const CANONICAL_DECIMAL = /^(?:0|[1-9][0-9]*)$/;

/**
 * Parses an `LSPS0.msat` (or `LSPS0.sat`) JSON string into a u64 bigint.
 * @example parseMsat('546000', 'min_fee_msat') // 546000n
 */
export function parseMsat(value: unknown, field: string): bigint {
  if (typeof value !== 'string') fail(field, 'LSPS0.msat (a decimal string)', value);
  if (value.length === 0 || value.length > MAX_DIGITS || !CANONICAL_DECIMAL.test(value)) {
    fail(field, 'LSPS0.msat (decimal digits, no sign or leading zeros, at most 20 digits)', value);
  }
  const n = BigInt(value);
  if (n > U64_MAX) fail(field, 'LSPS0.msat within u64 (<= 18446744073709551615)', value);
  return n;
}

/** Same rules as `parseMsat`, for `_sat` fields. */
export const parseSat = parseMsat;

/**
 * Writes a u64 amount as its `LSPS0.msat` string. Throws RangeError for values outside u64: that
 * is a bug on our side, not peer input.
 * @example formatMsat(546000n) // '546000'
 */
export function formatMsat(amount: bigint, field = 'msat'): string {
  if (typeof amount !== 'bigint' || amount < 0n || amount > U64_MAX) {
    throw new RangeError(`${field}: expected a u64 bigint, got ${String(amount)}`);
  }
  return amount.toString(10);
}

export const formatSat = formatMsat;

/**
 * bLIP-52 "Computing The `opening_fee`":
 *
 *     opening_fee = ((payment_size_msat * proportional) + 999999) / 1000000
 *     if opening_fee < min_fee_msat: opening_fee = min_fee_msat
 *
 * in unsigned 64-bit arithmetic, every addition and multiplication (constants included) checked
 * for overflow, division rounding down (so the `+ 999999` rounds the quotient up). An overflow
 * aborts the flow. (The spec's pseudocode divides by 10000000 and says `+ 9999999`; its normative
 * C and Rust code, and every implementation, use 999999 and 1000000.)
 *
 * This follows the spec, not LDK: LDK's `compute_opening_fee` uses `div_ceil` without the add,
 * so it returns a fee where the spec overflows when `size * proportional` is within 999999 of
 * 2^64.
 */
import { U64_MAX } from '../lsps0/msat.js';

const ROUNDING = 999_999n;
const PPM = 1_000_000n;

/**
 * The opening fee in msat, or `null` when a u64 operation overflows (the LSP answers 203 on buy
 * and fails the HTLC with unknown_next_peer in no-MPP mode; the client aborts).
 * @example computeOpeningFee(10_000_000n, 9_999n, 1000) // 10_000n
 */
export function computeOpeningFee(
  paymentSizeMsat: bigint,
  minFeeMsat: bigint,
  proportional: bigint | number,
): bigint | null {
  const ppm = typeof proportional === 'number' ? toBigU64(proportional, 'proportional') : proportional;
  assertU64(paymentSizeMsat, 'paymentSizeMsat');
  assertU64(minFeeMsat, 'minFeeMsat');
  assertU64(ppm, 'proportional');
  const product = paymentSizeMsat * ppm;
  if (product > U64_MAX) return null;
  const rounded = product + ROUNDING;
  if (rounded > U64_MAX) return null;
  const fee = rounded / PPM; // bigint division rounds toward zero, i.e. down for u64
  return fee < minFeeMsat ? minFeeMsat : fee;
}

function toBigU64(n: number, field: string): bigint {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`computeOpeningFee/${field}: expected a u64, got ${n}`);
  return BigInt(n);
}

function assertU64(n: bigint, field: string): void {
  if (typeof n !== 'bigint' || n < 0n || n > U64_MAX) {
    throw new RangeError(`computeOpeningFee/${field}: expected a u64 bigint, got ${String(n)}`);
  }
}

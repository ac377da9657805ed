/**
 * The opening fee (bLIP-52 §1 "Computing The opening_fee"), u64 with overflow checks on every operation.
 * Kept behind this one module so the service uses a single implementation.
 */
const U64_MAX = (1n << 64n) - 1n;

/** `max(ceil(size * ppm / 1e6), min_fee)` in u64 arithmetic, or null on overflow (bLIP-52 MUST abort). */
export function computeOpeningFee(paymentSizeMsat: bigint, minFeeMsat: bigint, proportional: bigint | number): bigint | null {
  const prod = paymentSizeMsat * BigInt(proportional);
  if (prod > U64_MAX) return null;
  const sum = prod + 999_999n; // bLIP-52: the overflow check applies to the +999999 too.
  if (sum > U64_MAX) return null;
  const fee = sum / 1_000_000n;
  return fee < minFeeMsat ? minFeeMsat : fee;
}

/**
 * bLIP-52 "Computing the opening_fee" for the client's decisions (tier choice, lease usability).
 * Thin adapter: the spec maths lives in `@jitlsp/shared/lsps2` once that lands; until then this is the
 * same u64-checked formula (every add and multiply checked, overflow = undefined).
 */
const U64_MAX = (1n << 64n) - 1n;

/** ceil(size * proportional / 1e6), at least `minFeeMsat`; undefined on u64 overflow (abort the flow). */
export function openingFeeMsat(paymentSizeMsat: bigint, minFeeMsat: bigint, proportional: number | bigint): bigint | undefined {
  const prod = paymentSizeMsat * BigInt(proportional);
  if (prod > U64_MAX) return undefined;
  const sum = prod + 999_999n;
  if (sum > U64_MAX) return undefined;
  const fee = sum / 1_000_000n;
  return fee < minFeeMsat ? minFeeMsat : fee;
}

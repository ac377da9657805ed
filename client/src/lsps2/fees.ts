/**
 * bLIP-52 "Computing the opening_fee", as the router's lease checks use it: the shared, spec-exact
 * `computeOpeningFee` (u64-checked), with `undefined` for overflow.
 */
import { computeOpeningFee } from '@jitlsp/shared/lsps2';

/** ceil(size * proportional / 1e6), at least `minFeeMsat`; undefined on u64 overflow (abort the flow). */
export function openingFeeMsat(
  paymentSizeMsat: bigint,
  minFeeMsat: bigint,
  proportional: number | bigint,
): bigint | undefined {
  return computeOpeningFee(paymentSizeMsat, minFeeMsat, proportional) ?? undefined;
}

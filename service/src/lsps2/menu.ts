/**
 * The `opening_fee_params_menu` the LSP offers (bLIP-52 §1 "API Information"), built from configured
 * tiers: `valid_until = now + tier validity`, each entry's promise bound to the asking client's node id.
 */
import { datetimeFromDate } from '@jitlsp/shared/lsps0';
import { checkMenuOrder, mintOpeningFeeParams, type OpeningFeeParams } from '@jitlsp/shared/lsps2';

/**
 * One entry of the configured menu (`JITLSP_FEE_TIERS`): an `opening_fee_params` without `valid_until` and
 * `promise`, which are minted per request.
 */
export interface FeeTier {
  /** bLIP-52 `min_fee_msat`. */
  minFeeMsat: bigint;
  /** bLIP-52 `proportional` (parts per million of the payment size, LSPS0.ppm: u32). */
  proportionalPpm: number;
  /** bLIP-52 `min_lifetime` (blocks). */
  minLifetimeBlocks: number;
  /** bLIP-52 `max_client_to_self_delay` (blocks). */
  maxClientToSelfDelayBlocks: number;
  /** bLIP-52 `min_payment_size_msat` (inclusive). */
  minPaymentSizeMsat: bigint;
  /** bLIP-52 `max_payment_size_msat` (inclusive). */
  maxPaymentSizeMsat: bigint;
  /** `valid_until = now + validForSeconds` when the tier is offered. */
  validForSeconds: number;
}

/**
 * Sorts the tiers by (min_fee_msat, proportional) and checks the spec order: each entry raises
 * `min_fee_msat` or `proportional` or both and lowers neither (bLIP-52 MUST). Throws on a menu that
 * cannot be ordered so (e.g. one tier cheaper in one field and dearer in the other), at start-up.
 */
export function orderMenu(tiers: readonly FeeTier[]): FeeTier[] {
  const sorted = [...tiers].sort((a, b) =>
    a.minFeeMsat !== b.minFeeMsat ? (a.minFeeMsat < b.minFeeMsat ? -1 : 1) : a.proportionalPpm - b.proportionalPpm,
  );
  const check = checkMenuOrder(sorted.map((t) => ({ minFeeMsat: t.minFeeMsat, proportional: t.proportionalPpm })));
  if (!check.ok) throw new RangeError(`lsps2 menu: ${check.reason}`);
  for (const t of sorted) {
    if (t.minPaymentSizeMsat > t.maxPaymentSizeMsat) {
      throw new RangeError(
        `lsps2 menu: expected min_payment_size_msat <= max_payment_size_msat, got ${t.minPaymentSizeMsat} > ${t.maxPaymentSizeMsat}`,
      );
    }
    if (!Number.isInteger(t.validForSeconds) || t.validForSeconds <= 0) {
      throw new RangeError(`lsps2 menu: expected a positive validity in seconds, got ${t.validForSeconds}`);
    }
  }
  return sorted;
}

/** The menu for one client at `now`. Tiers must come from `orderMenu`. */
export function buildMenu(
  tiers: readonly FeeTier[],
  promiseSecret: Uint8Array,
  clientNodeId: Uint8Array,
  now: Date,
): OpeningFeeParams[] {
  return tiers.map((t) =>
    mintOpeningFeeParams(promiseSecret, clientNodeId, {
      minFeeMsat: t.minFeeMsat,
      proportional: t.proportionalPpm,
      // Whole milliseconds: the wire form is exactly "YYYY-MM-DDThh:mm:ss.uuuZ" (LSPS0.datetime).
      validUntil: datetimeFromDate(new Date(now.getTime() + t.validForSeconds * 1000)),
      minLifetime: t.minLifetimeBlocks,
      maxClientToSelfDelay: t.maxClientToSelfDelayBlocks,
      minPaymentSizeMsat: t.minPaymentSizeMsat,
      maxPaymentSizeMsat: t.maxPaymentSizeMsat,
    }),
  );
}

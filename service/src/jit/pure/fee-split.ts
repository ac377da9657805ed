/**
 * bLIP-52 §5 "Channel Opening And Forwarding": how much of each payment part to forward so that the
 * skimmed amounts add up to the opening fee exactly, every forwarded part carries at least
 * `htlc_minimum_msat`, and the parts sum to at least `payment_size_msat - opening_fee`.
 *
 * The state machine's view of the shared `deductOpeningFee` (the spec's sequential algorithm; LDK
 * splits proportionally and ignores htlc_minimum, a known TODO there).
 */
import { deductOpeningFee } from '@jitlsp/shared/lsps2';

export interface PartSplit {
  forwardMsat: bigint;
  /** Deducted from this part; the `extra_fee` (bLIP-25, TLV 65537) the node attaches when > 0. */
  skimMsat: bigint;
}

/**
 * Splits `feeMsat` over `amountsMsat`, in order. Null when the parts cannot carry the fee while each
 * keeps `htlcMinimumMsat`, or a part is below it (bLIP-52: "should be checked beforehand and cause the
 * payment to be failed due to too many payment parts").
 * @example splitFee([2n, 6n, 2n], 5n, 1n) // forwards [1, 2, 2], skims [1, 4, 0]
 */
export function splitFee(amountsMsat: readonly bigint[], feeMsat: bigint, htlcMinimumMsat: bigint): PartSplit[] | null {
  const r = deductOpeningFee(amountsMsat, feeMsat, htlcMinimumMsat);
  if (!r.ok) return null;
  return r.forwards.map((f) => ({ forwardMsat: f.amountMsat, skimMsat: f.extraFeeMsat ?? 0n }));
}

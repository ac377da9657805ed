/**
 * bLIP-52 §5 "Channel Opening And Forwarding": how much of each payment part to forward so that the
 * skimmed amounts add up to the opening fee exactly, every forwarded part carries at least
 * `htlc_minimum_msat`, and the parts sum to at least `payment_size_msat - opening_fee`.
 *
 * The spec's example algorithm, part by part in the given order: if `part - htlc_minimum >= fee_left`,
 * deduct `fee_left` from this part and forward the rest verbatim; otherwise deduct
 * `part - htlc_minimum` and carry on. (lightning-liquidity splits proportionally and ignores
 * htlc_minimum, a known TODO there; we follow the spec.)
 */

export interface PartSplit {
  forwardMsat: bigint;
  /** Deducted from this part; the `extra_fee` (bLIP-25, TLV 65537) the node attaches when > 0. */
  skimMsat: bigint;
}

/**
 * Splits `feeMsat` over `amountsMsat`. Returns null when the parts cannot carry the fee while each keeps
 * `htlcMinimumMsat` (bLIP-52: "should be checked beforehand and cause the payment to be failed due to too
 * many payment parts").
 * @example splitFee([2n, 6n, 2n], 5n, 1n) // forwards [1, 2, 2], skims [1, 4, 0]
 */
export function splitFee(amountsMsat: readonly bigint[], feeMsat: bigint, htlcMinimumMsat: bigint): PartSplit[] | null {
  if (feeMsat < 0n || htlcMinimumMsat < 0n) throw new RangeError('splitFee: expected non-negative fee and minimum');
  let left = feeMsat;
  const out: PartSplit[] = [];
  for (const amount of amountsMsat) {
    if (left === 0n) {
      out.push({ forwardMsat: amount, skimMsat: 0n });
      continue;
    }
    // A part below htlc_minimum can carry nothing (the spec's formula would go negative).
    const room = amount > htlcMinimumMsat ? amount - htlcMinimumMsat : 0n;
    const skim = room >= left ? left : room;
    left -= skim;
    out.push({ forwardMsat: amount - skim, skimMsat: skim });
  }
  return left === 0n ? out : null;
}

/**
 * bLIP-52 "5. Channel Opening And Forwarding": how much of each held part to forward once the
 * channel is ready. The LSP MUST forward at least `htlc_minimum_msat` per part, the parts MUST sum
 * to at least `payment_size - opening_fee`, and a part that had fee deducted MUST carry
 * `extra_fee` (bLIP-25, TLV 65537) equal to the deduction, while a part without deduction MUST
 * NOT. This is the spec's example algorithm: take the fee from the parts in order, leaving each
 * at least `htlc_minimum_msat`.
 */

export interface PartForward {
  /** What the LSP forwards for this part. */
  amountMsat: bigint;
  /** The `extra_fee` TLV value; undefined when nothing was deducted (no TLV then). */
  extraFeeMsat?: bigint;
}

export type FeeDeduction = { ok: true; forwards: PartForward[] } | { ok: false; reason: string };

/**
 * Splits `openingFeeMsat` over the parts, in the given order. Fails when the parts cannot pay it
 * while each keeps `htlcMinimumMsat` (the spec: "too many payment parts"), or a part is already
 * below the minimum.
 * @example deductOpeningFee([5000n, 5000n], 6000n, 1000n) // forwards 1000 (extra 4000), 3000 (extra 2000)
 */
export function deductOpeningFee(
  partsMsat: readonly bigint[],
  openingFeeMsat: bigint,
  htlcMinimumMsat: bigint,
): FeeDeduction {
  if (openingFeeMsat < 0n || htlcMinimumMsat < 0n)
    throw new RangeError('deductOpeningFee: expected non-negative amounts');
  let feeLeft = openingFeeMsat;
  const forwards: PartForward[] = [];
  for (const [i, part] of partsMsat.entries()) {
    if (part < htlcMinimumMsat)
      return { ok: false, reason: `part ${i} (${part} msat) is below htlc_minimum_msat ${htlcMinimumMsat}` };
    if (feeLeft === 0n) {
      forwards.push({ amountMsat: part });
      continue;
    }
    const room = part - htlcMinimumMsat;
    const take = room >= feeLeft ? feeLeft : room;
    feeLeft -= take;
    forwards.push(take === 0n ? { amountMsat: part } : { amountMsat: part - take, extraFeeMsat: take });
  }
  if (feeLeft > 0n) {
    return {
      ok: false,
      reason: `the parts cannot pay the opening fee while keeping htlc_minimum_msat each (${feeLeft} msat short)`,
    };
  }
  return { ok: true, forwards };
}

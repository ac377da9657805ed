/**
 * Feature bitfields (BOLT 9 convention, used by `offer_features`, `invreq_features`,
 * `invoice_features` and `blinded_payinfo.features`): big-endian bytes, bit 0 is the least
 * significant bit of the last byte. Readers MUST fail on unknown even (compulsory) bits and ignore
 * unknown odd ones.
 */

/** The set bits of a feature field, ascending. */
export function featureBits(features: Uint8Array): number[] {
  const bits: number[] = [];
  for (let i = features.length - 1, base = 0; i >= 0; i--, base += 8) {
    const b = features[i]!;
    if (b === 0) continue;
    for (let j = 0; j < 8; j++) if (b & (1 << j)) bits.push(base + j);
  }
  return bits;
}

/** Even bits that are set and not in `known`. */
export function unknownEvenBits(features: Uint8Array | undefined, known: ReadonlySet<number> = NONE): number[] {
  if (!features) return [];
  return featureBits(features).filter((b) => b % 2 === 0 && !known.has(b));
}

const NONE: ReadonlySet<number> = new Set();

/** BOLT 12 "Invoice Features": MPP, compulsory 16 / optional 17. */
export const INVOICE_KNOWN_FEATURES: ReadonlySet<number> = new Set([16, 17]);

/**
 * Encodes typed records as a TLV stream in ascending type order (BOLT 1: writers MUST order them),
 * with caller mistakes (a duplicate type, a known or even type among the "unknown" records) reported
 * as {@link OnionError} 'invalid-argument' rather than a bare RangeError.
 */
import { encodeTlvStream } from '../tlv/index.js';
import { OnionError } from './onion-error.js';

export interface TlvValue {
  type: bigint;
  value: Uint8Array;
}

/**
 * @param known the records this codec writes from typed fields
 * @param unknown extra records to keep verbatim; each must be an odd type the codec does not know
 * @example encodeRecords('onionmsg_tlv', recs, payload.unknown, KNOWN)
 */
export function encodeRecords(
  scope: string,
  known: TlvValue[],
  unknown: readonly TlvValue[] | undefined,
  knownTypes: ReadonlySet<bigint>,
): Uint8Array {
  const recs = [...known];
  for (const u of unknown ?? []) {
    if (knownTypes.has(u.type) || u.type % 2n === 0n || u.type < 0n) {
      throw new OnionError('invalid-argument', `${scope}/unknown: expected an unknown odd type, got ${u.type}`);
    }
    recs.push(u);
  }
  recs.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  for (let i = 1; i < recs.length; i++) {
    if (recs[i].type === recs[i - 1].type)
      throw new OnionError('invalid-argument', `${scope}: type ${recs[i].type} appears twice`);
  }
  return encodeTlvStream(recs);
}

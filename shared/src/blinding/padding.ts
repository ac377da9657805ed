/**
 * BOLT 4 "Route Blinding": the writer SHOULD add `padding` (type 1) so that all
 * `encrypted_data_tlv[i]` have the same length, hiding which hop is the recipient.
 */
import { BigSize } from '../tlv/index.js';
import type { EncryptedDataTlv } from './encrypted-data-tlv.js';
import { encodeEncryptedDataTlv } from './encrypted-data-tlv.js';

/**
 * Encodes every hop's data, adding a padding record so that each reaches the same length (the
 * longest unpadded one plus two bytes, so every hop carries a padding record). A hop that already
 * sets `padding` keeps it untouched.
 * @example const plaintexts = encodePadded([forwardData, recipientData])
 */
export function encodePadded(datas: readonly EncryptedDataTlv[]): Uint8Array[] {
  const bare = datas.map((d) => encodeEncryptedDataTlv(d));
  const target = Math.max(...bare.map((b) => b.length)) + 2;
  return datas.map((d, i) => {
    if (d.padding !== undefined) return bare[i];
    const need = target - bare[i].length; // bytes the whole padding record must take
    for (const p of [need - 2, need - 4]) {
      if (p >= 0 && 1 + BigSize.encodedLength(BigInt(p)) + p === need) {
        return encodeEncryptedDataTlv({ ...d, padding: new Uint8Array(p) });
      }
    }
    return bare[i];
  });
}

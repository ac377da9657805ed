/**
 * BOLT 4 "`payload` format": the TLV payload of one payment-onion hop, typed. Unknown odd types are
 * kept; unknown even types are rejected.
 */
import { ByteReader, decodeTlvStream, encodeTu32, encodeTu64, rejectUnknownEven } from '../tlv/index.js';
import { OnionError } from '../sphinx/onion-error.js';
import { decodingTlv } from '../sphinx/tlv-errors.js';
import { encodeRecords } from '../sphinx/tlv-records.js';
import { isValidPublicKey } from '../crypto/secp256k1.js';
import type { UnknownTlv } from '../blinding/encrypted-data-tlv.js';

export const PAYMENT_PAYLOAD_TLV = {
  amtToForward: 2n,
  outgoingCltvValue: 4n,
  shortChannelId: 6n,
  paymentData: 8n,
  encryptedRecipientData: 10n,
  currentPathKey: 12n,
  paymentMetadata: 16n,
  totalAmountMsat: 18n,
} as const;

export interface PaymentOnionPayload {
  /** type 2 (tu64) */
  amtToForwardMsat?: bigint;
  /** type 4 (tu32) */
  outgoingCltvValue?: number;
  /** type 6: the outgoing channel of a non-blinded forward */
  shortChannelId?: bigint;
  /** type 8 */
  paymentData?: { paymentSecret: Uint8Array; totalMsat: bigint };
  /** type 10 */
  encryptedRecipientData?: Uint8Array;
  /** type 12: the path key, for the introduction node of a blinded path */
  currentPathKey?: Uint8Array;
  /** type 16 */
  paymentMetadata?: Uint8Array;
  /** type 18 (tu64), for the final node of a blinded path */
  totalAmountMsat?: bigint;
  unknown?: UnknownTlv[];
}

const KNOWN = new Set<bigint>(Object.values(PAYMENT_PAYLOAD_TLV));

/** @example encodePaymentOnionPayload({ amtToForwardMsat: 1000n, outgoingCltvValue: 800_000, shortChannelId }) */
export function encodePaymentOnionPayload(p: PaymentOnionPayload): Uint8Array {
  const T = PAYMENT_PAYLOAD_TLV;
  const recs: UnknownTlv[] = [];
  try {
    if (p.amtToForwardMsat !== undefined) recs.push({ type: T.amtToForward, value: encodeTu64(p.amtToForwardMsat) });
    if (p.outgoingCltvValue !== undefined)
      recs.push({ type: T.outgoingCltvValue, value: encodeTu32(p.outgoingCltvValue) });
    if (p.shortChannelId !== undefined) {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigUint64(0, p.shortChannelId);
      recs.push({ type: T.shortChannelId, value: b });
    }
    if (p.paymentData !== undefined) {
      if (p.paymentData.paymentSecret.length !== 32) throw new RangeError('payment_secret: expected 32 bytes');
      recs.push({
        type: T.paymentData,
        value: new Uint8Array([...p.paymentData.paymentSecret, ...encodeTu64(p.paymentData.totalMsat)]),
      });
    }
    if (p.encryptedRecipientData !== undefined)
      recs.push({ type: T.encryptedRecipientData, value: p.encryptedRecipientData });
    if (p.currentPathKey !== undefined) {
      if (p.currentPathKey.length !== 33) throw new RangeError('current_path_key: expected 33 bytes');
      recs.push({ type: T.currentPathKey, value: p.currentPathKey });
    }
    if (p.paymentMetadata !== undefined) recs.push({ type: T.paymentMetadata, value: p.paymentMetadata });
    if (p.totalAmountMsat !== undefined) recs.push({ type: T.totalAmountMsat, value: encodeTu64(p.totalAmountMsat) });
  } catch (cause) {
    throw new OnionError('invalid-argument', `payment onion payload: ${(cause as Error).message}`, { cause });
  }
  return encodeRecords('payment onion payload', recs, p.unknown, KNOWN);
}

/**
 * Throws {@link OnionError} 'invalid-tlv' | 'unknown-even'.
 * @example const { encryptedRecipientData, currentPathKey } = decodePaymentOnionPayload(peeled.payload)
 */
export function decodePaymentOnionPayload(bytes: Uint8Array): PaymentOnionPayload {
  const scope = 'payment onion payload';
  return decodingTlv(scope, () => {
    const records = decodeTlvStream(bytes, scope);
    rejectUnknownEven(records, (t) => KNOWN.has(t), scope);
    const T = PAYMENT_PAYLOAD_TLV;
    const out: PaymentOnionPayload = {};
    for (const r of records) {
      const rd = new ByteReader(r.value, `${scope}/type ${r.type}`, r.offset);
      switch (r.type) {
        case T.amtToForward:
          out.amtToForwardMsat = rd.tu64();
          break;
        case T.outgoingCltvValue:
          out.outgoingCltvValue = rd.tu32();
          break;
        case T.shortChannelId:
          out.shortChannelId = rd.u64();
          rd.end();
          break;
        case T.paymentData:
          out.paymentData = { paymentSecret: rd.bytes(32).slice(), totalMsat: rd.tu64() };
          break;
        case T.encryptedRecipientData:
          out.encryptedRecipientData = r.value.slice();
          break;
        case T.currentPathKey:
          if (r.value.length !== 33 || !isValidPublicKey(r.value))
            throw new OnionError('invalid-tlv', `${scope}/current_path_key: expected a valid point`);
          out.currentPathKey = r.value.slice();
          break;
        case T.paymentMetadata:
          out.paymentMetadata = r.value.slice();
          break;
        case T.totalAmountMsat:
          out.totalAmountMsat = rd.tu64();
          break;
        default:
          (out.unknown ??= []).push({ type: r.type, value: r.value.slice() });
      }
    }
    return out;
  });
}

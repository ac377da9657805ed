/**
 * BOLT 4 "Onion Messages": the `onionmsg_tlv` payload of one onion-message hop.
 *
 * The BOLT 12 messages (`invoice_request` 64, `invoice` 66, `invoice_error` 68) are kept as raw TLV
 * bytes here: the BOLT 12 codec parses them. Unknown odd types are kept; unknown even types are
 * rejected (BOLT 4: a reader MUST ignore a message that contains unknown even types).
 */
import { ByteReader, decodeTlvStream, rejectUnknownEven } from '../tlv/index.js';
import { decodeBlindedPath, encodeBlindedPath, type BlindedPath } from '../wire/blinded-path.js';
import { OnionError } from '../sphinx/onion-error.js';
import { decodingTlv } from '../sphinx/tlv-errors.js';
import { encodeRecords } from '../sphinx/tlv-records.js';
import type { UnknownTlv } from '../blinding/encrypted-data-tlv.js';

export const ONIONMSG_TLV = {
  replyPath: 2n,
  encryptedRecipientData: 4n,
  invoiceRequest: 64n,
  invoice: 66n,
  invoiceError: 68n,
} as const;

export interface OnionMessagePayload {
  /** type 2: where the recipient may reply */
  replyPath?: BlindedPath;
  /** type 4: this hop's sealed `encrypted_data_tlv` (every hop has one) */
  encryptedRecipientData?: Uint8Array;
  /** type 64: a BOLT 12 `tlv_invoice_request`, raw */
  invoiceRequest?: Uint8Array;
  /** type 66: a BOLT 12 `tlv_invoice`, raw */
  invoice?: Uint8Array;
  /** type 68: a BOLT 12 `tlv_invoice_error`, raw */
  invoiceError?: Uint8Array;
  /** unknown odd types (custom messages use types >= 64), kept verbatim */
  unknown?: UnknownTlv[];
}

const KNOWN = new Set<bigint>(Object.values(ONIONMSG_TLV));

/** @example encodeOnionMessagePayload({ invoiceRequest, replyPath, encryptedRecipientData }) */
export function encodeOnionMessagePayload(p: OnionMessagePayload): Uint8Array {
  const T = ONIONMSG_TLV;
  const recs: UnknownTlv[] = [];
  if (p.replyPath !== undefined) {
    try {
      recs.push({ type: T.replyPath, value: encodeBlindedPath(p.replyPath).finish() });
    } catch (cause) {
      throw new OnionError('invalid-argument', `onionmsg_tlv/reply_path: ${(cause as Error).message}`, { cause });
    }
  }
  if (p.encryptedRecipientData !== undefined)
    recs.push({ type: T.encryptedRecipientData, value: p.encryptedRecipientData });
  if (p.invoiceRequest !== undefined) recs.push({ type: T.invoiceRequest, value: p.invoiceRequest });
  if (p.invoice !== undefined) recs.push({ type: T.invoice, value: p.invoice });
  if (p.invoiceError !== undefined) recs.push({ type: T.invoiceError, value: p.invoiceError });
  return encodeRecords('onionmsg_tlv', recs, p.unknown, KNOWN);
}

/**
 * Throws {@link OnionError} 'invalid-tlv' | 'unknown-even'.
 * @example const { encryptedRecipientData, invoiceRequest } = decodeOnionMessagePayload(peeled.payload)
 */
export function decodeOnionMessagePayload(bytes: Uint8Array): OnionMessagePayload {
  const scope = 'onionmsg_tlv';
  return decodingTlv(scope, () => {
    const records = decodeTlvStream(bytes, scope);
    rejectUnknownEven(records, (t) => KNOWN.has(t), scope);
    const T = ONIONMSG_TLV;
    const out: OnionMessagePayload = {};
    for (const r of records) {
      switch (r.type) {
        case T.replyPath: {
          const rd = new ByteReader(r.value, `${scope}/reply_path`, r.offset);
          out.replyPath = copyPath(decodeBlindedPath(rd));
          rd.end();
          break;
        }
        case T.encryptedRecipientData:
          out.encryptedRecipientData = r.value.slice();
          break;
        case T.invoiceRequest:
          out.invoiceRequest = r.value.slice();
          break;
        case T.invoice:
          out.invoice = r.value.slice();
          break;
        case T.invoiceError:
          out.invoiceError = r.value.slice();
          break;
        default:
          (out.unknown ??= []).push({ type: r.type, value: r.value.slice() });
      }
    }
    return out;
  });
}

/** The decoder returns views into the input; copy so the payload outlives the buffer. */
function copyPath(p: BlindedPath): BlindedPath {
  return {
    introduction:
      p.introduction.kind === 'nodeId' ? { kind: 'nodeId', nodeId: p.introduction.nodeId.slice() } : p.introduction,
    firstPathKey: p.firstPathKey.slice(),
    hops: p.hops.map((h) => ({
      blindedNodeId: h.blindedNodeId.slice(),
      encryptedRecipientData: h.encryptedRecipientData.slice(),
    })),
  };
}

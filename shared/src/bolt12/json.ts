/**
 * The JSON view of any BOLT 12 string, as `jitlsp decode` prints it: every field by its spec name,
 * u64 values (amounts, timestamps) as decimal strings, bytes as hex, unknown TLVs as {type, hex},
 * the two ids of the offer (`offer_id`, Core Lightning's, and `ldk_offer_id`, LDK's `OfferId`, which the jitlsp
 * client's router registers offers under), and for signed messages whether the signature verifies.
 */
import { toHex } from '../crypto/index.js';
import { Bolt12Error } from './errors.js';
import { INVOICE_HRP, INVOICE_TABLE, decodeInvoiceBytes, verifyInvoiceSignature } from './invoice.js';
import {
  INVOICE_REQUEST_HRP,
  INVOICE_REQUEST_TABLE,
  decodeInvoiceRequestBytes,
  verifyInvoiceRequestSignature,
} from './invoice-request.js';
import { ldkOfferId } from './ldk-offer-id.js';
import { OFFER_HRP, OFFER_TABLE, decodeOfferBytes, isOfferType, offerId } from './offer.js';
import { decodeBolt12String } from './string-form.js';
import { fieldsToJson } from './tlv-fields.js';
import type { TlvRecord } from '../tlv/index.js';

export type Bolt12Json = {
  kind: 'offer' | 'invoice_request' | 'invoice';
  json: Record<string, unknown>;
  /** For invoice_request and invoice: whether `signature` verifies. */
  signatureValid?: boolean;
};

/** Both ids of the offer a message carries (null for a message without offer fields, such as a refund's). */
function offerIds(records: readonly TlvRecord[]): { offer_id: string | null; ldk_offer_id: string | null } {
  if (!records.some((r) => isOfferType(r.type))) return { offer_id: null, ldk_offer_id: null };
  return { offer_id: toHex(offerId({ records })), ldk_offer_id: toHex(ldkOfferId({ records })) };
}

/**
 * Decodes any bolt12 string (by its prefix) into its JSON view. Throws `Bolt12Error` on any broken
 * rule except a bad signature, which is reported as `signatureValid: false` so the rest can be shown.
 */
export function decodeBolt12Json(s: string): Bolt12Json {
  const { hrp, data } = decodeBolt12String(s);
  switch (hrp) {
    case OFFER_HRP: {
      const o = decodeOfferBytes(data);
      return {
        kind: 'offer',
        json: { type: 'offer', ...offerIds(o.records), ...fieldsToJson(o, o.unknownFields, OFFER_TABLE) },
      };
    }
    case INVOICE_REQUEST_HRP: {
      const r = decodeInvoiceRequestBytes(data, { verifySignature: false });
      const signatureValid = verifyInvoiceRequestSignature(r);
      const json = {
        type: 'invoice_request',
        ...offerIds(r.records),
        ...fieldsToJson(r, r.unknownFields, INVOICE_REQUEST_TABLE),
        signature_valid: signatureValid,
      };
      return { kind: 'invoice_request', json, signatureValid };
    }
    case INVOICE_HRP: {
      const inv = decodeInvoiceBytes(data, { verifySignature: false });
      const signatureValid = verifyInvoiceSignature(inv);
      const json = {
        type: 'invoice',
        ...offerIds(inv.records),
        ...fieldsToJson(inv, inv.unknownFields, INVOICE_TABLE),
        signature_valid: signatureValid,
      };
      return { kind: 'invoice', json, signatureValid };
    }
    default:
      throw new Bolt12Error('string.unknown-prefix', `got ${JSON.stringify(hrp)}`);
  }
}

/** Same as `decodeBolt12Json(s).json`. */
export function bolt12ToJson(s: string): Record<string, unknown> {
  return decodeBolt12Json(s).json;
}

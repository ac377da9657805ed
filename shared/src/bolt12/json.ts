/**
 * The JSON view of any BOLT 12 string, as `jitlsp decode` prints it: every field by its spec name,
 * u64 values (amounts, timestamps) as decimal strings, bytes as hex, unknown TLVs as {type, hex},
 * the `offer_id`, and for signed messages whether the signature verifies.
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

function maybeOfferId(records: readonly TlvRecord[]): string | null {
  return records.some((r) => isOfferType(r.type)) ? toHex(offerId({ records })) : null;
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
        json: { type: 'offer', offer_id: toHex(offerId(o)), ...fieldsToJson(o, o.unknownFields, OFFER_TABLE) },
      };
    }
    case INVOICE_REQUEST_HRP: {
      const r = decodeInvoiceRequestBytes(data, { verifySignature: false });
      const signatureValid = verifyInvoiceRequestSignature(r);
      const json = {
        type: 'invoice_request',
        offer_id: maybeOfferId(r.records),
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
        offer_id: maybeOfferId(inv.records),
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

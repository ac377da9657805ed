/**
 * The TLV fields of each BOLT 12 stream, by type number: the spec name, the key in the typed
 * object, and the value codec. Offer fields are mirrored into invoice_request and invoice, and
 * invoice_request fields into invoice (BOLT 12: "the non-signature TLV elements get mirrored").
 * Recurrence types are from the recurrence draft (lightning/bolts PR #1240, BOLT-recurrence).
 */
import * as C from './field-codecs.js';
import type { FieldCodec } from './field-codecs.js';
import type { AnyFields } from './field-types.js';

export type FieldSpec = {
  type: bigint;
  /** The spec's name, used in JSON and errors. */
  name: string;
  key: keyof AnyFields;
  /** The value type depends on the field; `any` lets one table hold them all. */
  codec: FieldCodec<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
};

const f = (type: bigint, name: string, key: keyof AnyFields, codec: FieldCodec<any>): FieldSpec => ({
  // eslint-disable-line @typescript-eslint/no-explicit-any
  type,
  name,
  key,
  codec,
});

export const OFFER_FIELDS: readonly FieldSpec[] = [
  f(2n, 'offer_chains', 'offerChains', C.chainHashes),
  f(4n, 'offer_metadata', 'offerMetadata', C.bytes),
  f(6n, 'offer_currency', 'offerCurrency', C.utf8),
  f(8n, 'offer_amount', 'offerAmount', C.tu64),
  f(10n, 'offer_description', 'offerDescription', C.utf8),
  f(12n, 'offer_features', 'offerFeatures', C.bytes),
  f(14n, 'offer_absolute_expiry', 'offerAbsoluteExpiry', C.tu64),
  f(16n, 'offer_paths', 'offerPaths', C.blindedPaths),
  f(18n, 'offer_issuer', 'offerIssuer', C.utf8),
  f(20n, 'offer_quantity_max', 'offerQuantityMax', C.tu64),
  f(22n, 'offer_issuer_id', 'offerIssuerId', C.point),
  f(24n, 'offer_recurrence_compulsory', 'offerRecurrenceCompulsory', C.recurrence),
  f(25n, 'offer_recurrence_optional', 'offerRecurrenceOptional', C.recurrence),
  f(26n, 'offer_recurrence_base', 'offerRecurrenceBase', C.recurrenceBase),
  f(27n, 'offer_recurrence_paywindow', 'offerRecurrencePaywindow', C.recurrencePaywindow),
  f(29n, 'offer_recurrence_limit', 'offerRecurrenceLimit', C.tu32),
];

const INVREQ_OWN_FIELDS: readonly FieldSpec[] = [
  f(0n, 'invreq_metadata', 'invreqMetadata', C.bytes),
  f(80n, 'invreq_chain', 'invreqChain', C.chainHash),
  f(82n, 'invreq_amount', 'invreqAmountMsat', C.tu64),
  f(84n, 'invreq_features', 'invreqFeatures', C.bytes),
  f(86n, 'invreq_quantity', 'invreqQuantity', C.tu64),
  f(88n, 'invreq_payer_id', 'invreqPayerId', C.point),
  f(89n, 'invreq_payer_note', 'invreqPayerNote', C.utf8),
  f(90n, 'invreq_paths', 'invreqPaths', C.blindedPaths),
  f(91n, 'invreq_bip_353_name', 'invreqBip353Name', C.bip353Name),
  f(92n, 'invreq_recurrence_counter', 'invreqRecurrenceCounter', C.tu32),
  f(93n, 'invreq_recurrence_start', 'invreqRecurrenceStart', C.tu32),
];
const INVREQ_CANCEL = f(94n, 'invreq_recurrence_cancel', 'invreqRecurrenceCancel', C.flag);
const SIGNATURE = f(240n, 'signature', 'signature', C.bip340sig);

export const INVOICE_REQUEST_FIELDS: readonly FieldSpec[] = sorted([
  ...OFFER_FIELDS,
  ...INVREQ_OWN_FIELDS,
  INVREQ_CANCEL,
  SIGNATURE,
]);

export const INVOICE_FIELDS: readonly FieldSpec[] = sorted([
  ...OFFER_FIELDS,
  // BOLT-recurrence lists invreq fields 92 and 93 in the invoice, not 94: a cancel gets no invoice.
  ...INVREQ_OWN_FIELDS,
  f(160n, 'invoice_paths', 'invoicePaths', C.blindedPaths),
  f(162n, 'invoice_blindedpay', 'invoiceBlindedpay', C.blindedPayInfos),
  f(164n, 'invoice_created_at', 'invoiceCreatedAt', C.tu64),
  f(166n, 'invoice_relative_expiry', 'invoiceRelativeExpiry', C.tu32),
  f(168n, 'invoice_payment_hash', 'invoicePaymentHash', C.sha256Hash),
  f(170n, 'invoice_amount', 'invoiceAmountMsat', C.tu64),
  f(172n, 'invoice_fallbacks', 'invoiceFallbacks', C.fallbackAddresses),
  f(174n, 'invoice_features', 'invoiceFeatures', C.bytes),
  f(176n, 'invoice_node_id', 'invoiceNodeId', C.point),
  f(177n, 'invoice_recurrence_basetime', 'invoiceRecurrenceBasetime', C.tu64),
  SIGNATURE,
]);

export const INVOICE_ERROR_FIELDS: readonly FieldSpec[] = [
  f(1n, 'erroneous_field', 'erroneousField', C.tu64),
  f(3n, 'suggested_value', 'suggestedValue', C.bytes),
  f(5n, 'error', 'error', C.utf8),
];

function sorted(specs: FieldSpec[]): FieldSpec[] {
  return specs.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}

/** Lookup table for decoding (Map keys compare bigints by value). */
export type FieldTable = { byType: Map<bigint, FieldSpec>; list: readonly FieldSpec[] };

export function table(list: readonly FieldSpec[]): FieldTable {
  return { byType: new Map(list.map((s) => [s.type, s])), list };
}

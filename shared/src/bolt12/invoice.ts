/**
 * Invoices (BOLT 12 "Invoices", human-readable prefix `lni`), with `invoice_recurrence_basetime`
 * (type 177) of the recurrence draft (lightning/bolts PR #1240, BOLT-recurrence).
 *
 * `decodeInvoice` enforces each "MUST reject the invoice" rule that depends on the invoice alone,
 * including the signature (tag "lightninginvoicesignature", key `invoice_node_id`). Rules needing the
 * payer's state (does it match the request we sent, which path it came by, supported chains) belong
 * to the caller; expiry is `isInvoiceExpired(invoice, now)`.
 */
import { equalBytes, getPublicKey } from '../crypto/index.js';
import { encodeTlvStream, type TlvRecord } from '../tlv/index.js';
import type { BlindedPath, BlindedPayInfo } from '../wire/index.js';
import { check } from './errors.js';
import { INVOICE_KNOWN_FEATURES, unknownEvenBits } from './features.js';
import type { FallbackAddress, InvoiceFields, InvoiceRequestFields, UnknownField } from './field-types.js';
import type { InvoiceRequest } from './invoice-request.js';
import { isSignatureType, merkleRoot } from './merkle.js';
import type { ReaderOptions } from './offer.js';
import { INVOICE_FIELDS, INVOICE_REQUEST_FIELDS, table } from './registry.js';
import { signMerkleRoot, verifyMerkleSignature } from './signature.js';
import { decodeBolt12String, encodeBolt12String } from './string-form.js';
import { fieldRecords, parseRecords, readFields } from './tlv-fields.js';

export const INVOICE_HRP = 'lni';
export const INVOICE_TABLE = table(INVOICE_FIELDS);

/** BOLT 12: the default `invoice_relative_expiry` is 7200 seconds. */
export const DEFAULT_INVOICE_RELATIVE_EXPIRY_SECONDS = 7200;

export type Invoice = InvoiceFields & {
  invoicePaths: BlindedPath[];
  invoiceBlindedpay: BlindedPayInfo[];
  invoiceCreatedAt: bigint;
  invoicePaymentHash: Uint8Array;
  invoiceAmountMsat: bigint;
  invoiceNodeId: Uint8Array;
  readonly unknownFields: UnknownField[];
  readonly records: readonly TlvRecord[];
};

export type InvoiceReaderOptions = ReaderOptions & {
  /** Check the signature (default true). `false` is for inspection only. */
  verifySignature?: boolean;
  /** `blinded_payinfo.features` bits the payer understands (default: none). */
  knownPayinfoFeatures?: ReadonlySet<number>;
};

/** Indexes of the `invoice_paths` a payer may use: those whose payinfo has no unknown even feature bit. */
export function usableInvoicePaths(inv: InvoiceFields, knownPayinfoFeatures?: ReadonlySet<number>): number[] {
  const out: number[] = [];
  inv.invoiceBlindedpay?.forEach((p, i) => {
    // BOLT 12: MUST NOT use the corresponding path if payinfo.features has any unknown even bits set.
    if (unknownEvenBits(p.features, knownPayinfoFeatures).length === 0) out.push(i);
  });
  return out;
}

/**
 * The `invoice_fallbacks` a bitcoin payer may use. BOLT 12: MUST ignore any `fallback_address` whose
 * `version` is greater than 16, or whose `address` is shorter than 2 or longer than 40 bytes.
 * (Checking the program against the version's own rules, e.g. 20 or 32 bytes for v0, is left to
 * the wallet that builds the output.)
 */
export function usableFallbacks(inv: InvoiceFields): FallbackAddress[] {
  return (inv.invoiceFallbacks ?? []).filter((f) => f.version <= 16 && f.address.length >= 2 && f.address.length <= 40);
}

/** The stateless reader rules of BOLT 12 (and BOLT-recurrence) on an invoice's fields. */
export function checkInvoiceFields(inv: InvoiceFields, opts: InvoiceReaderOptions = {}): void {
  check(inv.invoiceAmountMsat !== undefined, 'invoice.missing-amount', undefined, 170n);
  check(inv.invoiceCreatedAt !== undefined, 'invoice.missing-created-at', undefined, 164n);
  check(inv.invoicePaymentHash !== undefined, 'invoice.missing-payment-hash', undefined, 168n);
  check(inv.invoiceNodeId !== undefined, 'invoice.missing-node-id', undefined, 176n);
  const known = new Set([...INVOICE_KNOWN_FEATURES, ...(opts.knownFeatures ?? [])]);
  const evenBits = unknownEvenBits(inv.invoiceFeatures, known);
  check(evenBits.length === 0, 'invoice.unknown-even-feature', `bits ${evenBits.join(', ')}`, 174n);
  check(inv.invoicePaths !== undefined && inv.invoicePaths.length > 0, 'invoice.missing-paths', undefined, 160n);
  inv.invoicePaths.forEach((p, i) => check(p.hops.length > 0, 'invoice.zero-hops', `invoice_paths[${i}]`, 160n));
  check(inv.invoiceBlindedpay !== undefined, 'invoice.missing-blindedpay', undefined, 162n);
  check(
    inv.invoiceBlindedpay.length === inv.invoicePaths.length,
    'invoice.blindedpay-count',
    `${inv.invoiceBlindedpay.length} payinfo for ${inv.invoicePaths.length} paths`,
    162n,
  );
  check(usableInvoicePaths(inv, opts.knownPayinfoFeatures).length > 0, 'invoice.no-usable-path', undefined, 162n);
  if (inv.invreqAmountMsat !== undefined) {
    check(
      inv.invoiceAmountMsat === inv.invreqAmountMsat,
      'invoice.amount-mismatch',
      `${inv.invoiceAmountMsat} != ${inv.invreqAmountMsat}`,
      170n,
    );
  }
  if (inv.offerRecurrenceCompulsory || inv.offerRecurrenceOptional) {
    check(inv.invoiceRecurrenceBasetime !== undefined, 'invoice.recurrence-missing-basetime', undefined, 177n);
    if (inv.invreqRecurrenceCounter === 0) {
      const expected = inv.offerRecurrenceBase ? inv.offerRecurrenceBase.basetime : inv.invoiceCreatedAt;
      check(
        inv.invoiceRecurrenceBasetime === expected,
        'invoice.recurrence-basetime',
        `${inv.invoiceRecurrenceBasetime} != ${expected}`,
        177n,
      );
    }
  }
}

export function verifyInvoiceSignature(inv: {
  records: readonly TlvRecord[];
  signature?: Uint8Array;
  invoiceNodeId?: Uint8Array;
}): boolean {
  if (!inv.signature || !inv.invoiceNodeId) return false;
  return verifyMerkleSignature('invoice', merkleRoot(inv.records), inv.signature, inv.invoiceNodeId);
}

export function decodeInvoiceBytes(bytes: Uint8Array, opts: InvoiceReaderOptions = {}): Invoice {
  const records = parseRecords(bytes, 'invoice');
  const { fields, unknownFields } = readFields<InvoiceFields>(records, INVOICE_TABLE, 'invoice', () => undefined);
  checkInvoiceFields(fields, opts);
  const inv = Object.assign(fields, { unknownFields, records }) as Invoice;
  if (opts.verifySignature !== false) {
    check(inv.signature !== undefined, 'invoice.missing-signature', undefined, 240n);
    check(verifyInvoiceSignature(inv), 'invoice.signature', undefined, 240n);
  }
  return inv;
}

/** Decodes an `lni1...` string. */
export function decodeInvoice(s: string, opts: InvoiceReaderOptions = {}): Invoice {
  return decodeInvoiceBytes(decodeBolt12String(s, INVOICE_HRP).data, opts);
}

type Writable = InvoiceFields & { unknownFields?: readonly UnknownField[] };

/**
 * Signs with the secret key of `invoice_node_id` (BOLT 12: MUST set `sig` using `invoice_node_id`)
 * and returns the TLV bytes. `aux` is BIP-340 auxiliary randomness.
 */
export function signInvoice(inv: Writable, nodeSecretKey: Uint8Array, aux?: Uint8Array): Uint8Array {
  const unsigned = { ...inv, signature: undefined };
  checkInvoiceFields(unsigned);
  if (!equalBytes(getPublicKey(nodeSecretKey), unsigned.invoiceNodeId!)) {
    throw new RangeError('signInvoice: the secret key does not belong to invoice_node_id');
  }
  const unknown = inv.unknownFields ?? [];
  const records = fieldRecords(unsigned, unknown, INVOICE_TABLE);
  const signature = signMerkleRoot('invoice', merkleRoot(records), nodeSecretKey, aux);
  return encodeTlvStream(fieldRecords({ ...unsigned, signature }, unknown, INVOICE_TABLE));
}

export function encodeInvoiceBytes(inv: Writable): Uint8Array {
  checkInvoiceFields(inv);
  return encodeTlvStream(fieldRecords(inv, inv.unknownFields ?? [], INVOICE_TABLE));
}

export function encodeInvoice(inv: Writable, opts?: { uppercase?: boolean }): string {
  return encodeBolt12String(INVOICE_HRP, encodeInvoiceBytes(inv), opts);
}

const INVREQ_KEYS = INVOICE_REQUEST_FIELDS.filter((s) => !isSignatureType(s.type)).map((s) => s.key);

/**
 * The invoice fields copied from an invoice_request. BOLT 12: the writer MUST copy all non-signature
 * fields from the invoice request (including unknown fields); unknown signature-range fields are not.
 */
export function fieldsFromInvoiceRequest(
  req: InvoiceRequest,
): InvoiceRequestFields & { unknownFields: UnknownField[] } {
  const out: Record<string, unknown> = {};
  for (const key of INVREQ_KEYS)
    if (req[key as keyof InvoiceRequest] !== undefined) out[key] = req[key as keyof InvoiceRequest];
  // BOLT-recurrence: `invreq_recurrence_cancel` is not an invoice field (a cancel gets no invoice).
  delete out.invreqRecurrenceCancel;
  return { ...(out as InvoiceRequestFields), unknownFields: req.unknownFields.filter((u) => !isSignatureType(u.type)) };
}

/** When payment of the invoice should no longer be attempted (seconds since 1970). */
export function invoiceExpiresAt(inv: InvoiceFields & { invoiceCreatedAt: bigint }): bigint {
  return inv.invoiceCreatedAt + BigInt(inv.invoiceRelativeExpiry ?? DEFAULT_INVOICE_RELATIVE_EXPIRY_SECONDS);
}

/** BOLT 12: MUST reject the invoice if the current time is greater than created_at plus the relative expiry. */
export function isInvoiceExpired(inv: InvoiceFields & { invoiceCreatedAt: bigint }, now: Date): boolean {
  return BigInt(Math.floor(now.getTime() / 1000)) > invoiceExpiresAt(inv);
}

/**
 * Invoice requests (BOLT 12 "Invoice Requests", human-readable prefix `lnr`), with the recurrence
 * fields of the recurrence draft (lightning/bolts PR #1240, BOLT-recurrence: types 92, 93, 94).
 *
 * `decodeInvoiceRequest` enforces each reader rule that depends on the message alone, including
 * the signature (BOLT 12 "Signature Calculation", tag "lightninginvoice_requestsignature", key
 * `invreq_payer_id`). Rules needing the receiver's state (does it match one of our offers, arrived
 * via which path, previous requests, supported chains, the clock) belong to the caller.
 * Vector: the invoice_request of `bolt12/signature-test.json`.
 */
import { getPublicKey, equalBytes } from '../crypto/index.js';
import { encodeTlvStream, type TlvRecord } from '../tlv/index.js';
import { Bolt12Error, check } from './errors.js';
import { unknownEvenBits } from './features.js';
import type { InvoiceRequestFields, UnknownField } from './field-types.js';
import { isSignatureType, merkleRoot } from './merkle.js';
import { checkOfferFields, type ReaderOptions } from './offer.js';
import { INVOICE_REQUEST_FIELDS, table } from './registry.js';
import type { Bolt12Rule } from './rules.js';
import { signMerkleRoot, verifyMerkleSignature } from './signature.js';
import { decodeBolt12String, encodeBolt12String } from './string-form.js';
import { fieldRecords, parseRecords, readFields, writeFields } from './tlv-fields.js';

export const INVOICE_REQUEST_HRP = 'lnr';
export const INVOICE_REQUEST_TABLE = table(INVOICE_REQUEST_FIELDS);

export type InvoiceRequest = InvoiceRequestFields & {
  invreqMetadata: Uint8Array;
  invreqPayerId: Uint8Array;
  readonly unknownFields: UnknownField[];
  readonly records: readonly TlvRecord[];
};

export type InvoiceRequestReaderOptions = ReaderOptions & {
  /**
   * Check the signature (default true): BOLT 12 says to reject the invoice request if it is not
   * correct. `false` is for inspection (`jitlsp decode` reports validity separately).
   */
  verifySignature?: boolean;
};

/** BOLT 12: non-signature fields of an invoice_request are in 0-159 and 1000000000-2999999999. */
export function isInvoiceRequestType(type: bigint): boolean {
  return (type >= 0n && type <= 159n) || (type >= 1_000_000_000n && type <= 2_999_999_999n);
}

const invreqRange = (type: bigint): Bolt12Rule | undefined =>
  isInvoiceRequestType(type) || isSignatureType(type) ? undefined : 'invreq.range';

/** The stateless reader rules of BOLT 12 (and BOLT-recurrence) on an invoice_request's fields. */
export function checkInvoiceRequestFields(r: InvoiceRequestFields, opts: ReaderOptions = {}): void {
  check(r.invreqPayerId !== undefined, 'invreq.missing-payer-id');
  check(r.invreqMetadata !== undefined, 'invreq.missing-metadata');
  const evenBits = unknownEvenBits(r.invreqFeatures, opts.knownFeatures);
  check(evenBits.length === 0, 'invreq.unknown-even-feature', `bits ${evenBits.join(', ')}`, 84n);
  r.invreqPaths?.forEach((p, i) => check(p.hops.length > 0, 'invreq.zero-hops', `invreq_paths[${i}]`, 90n));
  const cancel = r.invreqRecurrenceCancel === true;

  if (r.offerIssuerId !== undefined || r.offerPaths !== undefined) {
    // A response to an offer: the offer's own reader rules hold for the mirrored fields.
    checkOfferFields(r, opts);
    if (r.offerQuantityMax !== undefined) {
      check(cancel || r.invreqQuantity !== undefined, 'invreq.missing-quantity', undefined, 86n);
      if (r.offerQuantityMax > 0n && r.invreqQuantity !== undefined) {
        const q = r.invreqQuantity;
        check(
          q > 0n && q <= r.offerQuantityMax,
          'invreq.quantity-range',
          `quantity ${q}, max ${r.offerQuantityMax}`,
          86n,
        );
      }
    } else {
      check(r.invreqQuantity === undefined, 'invreq.unexpected-quantity', undefined, 86n);
    }
    if (r.offerAmount !== undefined) {
      // The expected amount is only computable here without a currency conversion.
      if (r.offerCurrency === undefined && r.invreqAmountMsat !== undefined) {
        const expected = r.offerAmount * (r.invreqQuantity ?? 1n);
        check(
          r.invreqAmountMsat >= expected,
          'invreq.amount-below-expected',
          `${r.invreqAmountMsat} < ${expected} msat`,
          82n,
        );
      }
    } else {
      check(cancel || r.invreqAmountMsat !== undefined, 'invreq.missing-amount', undefined, 82n);
    }
    checkInvoiceRequestRecurrence(r);
  } else {
    const stray = [
      r.offerChains && 'offer_chains',
      r.offerFeatures && 'offer_features',
      r.offerQuantityMax !== undefined && 'offer_quantity_max',
    ];
    const present = stray.filter(Boolean);
    check(present.length === 0, 'invreq.offer-fields-without-offer', `has ${present.join(', ')}`);
    check(r.invreqAmountMsat !== undefined, 'invreq.missing-amount', undefined, 82n);
  }

  if (r.invreqBip353Name) {
    const { name, domain } = r.invreqBip353Name;
    check(BIP353_CHARS.test(name) && BIP353_CHARS.test(domain), 'invreq.bip353-chars', undefined, 91n);
  }
}

const BIP353_CHARS = /^[0-9a-zA-Z._-]*$/;

function checkInvoiceRequestRecurrence(r: InvoiceRequestFields): void {
  const recurrence = r.offerRecurrenceCompulsory ?? r.offerRecurrenceOptional;
  if (!recurrence) {
    const stray = r.invreqRecurrenceCounter ?? r.invreqRecurrenceStart ?? r.invreqRecurrenceCancel;
    check(stray === undefined, 'invreq.recurrence-without-offer-recurrence');
    return;
  }
  check(r.invreqRecurrenceCounter !== undefined, 'invreq.recurrence-missing-counter', undefined, 92n);
  if (r.offerRecurrenceBase)
    check(r.invreqRecurrenceStart !== undefined, 'invreq.recurrence-missing-start', undefined, 93n);
  else check(r.invreqRecurrenceStart === undefined, 'invreq.recurrence-unexpected-start', undefined, 93n);
  const periodIndex = r.invreqRecurrenceCounter + (r.invreqRecurrenceStart ?? 0);
  if (r.offerRecurrenceLimit !== undefined) {
    check(
      periodIndex <= r.offerRecurrenceLimit,
      'invreq.recurrence-over-limit',
      `period ${periodIndex} > ${r.offerRecurrenceLimit}`,
    );
  }
  check(
    !(r.invreqRecurrenceCounter === 0 && r.invreqRecurrenceCancel),
    'invreq.recurrence-cancel-initial',
    undefined,
    94n,
  );
}

/** Verifies the invoice_request `signature` over the Merkle root of its records. */
export function verifyInvoiceRequestSignature(r: {
  records: readonly TlvRecord[];
  signature?: Uint8Array;
  invreqPayerId?: Uint8Array;
}): boolean {
  if (!r.signature || !r.invreqPayerId) return false;
  return verifyMerkleSignature('invoice_request', merkleRoot(r.records), r.signature, r.invreqPayerId);
}

export function decodeInvoiceRequestBytes(bytes: Uint8Array, opts: InvoiceRequestReaderOptions = {}): InvoiceRequest {
  const records = parseRecords(bytes, 'invoice_request');
  const { fields, unknownFields } = readFields<InvoiceRequestFields>(
    records,
    INVOICE_REQUEST_TABLE,
    'invoice_request',
    invreqRange,
  );
  checkInvoiceRequestFields(fields, opts);
  const r = Object.assign(fields, { unknownFields, records }) as InvoiceRequest;
  if (opts.verifySignature !== false) {
    check(r.signature !== undefined, 'invreq.missing-signature', undefined, 240n);
    check(verifyInvoiceRequestSignature(r), 'invreq.signature', undefined, 240n);
  }
  return r;
}

/** Decodes an `lnr1...` string. */
export function decodeInvoiceRequest(s: string, opts: InvoiceRequestReaderOptions = {}): InvoiceRequest {
  return decodeInvoiceRequestBytes(decodeBolt12String(s, INVOICE_REQUEST_HRP).data, opts);
}

type Writable = InvoiceRequestFields & { unknownFields?: readonly UnknownField[] };

function checkWritable(r: Writable): void {
  checkInvoiceRequestFields(r);
  for (const u of r.unknownFields ?? []) {
    if (!isInvoiceRequestType(u.type) && !isSignatureType(u.type))
      throw new Bolt12Error('invreq.range', `unknown field type ${u.type}`, u.type);
  }
}

/** Encodes the fields as they are (with `signature` if set). */
export function encodeInvoiceRequestBytes(r: Writable): Uint8Array {
  checkWritable(r);
  return writeFields(r, r.unknownFields ?? [], INVOICE_REQUEST_TABLE);
}

/**
 * Signs with the secret key of `invreq_payer_id` (BOLT 12: MUST set `signature`.`sig` using the
 * `invreq_payer_id`) and returns the TLV bytes. `aux` is BIP-340 auxiliary randomness.
 */
export function signInvoiceRequest(r: Writable, payerSecretKey: Uint8Array, aux?: Uint8Array): Uint8Array {
  const unsigned = { ...r, signature: undefined };
  checkWritable(unsigned);
  if (!equalBytes(getPublicKey(payerSecretKey), unsigned.invreqPayerId!)) {
    throw new RangeError('signInvoiceRequest: the secret key does not belong to invreq_payer_id');
  }
  const records = fieldRecords(unsigned, r.unknownFields ?? [], INVOICE_REQUEST_TABLE);
  const signature = signMerkleRoot('invoice_request', merkleRoot(records), payerSecretKey, aux);
  return encodeTlvStream(fieldRecords({ ...unsigned, signature }, r.unknownFields ?? [], INVOICE_REQUEST_TABLE));
}

export function encodeInvoiceRequest(r: Writable, opts?: { uppercase?: boolean }): string {
  return encodeBolt12String(INVOICE_REQUEST_HRP, encodeInvoiceRequestBytes(r), opts);
}

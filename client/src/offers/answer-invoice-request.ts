/**
 * The recipient's answer to an invoice_request for one of its TS-built offers (BOLT 12 "Requirements
 * for Invoice Requests", reader, and "Requirements" for invoices, writer). Pure: the shell finds the
 * offer by the blinded path the request arrived on, calls `judgeInvoiceRequest`, and only for an
 * `accept` makes the payment (hash, secret, paths) and calls `buildInvoice`.
 *
 * What is answered and what is dropped:
 * - every reader rule of the codec, the signature, the chain and the offer's expiry: rejected with
 *   an `invoice_error` naming the erroneous field (and the expected amount as `suggested_value` when
 *   the amount was too low);
 * - a request whose offer fields are not this offer's ("MUST ignore the invoice_request if it did not
 *   arrive via one of those paths": the path was this offer's), a request that answers no offer, and
 *   an oversized message: dropped, no reply, so a path cannot be probed for the other offers behind it.
 */
import {
  Bolt12Error,
  checkInvoiceRequestChain,
  checkInvoiceRequestMatchesOffer,
  decodeInvoiceRequestBytes,
  expectedAmountMsat,
  fieldsFromInvoiceRequest,
  invoiceErrorFor,
  signInvoice,
  type InvoiceErrorFields,
  type InvoiceFields,
  type InvoiceRequest,
  type Offer,
  type UnknownField,
} from '@jitlsp/shared/bolt12';
import { encodeTu64 } from '@jitlsp/shared/tlv';
import type { BlindedPath, BlindedPayInfo } from '@jitlsp/shared/wire';

/** Far above any real invoice_request (a few hundred bytes with paths and a note). */
export const MAX_INVOICE_REQUEST_BYTES = 8 * 1024;
/** BOLT 12 default `invoice_relative_expiry` is 7200 s; ours is the same unless the shell says otherwise. */
export const DEFAULT_INVOICE_EXPIRY_SECS = 7200;

export interface JudgeContext {
  now: Date;
  supportedChains: readonly Uint8Array[];
  maxRequestBytes?: number;
}

export type InvoiceRequestVerdict =
  | {
      kind: 'accept';
      request: InvoiceRequest;
      /** `invreq_amount`, or the expected amount (BOLT 12: what `invoice_amount` MUST be). */
      amountMsat: bigint;
    }
  | { kind: 'reject'; rule: string; invoiceError: InvoiceErrorFields & { error: string } }
  | { kind: 'drop'; reason: 'oversized' | 'not-for-an-offer' | 'offer-mismatch' };

const reject = (e: Bolt12Error, suggested?: Uint8Array): InvoiceRequestVerdict => ({
  kind: 'reject',
  rule: e.rule,
  invoiceError: invoiceErrorFor(e, suggested),
});

/** Judges the raw invoice_request `bytes` that arrived on a path of `offer`. Never throws on input. */
export function judgeInvoiceRequest(offer: Offer, bytes: Uint8Array, ctx: JudgeContext): InvoiceRequestVerdict {
  if (bytes.length > (ctx.maxRequestBytes ?? MAX_INVOICE_REQUEST_BYTES)) return { kind: 'drop', reason: 'oversized' };
  let request: InvoiceRequest;
  try {
    request = decodeInvoiceRequestBytes(bytes);
  } catch (e) {
    if (!(e instanceof Bolt12Error)) return reject(new Bolt12Error('tlv.invalid-value', String(e)));
    if (e.rule === 'invreq.amount-below-expected') {
      const expected = expectedAmountMsat(offer);
      // The quantity is the request's; the offer's amount alone is the least the payer must pay.
      return reject(e, expected !== undefined ? encodeTu64(expected) : undefined);
    }
    return reject(e);
  }
  if (request.offerIssuerId === undefined && request.offerPaths === undefined)
    return { kind: 'drop', reason: 'not-for-an-offer' };
  try {
    checkInvoiceRequestMatchesOffer(request, offer, ctx.now);
  } catch (e) {
    if (e instanceof Bolt12Error && e.rule === 'invreq.offer-mismatch')
      return { kind: 'drop', reason: 'offer-mismatch' };
    return reject(e as Bolt12Error);
  }
  try {
    checkInvoiceRequestChain(request, ctx.supportedChains);
  } catch (e) {
    return reject(e as Bolt12Error);
  }
  // The decoder enforced invreq_amount >= expected, and invreq_amount present without offer_amount.
  const amountMsat = request.invreqAmountMsat ?? expectedAmountMsat(request);
  if (amountMsat === undefined) return reject(new Bolt12Error('invreq.missing-amount', 'offer in a currency', 82n));
  return { kind: 'accept', request, amountMsat };
}

/** BOLT 12 invoice features: MPP compulsory (bit 16) or optional (bit 17). */
export type MppSupport = 'none' | 'optional' | 'compulsory';

export function invoiceFeatures(mpp: MppSupport): Uint8Array | undefined {
  if (mpp === 'none') return undefined;
  return new Uint8Array([mpp === 'compulsory' ? 0x01 : 0x02, 0x00, 0x00]);
}

export interface InvoicePayment {
  paymentHash: Uint8Array;
  /** `invoice_paths` with their `invoice_blindedpay`, most preferred first. */
  paths: { path: BlindedPath; payinfo: BlindedPayInfo }[];
  mpp: MppSupport;
  relativeExpirySecs?: number;
}

/**
 * The signed invoice answering an accepted request: the request's non-signature fields mirrored,
 * then `invoice_*` (BOLT 12 writer), signed with the offer key (the secret key of `offer_issuer_id`).
 * BOLT 12: `invoice_amount` is `invreq_amount` when present, otherwise the expected amount (the verdict's).
 */
export function buildInvoice(
  accepted: { request: InvoiceRequest; amountMsat: bigint },
  payment: InvoicePayment,
  offerSecretKey: Uint8Array,
  now: Date,
  aux?: Uint8Array,
): Uint8Array {
  if (payment.paths.length === 0) throw new RangeError('buildInvoice: expected at least one payment path');
  if (!accepted.request.offerIssuerId) throw new RangeError('buildInvoice: the request has no offer_issuer_id');
  // Mirrors unknown odd fields too (`unknownFields`), as BOLT 12's writer MUST.
  const fields: InvoiceFields & { unknownFields: UnknownField[] } = {
    ...fieldsFromInvoiceRequest(accepted.request),
    invoicePaths: payment.paths.map((p) => p.path),
    invoiceBlindedpay: payment.paths.map((p) => p.payinfo),
    invoiceCreatedAt: BigInt(Math.floor(now.getTime() / 1000)),
    invoicePaymentHash: payment.paymentHash,
    invoiceAmountMsat: accepted.amountMsat,
    invoiceNodeId: accepted.request.offerIssuerId,
  };
  const expiry = payment.relativeExpirySecs ?? DEFAULT_INVOICE_EXPIRY_SECS;
  if (expiry !== DEFAULT_INVOICE_EXPIRY_SECS) fields.invoiceRelativeExpiry = expiry;
  const features = invoiceFeatures(payment.mpp);
  if (features) fields.invoiceFeatures = features;
  return signInvoice(fields, offerSecretKey, aux);
}

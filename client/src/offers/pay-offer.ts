/**
 * The payer's half of the offers flow, pure: the signed invoice_request for an offer (BOLT 12
 * "Requirements for Invoice Requests", writer) and the checks on the invoice that answers it
 * ("Requirements" for invoices, reader), including the ones that need the request and the clock.
 *
 * The payer key is transient per request (`keys.ts`), derived from the request's unpredictable
 * `invreq_metadata`; so the payer needs to keep only the request bytes.
 */
import {
  checkInvoiceAmount,
  checkInvoiceChain,
  checkInvoiceMatchesRequest,
  checkInvoiceNotExpired,
  checkOfferChains,
  checkOfferNotExpired,
  decodeInvoiceBytes,
  decodeInvoiceRequestBytes,
  expectedAmountMsat,
  signInvoiceRequest,
  type Invoice,
  type InvoiceRequest,
  type InvoiceRequestFields,
  type Offer,
} from '@jitlsp/shared/bolt12';
import { isBitcoin } from './chains.js';
import { OfferInputError } from './errors.js';
import { payerKeyPair } from './keys.js';

export interface InvoiceRequestParams {
  offer: Offer;
  /** The chain the payer pays on (its node's network). */
  chain: Uint8Array;
  /** Required for an offer without an amount; otherwise at least the expected amount, or absent. */
  amountMsat?: bigint;
  /** Required when the offer has `offer_quantity_max`. */
  quantity?: bigint;
  payerNote?: string;
  /** `invreq_metadata`: 32 unpredictable bytes from the injected randomness. */
  metadata: Uint8Array;
  now: Date;
}

export type BuiltInvoiceRequest = { bytes: Uint8Array; request: InvoiceRequest };

/**
 * Builds and signs the invoice_request. Throws `Bolt12Error` for an offer BOLT 12 says not to answer
 * (expired, another chain) and `OfferInputError` for a bad amount or quantity.
 */
export function buildInvoiceRequest(root: Uint8Array, p: InvoiceRequestParams): BuiltInvoiceRequest {
  const { offer } = p;
  checkOfferChains(offer, [p.chain]);
  checkOfferNotExpired(offer, p.now);
  if (p.metadata.length < 16) throw new OfferInputError('metadata', 'expected at least 16 unpredictable bytes');

  if (offer.offerQuantityMax !== undefined) {
    if (p.quantity === undefined || p.quantity <= 0n)
      throw new OfferInputError('quantity', 'the offer sells a quantity: expected a bigint > 0');
    if (offer.offerQuantityMax > 0n && p.quantity > offer.offerQuantityMax)
      throw new OfferInputError('quantity', `at most ${offer.offerQuantityMax}`);
  } else if (p.quantity !== undefined) {
    throw new OfferInputError('quantity', 'the offer has no offer_quantity_max: omit the quantity');
  }
  const withQuantity: InvoiceRequestFields = { ...offer, invreqQuantity: p.quantity };
  const expected = expectedAmountMsat(withQuantity);
  if (offer.offerAmount === undefined && p.amountMsat === undefined)
    throw new OfferInputError('amountMsat', 'the offer has no amount: the payer must name one');
  if (p.amountMsat !== undefined) {
    if (p.amountMsat <= 0n) throw new OfferInputError('amountMsat', 'expected a bigint > 0');
    if (expected !== undefined && p.amountMsat < expected)
      throw new OfferInputError('amountMsat', `below the offer's ${expected} msat`);
  }

  const keys = payerKeyPair(root, p.metadata);
  const fields: InvoiceRequestFields & { unknownFields: Offer['unknownFields'] } = {
    ...offerFieldsOf(offer),
    unknownFields: offer.unknownFields,
    invreqMetadata: p.metadata,
    invreqPayerId: keys.publicKey,
  };
  // BOLT 12: with offer_chains, invreq_chain is one of them unless it is bitcoin (then omitted).
  if (!isBitcoin(p.chain)) fields.invreqChain = p.chain;
  if (p.amountMsat !== undefined) fields.invreqAmountMsat = p.amountMsat;
  if (p.quantity !== undefined) fields.invreqQuantity = p.quantity;
  if (p.payerNote !== undefined) fields.invreqPayerNote = p.payerNote;
  const bytes = signInvoiceRequest(fields, keys.secretKey);
  return { bytes, request: decodeInvoiceRequestBytes(bytes) };
}

/** The offer's own fields (BOLT 12: the writer "MUST copy all fields from the offer"). */
function offerFieldsOf(offer: Offer): InvoiceRequestFields {
  const { unknownFields: _u, records: _r, ...fields } = offer;
  return fields;
}

export interface VerifyInvoiceContext {
  request: InvoiceRequest;
  now: Date;
  supportedChains: readonly Uint8Array[];
  /** The final `blinded_node_id` of the offer path the request went along (offers without an issuer id). */
  sentTo?: Uint8Array;
}

/**
 * Decodes `bytes` and applies every reader rule: the invoice's own (signature, paths, features), the
 * chain, the expiry, the exact mirror of the request, `invoice_node_id`, and the amount. Throws
 * `Bolt12Error` naming the first rule broken.
 */
export function verifyInvoice(bytes: Uint8Array, ctx: VerifyInvoiceContext): Invoice {
  const invoice = decodeInvoiceBytes(bytes);
  checkInvoiceChain(invoice, ctx.supportedChains);
  checkInvoiceNotExpired(invoice, ctx.now);
  checkInvoiceMatchesRequest(invoice, ctx.request, ctx.sentTo);
  checkInvoiceAmount(invoice);
  return invoice;
}

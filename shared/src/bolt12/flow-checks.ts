/**
 * The BOLT 12 reader rules that need the reader's context rather than the message alone: which
 * chains it supports, the current time (injected as `now`), and the earlier message of the same
 * flow (the offer an invoice_request answers, the invoice_request an invoice answers). Each throws
 * `Bolt12Error` naming the rule, like the decoders.
 */
import { equalBytes, fromHex } from '../crypto/index.js';
import type { TlvRecord } from '../tlv/index.js';
import { check } from './errors.js';
import type { InvoiceFields, InvoiceRequestFields, OfferFields } from './field-types.js';
import { invoiceExpiresAt, type Invoice } from './invoice.js';
import type { InvoiceRequest } from './invoice-request.js';
import { isOfferExpired, isOfferType, type Offer } from './offer.js';

/** The bitcoin mainnet `chain_hash` (genesis block hash, as offers-test.json "for bitcoin" has it). */
export const BITCOIN_CHAIN_HASH = fromHex(
  '6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000',
  'bitcoin chain hash',
  32,
);

const has = (chains: readonly Uint8Array[], c: Uint8Array) => chains.some((s) => equalBytes(s, c));

/** BOLT 12: MUST NOT respond to the offer unless it accepts one of `offer_chains` (bitcoin when absent). */
export function checkOfferChains(o: OfferFields, supportedChains: readonly Uint8Array[]): void {
  const chains = o.offerChains ?? [BITCOIN_CHAIN_HASH];
  check(
    chains.some((c) => has(supportedChains, c)),
    'offer.unsupported-chain',
    undefined,
    2n,
  );
}

/** BOLT 12: MUST reject the invoice request if `invreq_chain` (bitcoin when absent) is not supported. */
export function checkInvoiceRequestChain(r: InvoiceRequestFields, supportedChains: readonly Uint8Array[]): void {
  check(has(supportedChains, r.invreqChain ?? BITCOIN_CHAIN_HASH), 'invreq.unsupported-chain', undefined, 80n);
}

/** BOLT 12: MUST reject the invoice if `invreq_chain` (bitcoin when absent) is not supported. */
export function checkInvoiceChain(inv: InvoiceFields, supportedChains: readonly Uint8Array[]): void {
  check(has(supportedChains, inv.invreqChain ?? BITCOIN_CHAIN_HASH), 'invoice.unsupported-chain', undefined, 80n);
}

/** BOLT 12: MUST NOT respond to the offer if the current time is after `offer_absolute_expiry`. */
export function checkOfferNotExpired(o: OfferFields, now: Date): void {
  check(!isOfferExpired(o, now), 'offer.expired', `expired at ${o.offerAbsoluteExpiry}`, 14n);
}

/** BOLT 12: MUST reject the invoice once the current time is past created_at plus the relative expiry. */
export function checkInvoiceNotExpired(inv: Invoice, now: Date): void {
  const expiresAt = invoiceExpiresAt(inv);
  check(BigInt(Math.floor(now.getTime() / 1000)) <= expiresAt, 'invoice.expired', `expired at ${expiresAt}`, 164n);
}

function sameRecords(a: readonly TlvRecord[], b: readonly TlvRecord[]): boolean {
  return a.length === b.length && a.every((r, i) => r.type === b[i]!.type && equalBytes(r.value, b[i]!.value));
}

/**
 * For the issuer of `offer` receiving `req`: BOLT 12 "MUST reject the invoice request if the offer
 * fields do not exactly match a valid, unexpired offer". BOLT-recurrence: the expiry applies only
 * to an initial request (no `invreq_recurrence_counter`, or 0).
 */
export function checkInvoiceRequestMatchesOffer(req: InvoiceRequest, offer: Offer, now: Date): void {
  check(
    sameRecords(
      req.records.filter((r) => isOfferType(r.type)),
      offer.records,
    ),
    'invreq.offer-mismatch',
  );
  if (!req.invreqRecurrenceCounter) checkOfferNotExpired(offer, now);
}

/** BOLT 12: the invoice mirrors the invoice_request in 0-159 and 1000000000-2999999999. */
function isMirroredType(type: bigint): boolean {
  return (type >= 0n && type <= 159n) || (type >= 1_000_000_000n && type <= 2_999_999_999n);
}

/**
 * For the payer receiving `inv` in answer to its `req`: the mirrored fields match exactly, and
 * `invoice_node_id` is `offer_issuer_id`, or without it the final `blinded_node_id` of the offer path
 * the request was sent along (`sentTo`; when not given, the final node of any offer path).
 */
export function checkInvoiceMatchesRequest(inv: Invoice, req: InvoiceRequest, sentTo?: Uint8Array): void {
  const mirrored = (records: readonly TlvRecord[]) => records.filter((r) => isMirroredType(r.type));
  check(sameRecords(mirrored(inv.records), mirrored(req.records)), 'invoice.request-mismatch');
  if (req.offerIssuerId) {
    check(equalBytes(inv.invoiceNodeId, req.offerIssuerId), 'invoice.node-id-mismatch', undefined, 176n);
  } else if (req.offerPaths) {
    const finals = sentTo ? [sentTo] : req.offerPaths.map((p) => p.hops[p.hops.length - 1]!.blindedNodeId);
    check(has(finals, inv.invoiceNodeId), 'invoice.node-id-mismatch', undefined, 176n);
  }
}

/**
 * BOLT 12's *expected amount* of an invoice_request for an offer: `offer_amount` times
 * `invreq_quantity` (1 when absent), in msat. Undefined without `offer_amount`, or when
 * `offer_currency` is set (a currency conversion is the caller's business).
 */
export function expectedAmountMsat(r: InvoiceRequestFields): bigint | undefined {
  if (r.offerAmount === undefined || r.offerCurrency !== undefined) return undefined;
  return r.offerAmount * (r.invreqQuantity ?? 1n);
}

/**
 * For the payer: BOLT 12's writer sets `invoice_amount` to `invreq_amount`, or without it to the
 * expected amount. The first is a reader rule the decoder applies; this checks the second, so a
 * recipient cannot raise the price of a fixed-amount offer in its invoice.
 */
export function checkInvoiceAmount(inv: Invoice): void {
  if (inv.invreqAmountMsat !== undefined) return;
  const expected = expectedAmountMsat(inv);
  if (expected === undefined) return;
  check(
    inv.invoiceAmountMsat === expected,
    'invoice.amount-not-expected',
    `${inv.invoiceAmountMsat} != ${expected} msat`,
    170n,
  );
}

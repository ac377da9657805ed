/**
 * Offers (BOLT 12 "Offers", human-readable prefix `lno`), with the recurrence fields of the
 * recurrence draft (lightning/bolts PR #1240, BOLT-recurrence).
 *
 * `decodeOffer` enforces every "A reader of an offer ... MUST NOT respond" rule that depends on the
 * offer alone. Rules that need the reader's context are separate: `isOfferExpired(offer, now)`;
 * whether the node accepts the offer's chains is the caller's decision (`offerChains` or bitcoin).
 * Vectors: `bolt12/offers-test.json`, `rust-lightning/offer-parse-extra.json`.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { BigSize, type TlvRecord } from '../tlv/index.js';
import { check } from './errors.js';
import { unknownEvenBits } from './features.js';
import type { OfferFields, UnknownField } from './field-types.js';
import { OFFER_FIELDS, table } from './registry.js';
import type { Bolt12Rule } from './rules.js';
import { decodeBolt12String, encodeBolt12String } from './string-form.js';
import { parseRecords, readFields, writeFields } from './tlv-fields.js';

export const OFFER_HRP = 'lno';
export const OFFER_TABLE = table(OFFER_FIELDS);

export type Offer = OfferFields & {
  readonly unknownFields: UnknownField[];
  /** The decoded TLV records (views into the input), for `offerId` and signatures. */
  readonly records: readonly TlvRecord[];
};

export type ReaderOptions = {
  /** Feature bits the caller understands; any other even bit set is a rejection. Default: none. */
  knownFeatures?: ReadonlySet<number>;
};

/** BOLT 12: offer TLV fields are in 1-79 and 1000000000-1999999999 inclusive. */
export function isOfferType(type: bigint): boolean {
  return (type >= 1n && type <= 79n) || (type >= 1_000_000_000n && type <= 1_999_999_999n);
}

const offerRange = (type: bigint): Bolt12Rule | undefined => (isOfferType(type) ? undefined : 'offer.range');

/**
 * The reader rules on the offer fields themselves, shared by offers and by invoice_requests that
 * answer an offer (which carry the offer's fields verbatim).
 */
export function checkOfferFields(o: OfferFields, opts: ReaderOptions = {}): void {
  const evenBits = unknownEvenBits(o.offerFeatures, opts.knownFeatures);
  check(evenBits.length === 0, 'offer.unknown-even-feature', `bits ${evenBits.join(', ')}`, 12n);
  check(o.offerChains === undefined || o.offerChains.length > 0, 'offer.empty-chains', undefined, 2n);
  check(
    o.offerAmount === undefined || o.offerDescription !== undefined,
    'offer.amount-without-description',
    undefined,
    8n,
  );
  check(o.offerAmount === undefined || o.offerAmount > 0n, 'offer.zero-amount', undefined, 8n);
  check(o.offerCurrency === undefined || o.offerAmount !== undefined, 'offer.currency-without-amount', undefined, 6n);
  check(o.offerIssuerId !== undefined || o.offerPaths !== undefined, 'offer.no-issuer-id-or-paths');
  o.offerPaths?.forEach((p, i) => check(p.hops.length > 0, 'offer.zero-hops', `offer_paths[${i}]`, 16n));
  checkOfferRecurrence(o);
}

function checkOfferRecurrence(o: OfferFields): void {
  check(!(o.offerRecurrenceCompulsory && o.offerRecurrenceOptional), 'offer.recurrence-both', undefined, 25n);
  const r = o.offerRecurrenceCompulsory ?? o.offerRecurrenceOptional;
  if (r) {
    check(r.timeUnit <= 2, 'offer.recurrence-time-unit', `got ${r.timeUnit}`);
    check(r.period > 0, 'offer.recurrence-zero-period');
    check(
      o.offerRecurrenceLimit === undefined || o.offerRecurrenceLimit > 0,
      'offer.recurrence-zero-limit',
      undefined,
      29n,
    );
  } else {
    const stray = o.offerRecurrencePaywindow ?? o.offerRecurrenceLimit ?? o.offerRecurrenceBase;
    check(stray === undefined, 'offer.recurrence-fields-without-recurrence');
  }
}

/** Decodes and checks the TLV bytes of an offer. Throws `Bolt12Error` naming the broken rule. */
export function decodeOfferBytes(bytes: Uint8Array, opts: ReaderOptions = {}): Offer {
  const records = parseRecords(bytes, 'offer');
  const { fields, unknownFields } = readFields<OfferFields>(records, OFFER_TABLE, 'offer', offerRange);
  checkOfferFields(fields, opts);
  return Object.assign(fields, { unknownFields, records });
}

/** Decodes an `lno1...` string. */
export function decodeOffer(s: string, opts: ReaderOptions = {}): Offer {
  return decodeOfferBytes(decodeBolt12String(s, OFFER_HRP).data, opts);
}

/** Encodes an offer's fields (and unknown odd fields) to TLV bytes. Checks the same rules first. */
export function encodeOfferBytes(offer: OfferFields & { unknownFields?: readonly UnknownField[] }): Uint8Array {
  checkOfferFields(offer);
  for (const u of offer.unknownFields ?? [])
    check(isOfferType(u.type), 'offer.range', `unknown field type ${u.type}`, u.type);
  return writeFields(offer, offer.unknownFields ?? [], OFFER_TABLE);
}

export function encodeOffer(
  offer: OfferFields & { unknownFields?: readonly UnknownField[] },
  opts?: { uppercase?: boolean },
): string {
  return encodeBolt12String(OFFER_HRP, encodeOfferBytes(offer), opts);
}

/**
 * `offer_id`: SHA256 of the offer's TLV records (types 1-79, then 1000000000-1999999999) exactly as
 * serialised. BOLT 12 does not define an offer id; this is Core Lightning's (`calc_offer` in
 * `common/bolt12.c`, shown by `lightning-cli decode`), so ids printed here match CLN's. For an
 * invoice_request or invoice it hashes only the mirrored offer fields, so the id is the same along
 * the whole flow. LDK (and so the jitlsp client's router) names offers by another id: `ldkOfferId`.
 */
export function offerId(message: { records: readonly TlvRecord[] }): Uint8Array {
  const h = sha256.create();
  for (const r of message.records) {
    if (isOfferType(r.type))
      h.update(BigSize.encode(r.type))
        .update(BigSize.encode(BigInt(r.value.length)))
        .update(r.value);
  }
  return h.digest();
}

/** BOLT 12: a reader MUST NOT respond (initially) if the current time is after `offer_absolute_expiry`. */
export function isOfferExpired(offer: OfferFields, now: Date): boolean {
  return (
    offer.offerAbsoluteExpiry !== undefined && BigInt(Math.floor(now.getTime() / 1000)) > offer.offerAbsoluteExpiry
  );
}

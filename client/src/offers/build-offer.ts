/**
 * A BOLT 12 offer built in TypeScript ("Requirements For Offers", writer): with an amount, a
 * description, an issuer, an absolute expiry and a quantity limit, none of which the LDK 0.1 offer
 * builder can set. `offer_issuer_id` is the wallet's offer key (`keys.ts`), so the invoices it answers
 * with are signed by that key; `offer_paths` are blinded message paths into the wallet (through the
 * LSP, so payers reach it before it has a channel).
 *
 * Everything here is a person's input: each bad value is refused with a message naming it.
 */
import { checkOfferFields, decodeOfferBytes, encodeOffer, encodeOfferBytes, offerId } from '@jitlsp/shared/bolt12';
import type { Offer, OfferFields } from '@jitlsp/shared/bolt12';
import { toHex } from '@jitlsp/shared/crypto';
import type { BlindedPath } from '@jitlsp/shared/wire';
import { isBitcoin } from './chains.js';
import { OfferInputError } from './errors.js';

/** BOLT 12 `offer_amount` is a tu64; a sane wallet stays within 21e6 BTC. */
export const MAX_OFFER_AMOUNT_MSAT = 21_000_000n * 100_000_000n * 1000n;
/** Strings stay QR-sized: the offer is usually shown as a code. */
export const MAX_OFFER_TEXT_BYTES = 640;

export interface OfferParams {
  /** `offer_issuer_id`: the public key of the offer key. */
  issuerId: Uint8Array;
  description: string;
  amountMsat?: bigint;
  issuer?: string;
  /** After this time payers MUST NOT request an invoice (BOLT 12 `offer_absolute_expiry`). */
  absoluteExpiry?: Date;
  /** Largest `invreq_quantity`; 0 means any quantity (BOLT 12 writer rule). Absent: one item. */
  quantityMax?: bigint;
  /** Blinded message paths into the wallet; at least one. */
  paths: BlindedPath[];
  /** The chain; bitcoin is left implicit (BOLT 12: the writer MAY omit `offer_chains` for bitcoin). */
  chain: Uint8Array;
}

export type BuiltOffer = { offer: Offer; string: string; bytes: Uint8Array; offerIdHex: string };

const utf8Length = (s: string) => new TextEncoder().encode(s).length;

/**
 * Builds and checks the offer. `now` is the clock: an expiry that is already past is refused.
 * @example buildOffer({ issuerId, description: 'coffee', amountMsat: 5_000_000n, paths, chain }, new Date())
 */
export function buildOffer(p: OfferParams, now: Date): BuiltOffer {
  if (typeof p.description !== 'string' || p.description.length === 0)
    throw new OfferInputError('description', 'expected a non-empty string');
  if (utf8Length(p.description) > MAX_OFFER_TEXT_BYTES)
    throw new OfferInputError('description', `expected at most ${MAX_OFFER_TEXT_BYTES} bytes of UTF-8`);
  if (p.issuer !== undefined && (typeof p.issuer !== 'string' || utf8Length(p.issuer) > MAX_OFFER_TEXT_BYTES))
    throw new OfferInputError('issuer', `expected a string of at most ${MAX_OFFER_TEXT_BYTES} bytes`);
  if (p.amountMsat !== undefined) {
    if (typeof p.amountMsat !== 'bigint' || p.amountMsat <= 0n || p.amountMsat > MAX_OFFER_AMOUNT_MSAT)
      throw new OfferInputError('amountMsat', `expected a bigint in 1..${MAX_OFFER_AMOUNT_MSAT}`);
  }
  if (p.quantityMax !== undefined && (typeof p.quantityMax !== 'bigint' || p.quantityMax < 0n))
    throw new OfferInputError('quantityMax', 'expected a bigint >= 0 (0: any quantity)');
  let expiry: bigint | undefined;
  if (p.absoluteExpiry !== undefined) {
    const ms = p.absoluteExpiry instanceof Date ? p.absoluteExpiry.getTime() : NaN;
    if (!Number.isFinite(ms) || ms < 0) throw new OfferInputError('absoluteExpiry', 'expected a valid Date');
    if (ms <= now.getTime()) throw new OfferInputError('absoluteExpiry', 'is already past');
    expiry = BigInt(Math.floor(ms / 1000));
  }
  if (!Array.isArray(p.paths) || p.paths.length === 0)
    throw new OfferInputError('paths', 'expected at least one blinded message path');
  if (p.chain.length !== 32) throw new OfferInputError('chain', 'expected a 32-byte chain hash');

  const fields: OfferFields = {
    offerDescription: p.description,
    offerPaths: p.paths,
    offerIssuerId: p.issuerId,
  };
  if (!isBitcoin(p.chain)) fields.offerChains = [p.chain];
  if (p.amountMsat !== undefined) fields.offerAmount = p.amountMsat;
  if (p.issuer !== undefined) fields.offerIssuer = p.issuer;
  if (expiry !== undefined) fields.offerAbsoluteExpiry = expiry;
  if (p.quantityMax !== undefined) fields.offerQuantityMax = p.quantityMax;
  checkOfferFields(fields);
  const bytes = encodeOfferBytes(fields);
  const offer = decodeOfferBytes(bytes);
  return { offer, string: encodeOffer(fields), bytes, offerIdHex: toHex(offerId(offer)) };
}

/**
 * LDK's `OfferId`: the tagged hash H("LDK Offer ID", merkle root) of the offer's TLV records (types 1-79,
 * then 1000000000-1999999999), with H the BIP-340 tagged hash and the root as in BOLT 12 "Signature
 * Calculation". LDK keys its offers by it (`Offer::id`, `Bolt12OfferContext::offer_id`), so the jitlsp
 * client's router registers offers under this id.
 *
 * It is NOT the `offer_id` that Core Lightning prints (a plain SHA-256 of the same records, see
 * {@link offerId}): the two ids of one offer differ. BOLT 12 defines neither. For an invoice_request or
 * an invoice it covers only the mirrored offer fields, so it is the same along the whole flow.
 */
import { taggedHash } from '../crypto/index.js';
import type { TlvRecord } from '../tlv/index.js';
import { merkleRoot } from './merkle.js';
import { isOfferType } from './offer.js';

const LDK_OFFER_ID_TAG = 'LDK Offer ID';

export function ldkOfferId(message: { records: readonly TlvRecord[] }): Uint8Array {
  return taggedHash(LDK_OFFER_ID_TAG, merkleRoot(message.records.filter((r) => isOfferType(r.type))));
}

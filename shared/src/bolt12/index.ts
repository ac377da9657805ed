/**
 * BOLT 12 offers, invoice requests, invoices and invoice errors (`12-offer-encoding.md`), with the
 * recurrence draft's fields (lightning/bolts PR #1240).
 * - `string-form.ts`: bech32-without-checksum strings with `+` continuations
 * - `merkle.ts`, `signature.ts`: Merkle root and BIP-340 signatures ("Signature Calculation")
 * - `offer.ts`, `invoice-request.ts`, `invoice.ts`, `invoice-error.ts`: the four TLV streams with
 *   every stateless reader rule; `offerId` (Core Lightning's `offer_id`); `ldk-offer-id.ts`: LDK's `OfferId`
 * - `registry.ts`, `field-codecs.ts`, `field-types.ts`, `tlv-fields.ts`: fields by type number
 * - `rules.ts`, `errors.ts`: `Bolt12Error`, whose `rule` names the requirement that was broken
 * - `flow-checks.ts`: rules needing context: supported chains, the clock, the earlier message
 * - `recurrence-period.ts`: BOLT-recurrence period start times
 * - `json.ts`: the JSON view printed by `jitlsp decode`
 */
export { Bolt12Error } from './errors.js';
export { RULES, type Bolt12Rule } from './rules.js';
export { decodeBolt12String, encodeBolt12String, type Bolt12String } from './string-form.js';
export { branchHash, isSignatureType, merkleLeaves, merkleRoot, type MerkleLeaf, type MerkleRecord } from './merkle.js';
export {
  signMerkleRoot,
  signatureDigest,
  signatureTag,
  verifyMerkleSignature,
  type SignedMessageName,
} from './signature.js';
export { featureBits, unknownEvenBits, INVOICE_KNOWN_FEATURES } from './features.js';
export type * from './field-types.js';
export {
  OFFER_HRP,
  checkOfferFields,
  decodeOffer,
  decodeOfferBytes,
  encodeOffer,
  encodeOfferBytes,
  isOfferExpired,
  isOfferType,
  offerId,
  type Offer,
  type ReaderOptions,
} from './offer.js';
export { ldkOfferId } from './ldk-offer-id.js';
export {
  INVOICE_REQUEST_HRP,
  checkInvoiceRequestFields,
  decodeInvoiceRequest,
  decodeInvoiceRequestBytes,
  encodeInvoiceRequest,
  encodeInvoiceRequestBytes,
  isInvoiceRequestType,
  signInvoiceRequest,
  verifyInvoiceRequestSignature,
  type InvoiceRequest,
  type InvoiceRequestReaderOptions,
} from './invoice-request.js';
export {
  DEFAULT_INVOICE_RELATIVE_EXPIRY_SECONDS,
  INVOICE_HRP,
  checkInvoiceFields,
  decodeInvoice,
  decodeInvoiceBytes,
  encodeInvoice,
  encodeInvoiceBytes,
  fieldsFromInvoiceRequest,
  invoiceExpiresAt,
  isInvoiceExpired,
  signInvoice,
  usableFallbacks,
  usableInvoicePaths,
  verifyInvoiceSignature,
  type Invoice,
  type InvoiceReaderOptions,
} from './invoice.js';
export {
  checkInvoiceErrorFields,
  decodeInvoiceErrorBytes,
  decodeInvoiceErrorPayload,
  encodeInvoiceErrorBytes,
  encodeInvoiceErrorPayload,
  invoiceErrorFor,
  type InvoiceError,
} from './invoice-error.js';
export { periodStart } from './recurrence-period.js';
export { bolt12ToJson, decodeBolt12Json, type Bolt12Json } from './json.js';
export {
  BITCOIN_CHAIN_HASH,
  checkInvoiceAmount,
  checkInvoiceChain,
  checkInvoiceMatchesRequest,
  checkInvoiceNotExpired,
  checkInvoiceRequestChain,
  checkInvoiceRequestMatchesOffer,
  checkOfferChains,
  checkOfferNotExpired,
  expectedAmountMsat,
} from './flow-checks.js';

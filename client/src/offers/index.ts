/**
 * BOLT 12 offers built and answered by the wallet itself, in TypeScript (pure; the engine hooks and
 * the wallet run them):
 * - `keys.ts`: offer and payer keys from the wallet's seed
 * - `build-offer.ts`: the offer (amount, description, issuer, expiry, quantity)
 * - `answer-invoice-request.ts`: judging an invoice_request, and the signed invoice
 * - `pay-offer.ts`: the payer's invoice_request and its checks on the invoice
 * - `share.ts`: paying a share of an invoice several payers pay together
 * - `group-offer.ts`: the recipient's group offer (one payment, many payers)
 */
export { OfferInputError } from './errors.js';
export { offersRootFromSeed, offerKeyPair, payerKeyPair, type KeyPair } from './keys.js';
export { chainHash, isBitcoin, type Network } from './chains.js';
export {
  buildOffer,
  MAX_OFFER_AMOUNT_MSAT,
  MAX_OFFER_TEXT_BYTES,
  type BuiltOffer,
  type OfferParams,
} from './build-offer.js';
export {
  buildInvoice,
  invoiceFeatures,
  judgeInvoiceRequest,
  DEFAULT_INVOICE_EXPIRY_SECS,
  MAX_INVOICE_REQUEST_BYTES,
  type InvoicePayment,
  type InvoiceRequestVerdict,
  type JudgeContext,
  type MppSupport,
} from './answer-invoice-request.js';
export {
  buildInvoiceRequest,
  verifyInvoice,
  type BuiltInvoiceRequest,
  type InvoiceRequestParams,
  type VerifyInvoiceContext,
} from './pay-offer.js';
export {
  allowsMpp,
  checkShareAmounts,
  planShare,
  shareRouteAmountMsat,
  ShareError,
  type ShareAmounts,
  type SharePlan,
} from './share.js';
export * as groupOffer from './group-offer.js';
export type { GroupAction, GroupState, GroupStep, GroupTerms } from './group-offer.js';
export {
  OffersShell,
  type CreateOfferOptions,
  type InvoiceReply,
  type OffersShellOptions,
  type PaidInvoice,
} from './shell.js';
export { OfferBook, OfferBookError, type OfferRecord } from './offer-book.js';

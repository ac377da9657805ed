/**
 * A lease: one `lsps2.buy` result (bLIP-52 "2. Buy") held by the wallet until an invoice uses it.
 *
 * Why leases and not "the offer's SCID": a BOLT 12 offer lives for months, but an intercept SCID is
 * only honoured until its `opening_fee_params.valid_until` (bLIP-52: the LSP MUST fail HTLCs to it
 * afterwards). So offers carry no SCID at all; each invoice (made when an `invoice_request` arrives)
 * is bound to a fresh, unexpired lease. This is the design ldk-node moved to (ldk-node #999, "single-use
 * payment leases").
 *
 * - `no-mpp` lease: bought without `payment_size_msat` (bLIP-52 "variable-amount" mode). Usable for an
 *   invoice of any amount within the tier's payment-size bounds whose opening fee is below the amount.
 * - `mpp` lease: bought with `payment_size_msat` = the invoice amount (bLIP-52 "fixed-amount" mode), so
 *   the payer may split the payment. Usable only by an invoice for exactly that amount.
 *
 * A lease is assigned to at most one invoice key (offer + payer key + amount); LDK sends each
 * `invoice_request` twice (docs/ldk-pitfalls.md, "Duplicate invoice requests") and both invoices answer
 * the same payment, so the second one reuses the first one's lease. A lease is never given to a different
 * invoice: two payments over one no-MPP SCID before the channel exists would be judged by the LSP as one
 * payment.
 */
import type { NodeIdHex } from '@jitlsp/engine/node';

export type LeaseMode = 'no-mpp' | 'mpp';

/** The fee terms the lease was bought under (from the chosen `opening_fee_params`). */
export interface LeaseFeeTerms {
  minFeeMsat: bigint;
  proportional: number;
  minPaymentSizeMsat: bigint;
  maxPaymentSizeMsat: bigint;
}

export interface LeaseAssignment {
  /** See {@link invoiceKey}. */
  invoiceKey: string;
  amountMsat: bigint;
  assignedAtMs: number;
}

export interface Lease {
  lspNodeId: NodeIdHex;
  /** bLIP-52 `jit_channel_scid`: the SCID the blinded path forwards to at the LSP. */
  interceptScid: bigint;
  /** bLIP-52 `lsp_cltv_expiry_delta`. */
  lspCltvExpiryDelta: number;
  /** bLIP-52 `client_trusts_lsp`. */
  clientTrustsLsp: boolean;
  /** `opening_fee_params.valid_until` in ms: the LSP honours the SCID until then. */
  validUntilMs: number;
  mode: LeaseMode;
  /** `mpp` mode: the `payment_size_msat` it was bought for. */
  paymentSizeMsat?: bigint;
  terms: LeaseFeeTerms;
  boughtAtMs: number;
  assignment?: LeaseAssignment;
}

/** A stable key for a lease (SCIDs are unique per LSP, not globally). */
export function leaseId(lease: Pick<Lease, 'lspNodeId' | 'interceptScid'>): string {
  return `${lease.lspNodeId}:${lease.interceptScid}`;
}

/**
 * The key of "one payment" as seen by the router: an invoice for `offerId`, requested by
 * `payerSigningPubkey`, for `amountMsat`. LDK's duplicate invoice_requests share it.
 */
export function invoiceKey(offerKeyHex: string, payerSigningPubkeyHex: string, amountMsat: bigint): string {
  return `${offerKeyHex}/${payerSigningPubkeyHex}/${amountMsat}`;
}

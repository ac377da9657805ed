/**
 * Paying a share of an invoice that several payers pay together, after LDK's
 * `pay_for_bolt12_invoice(invoice, payment_id, { amount_msats })` (rust-lightning PR #4585):
 * - `0 < share <= total`, checked before anything is sent;
 * - the invoice must allow basic MPP (BOLT 12 invoice feature 16/17) unless the share is the whole
 *   amount (BOLT 12: without it the payer "MUST NOT use multiple parts");
 * - the onion's `total_msat` is the invoice amount, while the HTLCs carry only the share;
 * - a retry can only route what is missing from the share: it never grows to the total. LDK 0.1
 *   records the route total (the share) as the payment's total and would put it in a retried
 *   onion, so share payments are sent with no automatic retry at all.
 */
import { featureBits, type Invoice } from '@jitlsp/shared/bolt12';

export class ShareError extends Error {
  override readonly name = 'ShareError';
  constructor(
    readonly code: 'share.not-positive' | 'share.above-total' | 'share.total-mismatch' | 'share.no-mpp',
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export type ShareAmounts = { totalMsat: bigint; shareMsat: bigint };

/** The rule on the two amounts alone: `0 < share <= total`. */
export function checkShareAmounts(a: ShareAmounts): void {
  if (typeof a.totalMsat !== 'bigint' || a.totalMsat <= 0n)
    throw new ShareError('share.not-positive', `totalMsat: expected a bigint > 0, got ${String(a.totalMsat)}`);
  if (typeof a.shareMsat !== 'bigint' || a.shareMsat <= 0n)
    throw new ShareError('share.not-positive', `shareMsat: expected a bigint > 0, got ${String(a.shareMsat)}`);
  if (a.shareMsat > a.totalMsat)
    throw new ShareError('share.above-total', `shareMsat ${a.shareMsat} exceeds totalMsat ${a.totalMsat}`);
}

/** True when `invoice_features` has basic MPP, compulsory or optional (BOLT 12 bits 16/17). */
export function allowsMpp(invoice: Pick<Invoice, 'invoiceFeatures'>): boolean {
  if (!invoice.invoiceFeatures) return false;
  return featureBits(invoice.invoiceFeatures).some((b) => b === 16 || b === 17);
}

export type SharePlan = {
  /** The onion's `total_msat`: the invoice amount, whatever this payer sends. */
  onionTotalMsat: bigint;
  /** What this payer's HTLCs add up to. */
  shareMsat: bigint;
  /** Automatic retries LDK may make (always 0, see the file comment). */
  retryAttempts: 0;
};

/**
 * The plan for paying `share` of `invoice`, which the payer requested for `total`. Throws
 * `ShareError` when the invoice is not for the total, or cannot be paid in parts.
 */
export function planShare(invoice: Pick<Invoice, 'invoiceAmountMsat' | 'invoiceFeatures'>, a: ShareAmounts): SharePlan {
  checkShareAmounts(a);
  if (invoice.invoiceAmountMsat !== a.totalMsat)
    throw new ShareError(
      'share.total-mismatch',
      `the invoice is for ${invoice.invoiceAmountMsat} msat, the group total is ${a.totalMsat} msat`,
    );
  if (a.shareMsat !== a.totalMsat && !allowsMpp(invoice))
    throw new ShareError('share.no-mpp', 'the invoice does not allow multi-part payment, so only the whole amount');
  return { onionTotalMsat: invoice.invoiceAmountMsat, shareMsat: a.shareMsat, retryAttempts: 0 };
}

/**
 * What a route for this share may carry when LDK asks for `requestedMsat` (the invoice amount on the
 * first attempt) while `pendingMsat` of the share is already in flight or delivered: the rest of the
 * share, never more. `0n` means nothing is left to route: the payer router must refuse the route.
 */
export function shareRouteAmountMsat(plan: SharePlan, requestedMsat: bigint, pendingMsat: bigint): bigint {
  const rest = plan.shareMsat - (pendingMsat > 0n ? pendingMsat : 0n);
  if (rest <= 0n || requestedMsat <= 0n) return 0n;
  return rest < requestedMsat ? rest : requestedMsat;
}

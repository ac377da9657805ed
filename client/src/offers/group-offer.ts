/**
 * A *group offer*: one fixed-amount offer that several payers pay together ("split the bill").
 * Every payer's invoice_request within the group's window gets an invoice with the SAME payment
 * hash, payment secret and payment paths, so the recipient's node sees the parts as one MPP payment
 * and accumulates them up to the group total (the LSP's MPP JIT session does the same, bLIP-52 §4).
 * The group closes when the payment is claimed, or at the end of its window.
 *
 * Pure: each transition is named after an event and returns `{ state, actions }`; the shell signs
 * and sends the invoices and replies. The payment (hash, secret, paths through an MPP lease for the
 * total: a no-MPP lease would set `htlc_minimum_msat` to the total and refuse every share) is made
 * by the shell when the group is opened and handed in.
 */
import type { InvoicePayment } from './answer-invoice-request.js';

/** Enough for any table; a bound so a flood of requests cannot grow the state without limit. */
export const DEFAULT_MAX_GROUP_PAYERS = 64;

export interface GroupTerms {
  offerIdHex: string;
  totalMsat: bigint;
  opensAtMs: number;
  closesAtMs: number;
  maxPayers: number;
}

export type GroupState =
  | { kind: 'open'; terms: GroupTerms; payment: InvoicePayment; payerIds: readonly string[] }
  | { kind: 'closed'; terms: GroupTerms; reason: 'claimed' | 'expired'; payerIds: readonly string[] };

export type GroupAction =
  | { kind: 'send-invoice'; payment: InvoicePayment; amountMsat: bigint; relativeExpirySecs: number }
  | { kind: 'send-invoice-error'; erroneousField?: bigint; suggestedTotalMsat?: bigint; error: string }
  | { kind: 'group-closed'; reason: 'claimed' | 'expired'; payers: number };

export type GroupStep = { state: GroupState; actions: GroupAction[] };

/** Opens a group with its payment. The window must end after it starts. */
export function openGroup(terms: GroupTerms, payment: InvoicePayment): GroupState {
  if (terms.totalMsat <= 0n) throw new RangeError(`group totalMsat: expected > 0, got ${terms.totalMsat}`);
  if (!(terms.closesAtMs > terms.opensAtMs)) throw new RangeError('group window: closesAt must be after opensAt');
  if (!Number.isInteger(terms.maxPayers) || terms.maxPayers < 1)
    throw new RangeError(`group maxPayers: expected an integer >= 1, got ${terms.maxPayers}`);
  if (payment.mpp === 'none') throw new RangeError('group payment: the invoice must allow multi-part payment');
  return { kind: 'open', terms, payment, payerIds: [] };
}

/**
 * A payer's invoice_request, already judged acceptable for the offer (`judgeInvoiceRequest`), with
 * its `invreq_payer_id` and the amount its invoice would carry. The invoice's amount is the group
 * total: BOLT 12 makes `invoice_amount` equal `invreq_amount`, so a request naming another amount is
 * refused with the total suggested. The same payer asking again (LDK sends each request twice)
 * gets the same invoice and is counted once.
 */
export function invoiceRequested(
  state: GroupState,
  req: { payerIdHex: string; amountMsat: bigint },
  nowMs: number,
): GroupStep {
  if (state.kind === 'closed')
    return { state, actions: [{ kind: 'send-invoice-error', error: `the group is closed (${state.reason})` }] };
  if (nowMs >= state.terms.closesAtMs) {
    const step = closeGroup(state, 'expired');
    return {
      state: step.state,
      actions: [...step.actions, { kind: 'send-invoice-error', error: 'the group is closed (expired)' }],
    };
  }
  if (req.amountMsat !== state.terms.totalMsat)
    return {
      state,
      actions: [
        {
          kind: 'send-invoice-error',
          erroneousField: 82n,
          suggestedTotalMsat: state.terms.totalMsat,
          error: `a group invoice is for the group total ${state.terms.totalMsat} msat`,
        },
      ],
    };
  const known = state.payerIds.includes(req.payerIdHex);
  if (!known && state.payerIds.length >= state.terms.maxPayers)
    return { state, actions: [{ kind: 'send-invoice-error', error: 'the group has as many payers as it takes' }] };
  const next: GroupState = known ? state : { ...state, payerIds: [...state.payerIds, req.payerIdHex] };
  // The invoice expires with the group: no part arriving after the window can complete the payment.
  const relativeExpirySecs = Math.max(1, Math.ceil((state.terms.closesAtMs - nowMs) / 1000));
  return {
    state: next,
    actions: [{ kind: 'send-invoice', payment: state.payment, amountMsat: state.terms.totalMsat, relativeExpirySecs }],
  };
}

/** The group's payment was claimed (all parts arrived): it takes no more payers. */
export function paymentClaimed(state: GroupState, paymentHashHex: string): GroupStep {
  if (state.kind !== 'open' || toHex(state.payment.paymentHash) !== paymentHashHex.toLowerCase())
    return { state, actions: [] };
  return closeGroup(state, 'claimed');
}

/** The clock moved: an open group past its window closes. */
export function tick(state: GroupState, nowMs: number): GroupStep {
  if (state.kind === 'open' && nowMs >= state.terms.closesAtMs) return closeGroup(state, 'expired');
  return { state, actions: [] };
}

function closeGroup(state: GroupState & { kind: 'open' }, reason: 'claimed' | 'expired'): GroupStep {
  return {
    state: { kind: 'closed', terms: state.terms, reason, payerIds: state.payerIds },
    actions: [{ kind: 'group-closed', reason, payers: state.payerIds.length }],
  };
}

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

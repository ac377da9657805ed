/**
 * BOLT 4 "Route Blinding" requirements for the creator of `encrypted_recipient_data`, the sender,
 * and the forwarding reader, as pure bigint maths:
 * - the `blinded_payinfo` aggregation (total fees with the spec's ceiling rounding, total CLTV delta,
 *   HTLC limits expressed as the amount that reaches the recipient);
 * - the forwarder's reverse computation of `amt_to_forward` and `outgoing_cltv_value` from
 *   `payment_relay`;
 * - the sender's fee for a path (BOLT 7 "HTLC Fees": base + amount * proportional / 1e6, floor).
 */
import type { BlindedPayInfo } from '../wire/blinded-payinfo.js';
import type { PaymentConstraints, PaymentRelay } from './payment-relay.js';

const MILLION = 1_000_000n;
const U32_MAX = 0xffff_ffffn;
const U64_MAX = 0xffff_ffff_ffff_ffffn;
/** 21e6 BTC in msat: the natural ceiling for htlc_maximum_msat. */
export const MAX_MONEY_MSAT = 21_000_000n * 100_000_000n * 1000n;

export interface PayinfoForwardHop {
  relay: PaymentRelay;
  constraints: PaymentConstraints;
  /** the most this hop will forward (its channel's htlc_maximum_msat); MAX_MONEY_MSAT if unknown */
  htlcMaximumMsat?: bigint;
}

export interface AggregatePayinfoArgs {
  /** the non-final hops, introduction node first */
  forwardHops: readonly PayinfoForwardHop[];
  /** the recipient's own payment_constraints.htlc_minimum_msat (0 if it sets none) */
  recipientHtlcMinimumMsat?: bigint;
  /** the recipient's own limit */
  recipientHtlcMaximumMsat?: bigint;
  minFinalCltvExpiryDelta: number;
  features?: Uint8Array;
}

/**
 * Aggregated fee pair, iterating from the hop nearest the recipient back to the introduction node:
 *   base(n+1) = ceil((fee_base(n+1) * 1e6 + base(n) * (1e6 + ppm(n+1))) / 1e6)
 *   ppm(n+1)  = ceil(((ppm(n) + ppm(n+1)) * 1e6 + ppm(n) * ppm(n+1)) / 1e6)
 */
export function aggregateRelayFees(relays: readonly PaymentRelay[]): {
  feeBaseMsat: bigint;
  feeProportionalMillionths: bigint;
} {
  let base = 0n;
  let ppm = 0n;
  for (let i = relays.length - 1; i >= 0; i--) {
    const b = BigInt(relays[i].feeBaseMsat);
    const p = BigInt(relays[i].feeProportionalMillionths);
    base = ceilDiv(b * MILLION + base * (MILLION + p), MILLION);
    ppm = ceilDiv((ppm + p) * MILLION + ppm * p, MILLION);
  }
  return { feeBaseMsat: base, feeProportionalMillionths: ppm };
}

/**
 * The `blinded_payinfo` a recipient publishes for its path. `undefined` when a total overflows its
 * wire field (u32 fees, u16 CLTV delta) or the HTLC range is empty, i.e. the path is unusable.
 * @example aggregateBlindedPayinfo({ forwardHops: [{ relay, constraints }], minFinalCltvExpiryDelta: 24 })
 */
export function aggregateBlindedPayinfo(args: AggregatePayinfoArgs): BlindedPayInfo | undefined {
  const { feeBaseMsat, feeProportionalMillionths } = aggregateRelayFees(args.forwardHops.map((h) => h.relay));
  if (feeBaseMsat > U32_MAX || feeProportionalMillionths > U32_MAX) return undefined;
  // BOLT 4: total_cltv_delta = cltv_delta(0) + ... + cltv_delta(n) + min_final_cltv_expiry_delta
  let cltv = args.minFinalCltvExpiryDelta;
  for (const h of args.forwardHops) cltv += h.relay.cltvExpiryDelta;
  if (cltv > 0xffff) return undefined;
  // HTLC limits in terms of the amount reaching the recipient: walking from the introduction node, a
  // hop's minimum (or maximum) shrinks by the fees it takes before the next hop sees it.
  let min = 1n;
  let max = MAX_MONEY_MSAT;
  for (const h of args.forwardHops) {
    const m = paidForwardAmountMsat(maxBig(h.constraints.htlcMinimumMsat, min), h.relay);
    min = m === undefined ? 1n : m; // below the base fee: any amount clears this hop's minimum
    const x = paidForwardAmountMsat(minBig(h.htlcMaximumMsat ?? MAX_MONEY_MSAT, max), h.relay);
    if (x === undefined) return undefined;
    max = x;
  }
  min = maxBig(args.recipientHtlcMinimumMsat ?? 0n, min);
  max = minBig(args.recipientHtlcMaximumMsat ?? MAX_MONEY_MSAT, max);
  if (max < min) return undefined;
  return {
    feeBaseMsat: Number(feeBaseMsat),
    feeProportionalMillionths: Number(feeProportionalMillionths),
    cltvExpiryDelta: cltv,
    htlcMinimumMsat: min,
    htlcMaximumMsat: max,
    features: args.features ?? new Uint8Array(0),
  };
}

/**
 * The forwarder's reverse computation (BOLT 4, reader of a blinded non-final hop):
 *   amt_to_forward = ((amount_msat - fee_base_msat) * 1e6 + 1e6 + fee_proportional_millionths - 1)
 *                    / (1e6 + fee_proportional_millionths)
 * `undefined` when the incoming amount does not even cover the base fee.
 * @example forwardAmountMsat(110_125n, { feeBaseMsat: 10_000, feeProportionalMillionths: 0, cltvExpiryDelta: 50 }) === 100_125n
 */
export function forwardAmountMsat(incomingAmountMsat: bigint, relay: PaymentRelay): bigint | undefined {
  const base = BigInt(relay.feeBaseMsat);
  const ppm = BigInt(relay.feeProportionalMillionths);
  if (incomingAmountMsat < base) return undefined;
  const out = ((incomingAmountMsat - base) * MILLION + MILLION + ppm - 1n) / (MILLION + ppm);
  return out > U64_MAX ? undefined : out;
}

/**
 * Like {@link forwardAmountMsat}, but one msat lower whenever the spec's rounding-up would leave the
 * hop underpaid (amount + base + floor(amount * ppm / 1e6) > incoming). Used for the payinfo HTLC
 * limits, so a published limit never asks a hop to forward more than it is paid for; this is also
 * what LDK computes (`amt_to_forward_msat` in `blinded_path/payment.rs`).
 */
export function paidForwardAmountMsat(incomingAmountMsat: bigint, relay: PaymentRelay): bigint | undefined {
  const out = forwardAmountMsat(incomingAmountMsat, relay);
  if (out === undefined) return undefined;
  const fee = BigInt(relay.feeBaseMsat) + (out * BigInt(relay.feeProportionalMillionths)) / MILLION;
  return incomingAmountMsat - fee < out ? out - 1n : out;
}

/** BOLT 4: outgoing_cltv_value = cltv_expiry - payment_relay.cltv_expiry_delta (undefined if negative). */
export function forwardCltvExpiry(incomingCltvExpiry: number, relay: PaymentRelay): number | undefined {
  const out = incomingCltvExpiry - relay.cltvExpiryDelta;
  return out < 0 ? undefined : out;
}

/**
 * What a sender pays to the blinded path for delivering `amountMsat` to the recipient
 * (BOLT 7 fee formula applied to the aggregated payinfo; the division rounds down).
 * @example blindedPathFeeMsat({ feeBaseMsat: 10100, feeProportionalMillionths: 251, ... }, 100_000n) === 10_125n
 */
export function blindedPathFeeMsat(
  payinfo: Pick<BlindedPayInfo, 'feeBaseMsat' | 'feeProportionalMillionths'>,
  amountMsat: bigint,
): bigint {
  return BigInt(payinfo.feeBaseMsat) + (amountMsat * BigInt(payinfo.feeProportionalMillionths)) / MILLION;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}
function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/**
 * bLIP-52 decisions as pure functions: params expiry, the LSP's checks on `lsps2.buy`
 * ("2. Request JIT Channel"), and the first-HTLC check of "no-MPP+var-invoice" mode
 * ("4. Payment"). Clock values are passed in.
 */
import { compareDatetime } from '../lsps0/datetime.js';
import type { BuyRequest } from './buy.js';
import {
  LSPS2_INVALID_OPENING_FEE_PARAMS,
  LSPS2_PAYMENT_SIZE_TOO_LARGE,
  LSPS2_PAYMENT_SIZE_TOO_SMALL,
  type Lsps2BuyErrorCode,
} from './msgs.js';
import { computeOpeningFee } from './opening-fee.js';
import type { OpeningFeeParams } from './opening-fee-params.js';
import { verifyPromise } from './promise.js';

/**
 * Whether `valid_until` is strictly after `now` (sub-millisecond digits counted). Strict, because
 * bLIP-52 lets an MPP payment proceed only while "the current time is strictly less than
 * `valid_until`"; using the same boundary for buy keeps the two decisions consistent.
 */
export function isValidUntilInFuture(params: Pick<OpeningFeeParams, 'validUntil'>, now: Date): boolean {
  return compareDatetime(params.validUntil, now) > 0;
}

export interface CheckBuyInput {
  request: BuyRequest;
  promiseSecret: Uint8Array;
  /** The node id of the peer the request came from (BOLT 8 authenticated). */
  clientNodeId: Uint8Array;
  now: Date;
  /**
   * The most the LSP can currently receive from the public network, if it knows. A fixed
   * payment size above it gives 203 (bLIP-52: the LSP SHOULD check its inbound liquidity).
   */
  maxReceivableMsat?: bigint;
}

export type BuyCheck =
  | { ok: true; /** Known only in "MPP+fixed-invoice" mode. */ openingFeeMsat?: bigint }
  | { ok: false; code: Lsps2BuyErrorCode; reason: string };

/**
 * The LSP's verdict on a parsed `lsps2.buy`, with the exact bLIP-52 code:
 * - with `payment_size_msat`: below `min_payment_size_msat` -> 202, above
 *   `max_payment_size_msat` -> 203 (bLIP-52: the LSP MUST check the bounds but names no code;
 *   these are LDK's choices), fee overflow -> 203, fee >= size -> 202 (the fee MUST be strictly
 *   less), above `maxReceivableMsat` -> 203;
 * - `valid_until` not in the future -> 201; promise mismatch (constant-time) -> 201.
 * Size checks come first, in LDK's order; every check must pass for `ok`, so the order decides
 * only which code a request with several faults gets. The spec's own example buy
 * (size 42000, min fee 546000) is therefore 202.
 */
export function checkBuy(input: CheckBuyInput): BuyCheck {
  const { openingFeeParams: p, paymentSizeMsat: size } = input.request;
  let openingFeeMsat: bigint | undefined;
  if (size !== undefined) {
    if (size < p.minPaymentSizeMsat) {
      return {
        ok: false,
        code: LSPS2_PAYMENT_SIZE_TOO_SMALL,
        reason: `payment_size_msat ${size} is below min_payment_size_msat ${p.minPaymentSizeMsat}`,
      };
    }
    if (size > p.maxPaymentSizeMsat) {
      return {
        ok: false,
        code: LSPS2_PAYMENT_SIZE_TOO_LARGE,
        reason: `payment_size_msat ${size} is above max_payment_size_msat ${p.maxPaymentSizeMsat}`,
      };
    }
    const fee = computeOpeningFee(size, p.minFeeMsat, p.proportional);
    if (fee === null) {
      return {
        ok: false,
        code: LSPS2_PAYMENT_SIZE_TOO_LARGE,
        reason: `opening fee for payment_size_msat ${size} overflows u64`,
      };
    }
    if (fee >= size) {
      return {
        ok: false,
        code: LSPS2_PAYMENT_SIZE_TOO_SMALL,
        reason: `opening fee ${fee} is not less than payment_size_msat ${size}`,
      };
    }
    if (input.maxReceivableMsat !== undefined && size > input.maxReceivableMsat) {
      return {
        ok: false,
        code: LSPS2_PAYMENT_SIZE_TOO_LARGE,
        reason: `payment_size_msat ${size} exceeds our inbound liquidity ${input.maxReceivableMsat}`,
      };
    }
    openingFeeMsat = fee;
  }
  if (!isValidUntilInFuture(p, input.now)) {
    return {
      ok: false,
      code: LSPS2_INVALID_OPENING_FEE_PARAMS,
      reason: `opening_fee_params expired at ${p.validUntil.text}`,
    };
  }
  if (!verifyPromise(input.promiseSecret, input.clientNodeId, p)) {
    return {
      ok: false,
      code: LSPS2_INVALID_OPENING_FEE_PARAMS,
      reason: 'opening_fee_params.promise does not match the params and client',
    };
  }
  return openingFeeMsat === undefined ? { ok: true } : { ok: true, openingFeeMsat };
}

export type FirstHtlcCheck =
  | { ok: true; openingFeeMsat: bigint }
  | {
      ok: false;
      reason: 'fee_overflow' | 'fee_exceeds_htlc' | 'below_min_payment_size' | 'above_max_payment_size';
      detail: string;
    };

/**
 * "no-MPP+var-invoice" mode, on the first HTLC to the JIT SCID (bLIP-52 "4. Payment"): the fee is
 * computed from the HTLC value; overflow, or `fee + htlc_minimum_msat > htlc_value_msat`, MUST
 * fail with `unknown_next_peer`. The LSP SHOULD also keep the size within the params' bounds
 * (checked here too; also `unknown_next_peer`). Every failure here maps to `unknown_next_peer`.
 */
export function checkFirstHtlc(
  params: OpeningFeeParams,
  htlcValueMsat: bigint,
  htlcMinimumMsat: bigint,
): FirstHtlcCheck {
  if (htlcValueMsat < params.minPaymentSizeMsat) {
    return {
      ok: false,
      reason: 'below_min_payment_size',
      detail: `htlc ${htlcValueMsat} < min_payment_size_msat ${params.minPaymentSizeMsat}`,
    };
  }
  if (htlcValueMsat > params.maxPaymentSizeMsat) {
    return {
      ok: false,
      reason: 'above_max_payment_size',
      detail: `htlc ${htlcValueMsat} > max_payment_size_msat ${params.maxPaymentSizeMsat}`,
    };
  }
  const fee = computeOpeningFee(htlcValueMsat, params.minFeeMsat, params.proportional);
  if (fee === null)
    return { ok: false, reason: 'fee_overflow', detail: `opening fee for ${htlcValueMsat} overflows u64` };
  if (fee + htlcMinimumMsat > htlcValueMsat) {
    return {
      ok: false,
      reason: 'fee_exceeds_htlc',
      detail: `fee ${fee} + htlc_minimum_msat ${htlcMinimumMsat} > htlc ${htlcValueMsat}`,
    };
  }
  return { ok: true, openingFeeMsat: fee };
}

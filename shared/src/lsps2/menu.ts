/**
 * The `opening_fee_params_menu` (bLIP-52 "1. API Information"): its required order, and the
 * client's choice of an entry under its own fee limits.
 *
 * Order: each entry after the first MUST, against the previous one, have a larger `min_fee_msat`
 * and equal `proportional`, or a larger `proportional` and equal `min_fee_msat`, or both larger.
 * That is: neither goes down and at least one goes up (strictly increasing).
 */
import { computeOpeningFee } from './opening-fee.js';
import type { OpeningFeeParams } from './opening-fee-params.js';
import { isValidUntilInFuture } from './utils.js';

export type MenuOrderCheck = { ok: true } | { ok: false; index: number; reason: string };

/** Checks the bLIP-52 menu order; `index` is the first entry that breaks it. */
export function checkMenuOrder(menu: readonly Pick<OpeningFeeParams, 'minFeeMsat' | 'proportional'>[]): MenuOrderCheck {
  for (let i = 1; i < menu.length; i++) {
    const prev = menu[i - 1]!;
    const cur = menu[i]!;
    const feeUp = cur.minFeeMsat > prev.minFeeMsat;
    const propUp = cur.proportional > prev.proportional;
    const feeSame = cur.minFeeMsat === prev.minFeeMsat;
    const propSame = cur.proportional === prev.proportional;
    if (!((feeUp && propSame) || (propUp && feeSame) || (feeUp && propUp))) {
      return {
        ok: false,
        index: i,
        reason: `opening_fee_params_menu[${i}]: expected larger min_fee_msat and/or proportional than entry ${i - 1} with neither smaller, got (${cur.minFeeMsat}, ${cur.proportional}) after (${prev.minFeeMsat}, ${prev.proportional})`,
      };
    }
  }
  return { ok: true };
}

/** The client's own limits (the spec leaves these to the client). */
export interface ClientFeeLimits {
  /** The most the client will pay in total for the channel open. */
  maxTotalFeeMsat?: bigint;
  /** The highest `proportional` (ppm) the client accepts. */
  maxProportional?: number;
}

export type FeeParamsChoice =
  | { ok: true; params: OpeningFeeParams; /** Known when a payment size was given. */ openingFeeMsat?: bigint }
  | { ok: false; reason: string };

/**
 * Picks the cheapest usable menu entry.
 * - With `paymentSizeMsat` ("MPP+fixed-invoice"): the entry must accept that size, its fee must
 *   compute without overflow and be below the size (else the LSP answers 202/203), and be within
 *   `maxTotalFeeMsat`; the lowest fee wins, the earlier entry on a tie.
 * - Without it ("no-MPP+var-invoice"): the fee is not known yet, so `min_fee_msat` (the least it
 *   can be) must be within `maxTotalFeeMsat`; the first such entry wins (the menu is ordered
 *   cheapest first).
 * `proportional` must be within `maxProportional` in both modes. With `now`, expired entries are
 * skipped.
 */
export function chooseOpeningFeeParams(
  menu: readonly OpeningFeeParams[],
  paymentSizeMsat: bigint | undefined,
  limits: ClientFeeLimits = {},
  now?: Date,
): FeeParamsChoice {
  if (menu.length === 0) return { ok: false, reason: 'the LSP offered no opening_fee_params (empty menu)' };
  let best: { params: OpeningFeeParams; fee?: bigint } | undefined;
  const skipped: string[] = [];
  menu.forEach((p, i) => {
    const skip = (why: string) => skipped.push(`[${i}] ${why}`);
    if (now !== undefined && !isValidUntilInFuture(p, now)) return skip('expired');
    if (limits.maxProportional !== undefined && p.proportional > limits.maxProportional) {
      return skip(`proportional ${p.proportional} > limit ${limits.maxProportional}`);
    }
    if (paymentSizeMsat === undefined) {
      if (limits.maxTotalFeeMsat !== undefined && p.minFeeMsat > limits.maxTotalFeeMsat) {
        return skip(`min_fee_msat ${p.minFeeMsat} > limit ${limits.maxTotalFeeMsat}`);
      }
      if (best === undefined) best = { params: p };
      return;
    }
    if (paymentSizeMsat < p.minPaymentSizeMsat || paymentSizeMsat > p.maxPaymentSizeMsat) {
      return skip(`payment size outside ${p.minPaymentSizeMsat}..${p.maxPaymentSizeMsat}`);
    }
    const fee = computeOpeningFee(paymentSizeMsat, p.minFeeMsat, p.proportional);
    if (fee === null) return skip('fee overflows u64');
    if (fee >= paymentSizeMsat) return skip(`fee ${fee} >= payment size`);
    if (limits.maxTotalFeeMsat !== undefined && fee > limits.maxTotalFeeMsat) {
      return skip(`fee ${fee} > limit ${limits.maxTotalFeeMsat}`);
    }
    if (best === undefined || best.fee === undefined || fee < best.fee) best = { params: p, fee };
  });
  if (best === undefined) return { ok: false, reason: `no usable opening_fee_params: ${skipped.join('; ')}` };
  return best.fee === undefined
    ? { ok: true, params: best.params }
    : { ok: true, params: best.params, openingFeeMsat: best.fee };
}

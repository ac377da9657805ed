/**
 * bLIP-52 "1. API Information": `lsps2.get_info`.
 *
 * Params: `{ "token"?: string }` (arbitrary, e.g. a discount coupon or API key).
 * Result: `{ "opening_fee_params_menu": [opening_fee_params, ...] }`, possibly empty.
 * Error: 200 `unrecognized_or_stale_token`.
 */
import { expectObject, expectString, fail, own } from '../lsps0/guards.js';
import { type ParamsResult, parseParams } from '../lsps0/params.js';
import { type OpeningFeeParams, openingFeeParamsToWire, parseOpeningFeeParams } from './opening-fee-params.js';

export interface GetInfoRequest {
  token?: string;
}

export interface GetInfoResult {
  openingFeeParamsMenu: OpeningFeeParams[];
}

/** LSP side: unknown params give -32602 `unrecognized`; a non-string token gives -32602 `invalid`. */
export function parseGetInfoParams(params: Record<string, unknown>): ParamsResult<GetInfoRequest> {
  return parseParams(params, ['token'], 'lsps2.get_info', (p) => {
    const token = own(p, 'token');
    // An explicit null is read as "no token", as LDK's serde does.
    if (token === undefined || token === null) return {};
    return { token: expectString(token, 'lsps2.get_info/token') };
  });
}

/** Client side: the params object for the request. */
export function getInfoParamsToWire(req: GetInfoRequest): Record<string, unknown> {
  return req.token === undefined ? {} : { token: req.token };
}

/** LSP side: the result object. */
export function getInfoResultToWire(result: GetInfoResult): Record<string, unknown> {
  return { opening_fee_params_menu: result.openingFeeParamsMenu.map(openingFeeParamsToWire) };
}

/**
 * Client side: reads the result. Unknown result keys are ignored (bLIP-50), but any unknown field
 * inside an `opening_fee_params`, or a promise over 512 bytes, throws: bLIP-52 says the client
 * MUST abort. Ordering and `valid_until` are checked separately (`checkMenuOrder`,
 * `isValidUntilInFuture`), since they need the caller's policy and clock.
 */
export function parseGetInfoResult(result: unknown): GetInfoResult {
  const obj = expectObject(result, 'lsps2.get_info/result');
  const menu = own(obj, 'opening_fee_params_menu');
  if (!Array.isArray(menu)) fail('lsps2.get_info/opening_fee_params_menu', 'an array', menu);
  return {
    openingFeeParamsMenu: menu.map((entry, i) =>
      parseOpeningFeeParams(entry, `lsps2.get_info/opening_fee_params_menu[${i}]`),
    ),
  };
}

/**
 * bLIP-52 "2. Request JIT Channel": `lsps2.buy`.
 *
 * Params: `{ "opening_fee_params": {...copied verbatim from get_info}, "payment_size_msat"?: msat }`.
 * Without `payment_size_msat` the flow is "no-MPP+var-invoice"; with it, "MPP+fixed-invoice".
 * Result: `{ "jit_channel_scid": scid, "lsp_cltv_expiry_delta": n, "client_trusts_lsp"?: bool }`.
 * Errors: 201, 202, 203, and 1 (`client_rejected`); see `checkBuy` in `utils.ts`.
 */
import { Lsps0FormatError, invalidParamsObject } from '../lsps0/errors.js';
import {
  U16_MAX,
  describeValue,
  expectBoolean,
  expectObject,
  expectUint,
  hasOwn,
  isJsonObject,
  own,
} from '../lsps0/guards.js';
import { formatMsat, parseMsat } from '../lsps0/msat.js';
import { type ParamsResult, unrecognizedParams } from '../lsps0/params.js';
import { formatScid, parseScid } from '../lsps0/scid.js';
import { LSPS2_INVALID_OPENING_FEE_PARAMS, lsps2ErrorObject } from './msgs.js';
import { type OpeningFeeParams, openingFeeParamsToWire, parseOpeningFeeParams } from './opening-fee-params.js';

export interface BuyRequest {
  openingFeeParams: OpeningFeeParams;
  /** Absent in "no-MPP+var-invoice" mode. */
  paymentSizeMsat?: bigint;
}

export interface BuyResult {
  /** The SCID the client puts in its route hint / blinded path (LSPS0.scid on the wire). */
  jitChannelScid: bigint;
  /** CLTV delta of the LSP hop. BOLT 11 route hints carry it as a u16, so it is read as one. */
  lspCltvExpiryDelta: number;
  /** bLIP-52: optional, defaults to false. */
  clientTrustsLsp: boolean;
}

const BUY_PARAMS = ['opening_fee_params', 'payment_size_msat'] as const;

/**
 * LSP side. Unknown params give -32602 `unrecognized`; a missing or non-object
 * `opening_fee_params` or a malformed `payment_size_msat` give -32602 `invalid`. An
 * `opening_fee_params` object that is not exactly one we could have made (unknown or missing
 * field, bad value, promise over 512 bytes) gives 201 `invalid_opening_fee_params`: the promise
 * cannot match it, which is what 201 means.
 */
export function parseBuyParams(params: Record<string, unknown>): ParamsResult<BuyRequest> {
  const unknown = unrecognizedParams(params, BUY_PARAMS);
  if (unknown.length > 0) {
    return {
      ok: false,
      error: invalidParamsObject(unknown),
      reason: `lsps2.buy: expected only params opening_fee_params, payment_size_msat, got ${unknown.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}`,
    };
  }
  const ofp = own(params, 'opening_fee_params');
  if (!isJsonObject(ofp)) {
    return {
      ok: false,
      error: invalidParamsObject([], ['opening_fee_params']),
      reason: `lsps2.buy/opening_fee_params: expected an object, got ${describeValue(ofp)}`,
    };
  }
  let openingFeeParams: OpeningFeeParams;
  try {
    openingFeeParams = parseOpeningFeeParams(ofp, 'lsps2.buy/opening_fee_params');
  } catch (e) {
    if (!(e instanceof Lsps0FormatError)) throw e;
    return { ok: false, error: lsps2ErrorObject(LSPS2_INVALID_OPENING_FEE_PARAMS), reason: e.message };
  }
  const size = own(params, 'payment_size_msat');
  // An explicit null means "no size" (LDK writes and accepts it; see lsps2-promise.json).
  if (size === undefined || size === null) return { ok: true, value: { openingFeeParams } };
  try {
    return { ok: true, value: { openingFeeParams, paymentSizeMsat: parseMsat(size, 'lsps2.buy/payment_size_msat') } };
  } catch (e) {
    if (!(e instanceof Lsps0FormatError)) throw e;
    return { ok: false, error: invalidParamsObject([], ['payment_size_msat']), reason: e.message };
  }
}

/** Client side: the params object, with the chosen params echoed as received. */
export function buyParamsToWire(req: BuyRequest): Record<string, unknown> {
  const out: Record<string, unknown> = { opening_fee_params: openingFeeParamsToWire(req.openingFeeParams) };
  if (req.paymentSizeMsat !== undefined) out.payment_size_msat = formatMsat(req.paymentSizeMsat, 'payment_size_msat');
  return out;
}

/** LSP side: the result object. */
export function buyResultToWire(r: BuyResult): Record<string, unknown> {
  if (!Number.isInteger(r.lspCltvExpiryDelta) || r.lspCltvExpiryDelta < 0 || r.lspCltvExpiryDelta > U16_MAX) {
    throw new RangeError(`lsps2.buy/lsp_cltv_expiry_delta: expected a u16, got ${r.lspCltvExpiryDelta}`);
  }
  return {
    jit_channel_scid: formatScid(r.jitChannelScid),
    lsp_cltv_expiry_delta: r.lspCltvExpiryDelta,
    client_trusts_lsp: r.clientTrustsLsp,
  };
}

/** Client side: reads the result, ignoring unknown keys (bLIP-50). */
export function parseBuyResult(result: unknown): BuyResult {
  const obj = expectObject(result, 'lsps2.buy/result');
  const trusts = own(obj, 'client_trusts_lsp');
  return {
    jitChannelScid: parseScid(own(obj, 'jit_channel_scid'), 'lsps2.buy/jit_channel_scid'),
    lspCltvExpiryDelta: expectUint(
      own(obj, 'lsp_cltv_expiry_delta'),
      'lsps2.buy/lsp_cltv_expiry_delta',
      U16_MAX,
      'a CLTV delta',
    ),
    clientTrustsLsp:
      !hasOwn(obj, 'client_trusts_lsp') || trusts === null
        ? false
        : expectBoolean(trusts, 'lsps2.buy/client_trusts_lsp'),
  };
}

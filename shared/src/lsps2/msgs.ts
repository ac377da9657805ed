/**
 * bLIP-52 (LSPS2) method names and error codes, and the JSON-RPC error objects for them.
 *
 * bLIP-50 gives each LSPS the codes N*100..N*100+99, so LSPS2 owns 200..299; code 1
 * (`client_rejected`) is LSPS0's shared code, which `lsps2.buy` may also return.
 */
import { type JsonRpcErrorObject, LSPS0_CLIENT_REJECTED, clientRejectedObject } from '../lsps0/errors.js';

export const LSPS2_PROTOCOL_NUMBER = 2;
export const LSPS2_GET_INFO_METHOD = 'lsps2.get_info';
export const LSPS2_BUY_METHOD = 'lsps2.buy';

/** bLIP-52 get_info: the client provided a `token` the LSP does not recognise, or it expired. */
export const LSPS2_UNRECOGNIZED_OR_STALE_TOKEN = 200;
/** bLIP-52 buy: `valid_until` is past, or the `promise` does not match the parameters. */
export const LSPS2_INVALID_OPENING_FEE_PARAMS = 201;
/** bLIP-52 buy: `payment_size_msat` was given and the opening fee is >= it. */
export const LSPS2_PAYMENT_SIZE_TOO_SMALL = 202;
/** bLIP-52 buy: the fee computation overflowed, or the LSP lacks inbound liquidity for the size. */
export const LSPS2_PAYMENT_SIZE_TOO_LARGE = 203;
/** bLIP-50 `client_rejected`, allowed on `lsps2.buy`. */
export const LSPS2_CLIENT_REJECTED = LSPS0_CLIENT_REJECTED;

export type Lsps2GetInfoErrorCode = typeof LSPS2_UNRECOGNIZED_OR_STALE_TOKEN;
export type Lsps2BuyErrorCode =
  typeof LSPS2_INVALID_OPENING_FEE_PARAMS | typeof LSPS2_PAYMENT_SIZE_TOO_SMALL | typeof LSPS2_PAYMENT_SIZE_TOO_LARGE;

const MESSAGES: Record<number, string> = {
  [LSPS2_UNRECOGNIZED_OR_STALE_TOKEN]: 'unrecognized_or_stale_token',
  [LSPS2_INVALID_OPENING_FEE_PARAMS]: 'invalid_opening_fee_params',
  [LSPS2_PAYMENT_SIZE_TOO_SMALL]: 'payment_size_too_small',
  [LSPS2_PAYMENT_SIZE_TOO_LARGE]: 'payment_size_too_large',
};

/**
 * The JSON-RPC error object for an LSPS2 code. The `message` is the spec's name for the code;
 * bLIP-52 defines no `data` for these codes, so none is sent (bLIP-50: clients MUST NOT expect it).
 * Reasons for operators belong in the LSP's logs, not on the wire.
 */
export function lsps2ErrorObject(
  code: Lsps2GetInfoErrorCode | Lsps2BuyErrorCode | typeof LSPS2_CLIENT_REJECTED,
): JsonRpcErrorObject {
  if (code === LSPS2_CLIENT_REJECTED) return clientRejectedObject();
  const message = MESSAGES[code];
  if (message === undefined) throw new RangeError(`lsps2ErrorObject: expected 1 or 200..203, got ${code}`);
  return { code, message };
}

/** The spec's name of an LSPS2 error code, for clients mapping codes to their own messages. */
export function lsps2ErrorName(code: number): string | undefined {
  if (code === LSPS2_CLIENT_REJECTED) return 'client_rejected';
  return MESSAGES[code];
}

/**
 * LSPS2 (bLIP-52) JIT channel negotiation: messages and maths, as pure functions.
 *
 * - `msgs.ts`: method names, error codes 200-203 (and 1), their JSON-RPC error objects
 * - `opening-fee-params.ts`: the 8-field `opening_fee_params` (strict parse, wire form, promise size rules)
 * - `get-info.ts`, `buy.ts`: request params and results, both directions
 * - `opening-fee.ts`: `computeOpeningFee`, u64-exact with overflow -> null
 * - `promise.ts`: the LDK-compatible HMAC promise: `derivePromise`, `verifyPromise` (constant time), `mintOpeningFeeParams`
 * - `utils.ts`: `isValidUntilInFuture`, `checkBuy` (201/202/203), `checkFirstHtlc` (no-MPP mode)
 * - `menu.ts`: `checkMenuOrder`, the client's `chooseOpeningFeeParams`
 * - `fee-deduction.ts`: `deductOpeningFee`, the per-part fee skim and `extra_fee` values
 */
export * from './msgs.js';
export * from './opening-fee-params.js';
export * from './get-info.js';
export * from './buy.js';
export * from './opening-fee.js';
export * from './promise.js';
export * from './utils.js';
export * from './menu.js';
export * from './fee-deduction.js';

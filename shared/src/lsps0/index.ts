/**
 * LSPS0 (bLIP-50): the LSP spec transport layer, as pure functions.
 *
 * - `msgs.ts`: message type 37913, feature bit 729, `lsps0.list_protocols` messages
 * - `payload.ts`: the 37913 payload rules (one UTF-8 JSON object, no NUL, nothing trailing)
 * - `jsonrpc.ts`: the JSON-RPC 2.0 envelope for the LSP (`parseServerInbound`) and the client
 *   (`parseClientInbound`), serializers, request ids
 * - `params.ts`: by-name params checks giving -32602 with `data.unrecognized`
 * - `errors.ts`: JSON-RPC/LSPS0 error codes and error objects, `Lsps0FormatError`
 * - `msat.ts`, `datetime.ts`, `scid.ts`: the `LSPS0.msat`, `LSPS0.datetime`, `LSPS0.scid` schemas
 * - `outpoint.ts`: `LSPS0.txid`, `LSPS0.output_index`, `LSPS0.outpoint` (unused by LSPS2)
 * - `guards.ts`: assert-and-return guards for JSON values (`field: expected X, got Y`)
 * - `sanitize.ts`: display-safe LSP error messages for clients
 * - `ln-signature.ts`: `LSPS0.ln_signature` (zbase32, LND `signmessage`): sign, recover, verify
 */
export * from './errors.js';
export * from './guards.js';
export * from './payload.js';
export * from './jsonrpc.js';
export * from './params.js';
export * from './msat.js';
export * from './datetime.js';
export * from './scid.js';
export * from './outpoint.js';
export * from './msgs.js';
export * from './sanitize.js';
export * from './ln-signature.js';

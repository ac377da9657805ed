/**
 * By-name parameter checks for the LSP's method handlers (bLIP-50 "LSPS Extension And
 * Versioning": an LSP MUST answer a known method with an unrecognised parameter with -32602 and
 * `data.unrecognized`).
 */
import { type JsonRpcErrorObject, invalidParamsObject } from './errors.js';
import { Lsps0FormatError } from './errors.js';

/** The outcome of parsing a method's params: the typed value, or the error object to answer. */
export type ParamsResult<T> = { ok: true; value: T } | { ok: false; error: JsonRpcErrorObject; reason: string };

/** Names in `params` that the method does not define, in the order they appeared. */
export function unrecognizedParams(params: Record<string, unknown>, known: readonly string[]): string[] {
  return Object.keys(params).filter((k) => !known.includes(k));
}

/**
 * Runs `parse` over by-name params: unknown names give -32602 with `data.unrecognized`; an
 * `Lsps0FormatError` thrown by `parse` gives -32602 with `data.invalid: [param]` and an empty
 * `unrecognized`. Other exceptions propagate (they are bugs, answered -32603 by the dispatcher).
 */
export function parseParams<T>(
  params: Record<string, unknown>,
  known: readonly string[],
  scope: string,
  parse: (params: Record<string, unknown>) => T,
): ParamsResult<T> {
  const unknown = unrecognizedParams(params, known);
  if (unknown.length > 0) {
    return {
      ok: false,
      error: invalidParamsObject(unknown),
      reason: `${scope}: expected only params ${known.join(', ') || '(none)'}, got ${unknown.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}`,
    };
  }
  try {
    return { ok: true, value: parse(params) };
  } catch (e) {
    if (e instanceof Lsps0FormatError) {
      const rest = e.field.startsWith(`${scope}/`) ? e.field.slice(scope.length + 1) : e.field;
      const param = rest.split(/[./[]/)[0] || rest;
      return { ok: false, error: invalidParamsObject([], [param]), reason: e.message };
    }
    throw e;
  }
}

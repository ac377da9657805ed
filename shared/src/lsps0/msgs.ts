/**
 * bLIP-50 constants and the `lsps0.list_protocols` messages.
 *
 * `lsps0.list_protocols` takes `{}` and returns `{ "protocols": [..] }`; LSPS0 itself is never
 * listed (0 MUST NOT appear: feature bit 729 already says it). No errors are defined.
 */
import { expectUint, fail, expectObject, own, U16_MAX } from './guards.js';
import { parseParams, type ParamsResult } from './params.js';

/** bLIP-50: every LSPS message is BOLT 8 message type 37913 (`lsps0_message_id`). */
export const LSPS0_MESSAGE_TYPE = 37913;
/** bLIP-50: `option_supports_lsps`; the LSP MAY set it in init and node_announcement, clients MUST NOT. */
export const LSPS_FEATURE_BIT = 729;

export const LSPS0_LIST_PROTOCOLS_METHOD = 'lsps0.list_protocols';

export interface ListProtocolsResult {
  protocols: number[];
}

/** LSP side: `lsps0.list_protocols` accepts no parameters; any name is unrecognised (-32602). */
export function parseListProtocolsParams(params: Record<string, unknown>): ParamsResult<Record<string, never>> {
  return parseParams(params, [], 'lsps0.list_protocols', () => ({}));
}

/** LSP side: the result object. Throws if 0 is listed (bLIP-50 MUST NOT) or a number is not an integer. */
export function listProtocolsResultToWire(result: ListProtocolsResult): Record<string, unknown> {
  for (const p of result.protocols) {
    if (!Number.isInteger(p) || p <= 0 || p > U16_MAX) {
      throw new RangeError(
        `lsps0.list_protocols/protocols: expected LSPS numbers >= 1 (0 MUST NOT be listed), got ${p}`,
      );
    }
  }
  return { protocols: [...result.protocols] };
}

/** Client side: reads the result, ignoring unknown keys (bLIP-50). */
export function parseListProtocolsResult(result: unknown): ListProtocolsResult {
  const obj = expectObject(result, 'lsps0.list_protocols/result');
  const list = own(obj, 'protocols');
  if (!Array.isArray(list)) fail('lsps0.list_protocols/protocols', 'an array of integers', list);
  return { protocols: list.map((p, i) => expectUint(p, `lsps0.list_protocols/protocols[${i}]`, U16_MAX)) };
}

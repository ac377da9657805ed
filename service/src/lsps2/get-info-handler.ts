/**
 * `lsps2.get_info` (bLIP-52 §1): the token policy, then the menu for the asking client.
 *
 * Token policy: with no configured tokens any token (or none) is accepted. With a configured set, a
 * token outside it gets 200 `unrecognized_or_stale_token` (bLIP-52 MUST #2); no token at all gets an
 * empty menu ("the client currently cannot use JIT Channels with this LSP"), since 200 is defined only
 * for a token the client provided.
 */
import { fromHex } from '@jitlsp/shared/crypto';
import {
  getInfoResultToWire,
  LSPS2_UNRECOGNIZED_OR_STALE_TOKEN,
  lsps2ErrorObject,
  parseGetInfoParams,
} from '@jitlsp/shared/lsps2';
import type { HandlerOutcome, RequestContext } from '../lsps0/dispatcher.js';
import { buildMenu, type FeeTier } from './menu.js';

export interface GetInfoOptions {
  /** Ordered by `orderMenu`. */
  tiers: readonly FeeTier[];
  promiseSecret: Uint8Array;
  /** undefined: no token policy. */
  tokens: ReadonlySet<string> | undefined;
}

export function makeGetInfoHandler(opts: GetInfoOptions): (ctx: RequestContext) => HandlerOutcome {
  return ({ peer, request, now }) => {
    const p = parseGetInfoParams(request.params);
    if (!p.ok) return { error: p.error, reason: p.reason };
    const token = p.value.token;
    if (opts.tokens !== undefined) {
      if (token === undefined) return { result: getInfoResultToWire({ openingFeeParamsMenu: [] }) };
      if (!opts.tokens.has(token)) {
        return {
          error: lsps2ErrorObject(LSPS2_UNRECOGNIZED_OR_STALE_TOKEN),
          reason: 'token not in the configured set',
        };
      }
    }
    const menu = buildMenu(opts.tiers, opts.promiseSecret, fromHex(peer, 'peer'), now);
    return { result: getInfoResultToWire({ openingFeeParamsMenu: menu }) };
  };
}

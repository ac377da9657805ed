/**
 * Wires the LSPS0 dispatcher with the LSPS2 methods: `lsps0.list_protocols` -> [2], `lsps2.get_info`,
 * `lsps2.buy`. The daemon calls `handleMessage` for every 37913 message the node receives.
 */
import { LSPS2_BUY_METHOD, LSPS2_GET_INFO_METHOD, LSPS2_PROTOCOL_NUMBER } from '@jitlsp/shared/lsps2';
import { Lsps0Dispatcher, type DispatcherOptions } from '../lsps0/dispatcher.js';
import { makeBuyHandler, type BuyOptions } from './buy-handler.js';
import { makeGetInfoHandler } from './get-info-handler.js';
import { orderMenu, type FeeTier } from './menu.js';

export interface Lsps2ServerOptions extends Omit<DispatcherOptions, 'protocols'>, Omit<BuyOptions, 'promiseSecret'> {
  promiseSecret: Uint8Array;
  tiers: readonly FeeTier[];
  /** get_info tokens; undefined = no token policy. */
  tokens?: Iterable<string>;
}

export function createLsps2Server(opts: Lsps2ServerOptions): Lsps0Dispatcher {
  const dispatcher = new Lsps0Dispatcher({ ...opts, protocols: [LSPS2_PROTOCOL_NUMBER] });
  dispatcher.register(
    LSPS2_GET_INFO_METHOD,
    makeGetInfoHandler({
      tiers: orderMenu(opts.tiers),
      promiseSecret: opts.promiseSecret,
      tokens: opts.tokens === undefined ? undefined : new Set(opts.tokens),
    }),
  );
  dispatcher.register(LSPS2_BUY_METHOD, makeBuyHandler(opts));
  return dispatcher;
}

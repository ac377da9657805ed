/** The LSPS2 request counters' result label of each dispatched request. */
import type { DispatchRecord } from '../lsps0/dispatcher.js';
import type { BuyResult, GetInfoResult, ServiceMetrics } from './metrics.js';

/** Result code -> metrics label (bLIP-50 / bLIP-52 error codes). */
const RESULT_BY_CODE: Record<number, GetInfoResult | BuyResult> = {
  200: 'unrecognized_or_stale_token',
  201: 'invalid_opening_fee_params',
  202: 'payment_size_too_small',
  203: 'payment_size_too_large',
  [-32602]: 'invalid_params',
  [-32603]: 'internal_error',
  1: 'client_rejected',
};

/** Counts one answered `lsps2.get_info` or `lsps2.buy` under its result. */
export function countDispatch(metrics: Pick<ServiceMetrics, 'getInfo' | 'buy'>, r: DispatchRecord): void {
  const result = r.code === undefined ? 'ok' : (RESULT_BY_CODE[r.code] ?? 'internal_error');
  if (r.method === 'lsps2.get_info') metrics.getInfo(result as GetInfoResult);
  else if (r.method === 'lsps2.buy') metrics.buy(result as BuyResult);
}

/** Wire-form opening_fee_params: one valid case plus overrides. */
export const NOW = new Date('2026-11-20T12:00:00.000Z');
export const LSP_ID = '02' + '11'.repeat(32);

export function makeParams(o: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    min_fee_msat: '546000',
    proportional: 1200,
    valid_until: '2026-11-20T13:00:00.123456789Z',
    min_lifetime: 1008,
    max_client_to_self_delay: 2016,
    min_payment_size_msat: '1000',
    max_payment_size_msat: '1000000000',
    promise: 'abcdefghijklmnopqrstuvwxyz',
    ...o,
  };
}

export const makeMenu = (...entries: Record<string, unknown>[]) => ({ opening_fee_params_menu: entries });

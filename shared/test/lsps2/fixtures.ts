/** Builders for LSPS2 test inputs: one valid case plus overrides. */
import { parseDatetime } from '../../src/lsps0/index.js';
import { type OpeningFeeParams, type UnsignedOpeningFeeParams, mintOpeningFeeParams } from '../../src/lsps2/index.js';

export const SECRET = new Uint8Array(32).fill(0x11);
export const CLIENT = new Uint8Array(
  Buffer.from('02b98a7fb8cc007048625b6446ad49a1b3a722df8c1ca975b87160023e14d19097', 'hex'),
);
export const OTHER_CLIENT = new Uint8Array(
  Buffer.from('025b1062cfe407ceb90fb84ae02c6802d2b530ac72587c107d13f4c91c05d0c40e', 'hex'),
);
export const NOW = new Date(Date.UTC(2030, 0, 1, 12, 0, 0));
export const VALID_UNTIL = '2030-01-01T12:10:00.000Z';

/** Wire `opening_fee_params` (valid shape, placeholder promise) with overrides; `undefined` deletes a key. */
export function makeWireParams(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    min_fee_msat: '546000',
    proportional: 1200,
    valid_until: VALID_UNTIL,
    min_lifetime: 1008,
    max_client_to_self_delay: 2016,
    min_payment_size_msat: '1000',
    max_payment_size_msat: '1000000000',
    promise: 'abcdefghijklmnopqrstuvwxyz',
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return base;
}

/** Params minted with SECRET for CLIENT, then overridden (overrides after minting break the promise). */
export function makeParams(overrides: Partial<OpeningFeeParams> = {}): OpeningFeeParams {
  return { ...mintParams(), ...overrides };
}

/** Params with the given committed values, minted with SECRET for CLIENT (the promise stays valid). */
export function mintParams(values: Partial<UnsignedOpeningFeeParams> = {}): OpeningFeeParams {
  return mintOpeningFeeParams(SECRET, CLIENT, {
    minFeeMsat: 546_000n,
    proportional: 1200,
    validUntil: parseDatetime(VALID_UNTIL, 'valid_until'),
    minLifetime: 1008,
    maxClientToSelfDelay: 2016,
    minPaymentSizeMsat: 1000n,
    maxPaymentSizeMsat: 1_000_000_000n,
    ...values,
  });
}

/** Leases built from one valid case plus overrides. */
import type { Lease } from '../../src/bolt12/lease.js';

export const T0 = Date.parse('2026-11-20T12:00:00.000Z');

export function makeLease(lspNodeId: string, o: Partial<Lease> = {}): Lease {
  return {
    lspNodeId,
    interceptScid: 0x0000_0100_0000_0001n,
    lspCltvExpiryDelta: 144,
    clientTrustsLsp: false,
    validUntilMs: T0 + 3600_000,
    mode: 'no-mpp',
    terms: {
      minFeeMsat: 1_000_000n,
      proportional: 1000,
      minPaymentSizeMsat: 1_000n,
      maxPaymentSizeMsat: 1_000_000_000n,
    },
    boughtAtMs: T0,
    ...o,
  };
}

/** One valid set of JIT session terms for the state-machine and shell tests; tests override what they vary. */
import type { SessionTerms } from '../../src/lsps2/session.js';

export const CLIENT = '02' + '11'.repeat(32);

/** LDK's test_jit_channel_state_mpp numbers: size 500M msat, min fee 10M msat, 10,000 ppm -> fee 10M msat. */
export function makeTerms(createdAt: Date, over: Partial<SessionTerms> = {}): SessionTerms {
  return {
    jitChannelScid: 1099592695809n,
    clientNodeId: CLIENT,
    paymentSizeMsat: 500_000_000n,
    openingFeeMsat: 10_000_000n,
    feeParams: {
      minFeeMsat: 10_000_000n,
      proportional: 10_000,
      validUntil: new Date(createdAt.getTime() + 3_600_000),
      minLifetime: 1008,
      maxClientToSelfDelay: 2016,
      minPaymentSizeMsat: 1_000_000n,
      maxPaymentSizeMsat: 1_000_000_000n,
      promise: 'p',
    },
    lspCltvExpiryDelta: 144,
    clientTrustsLsp: false,
    userChannelId: 77n,
    createdAt,
    ...over,
  };
}

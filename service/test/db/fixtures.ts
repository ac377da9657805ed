/** Builders for persistence tests: one valid session plus overrides. */
import type { JitChannelState, JitSession, SessionTerms } from '../../src/lsps2/session.js';

export const T0 = new Date('2026-01-01T00:00:00.000Z');
export const CLIENT_A = '02' + 'ab'.repeat(32);
export const CLIENT_B = '03' + 'cd'.repeat(32);

export function makeSession(
  overrides: { terms?: Partial<SessionTerms>; state?: JitChannelState; updatedAt?: Date } = {},
): JitSession {
  const terms: SessionTerms = {
    jitChannelScid: 42n,
    clientNodeId: CLIENT_A,
    paymentSizeMsat: 500_000_000n,
    openingFeeMsat: 10_000_000n,
    feeParams: {
      minFeeMsat: 10_000_000n,
      proportional: 10_000,
      validUntil: new Date(T0.getTime() + 3600_000),
      minLifetime: 1008,
      maxClientToSelfDelay: 2016,
      minPaymentSizeMsat: 1_000n,
      maxPaymentSizeMsat: 1_000_000_000n,
      promise: 'f'.repeat(64),
    },
    lspCltvExpiryDelta: 144,
    clientTrustsLsp: false,
    userChannelId: 2n ** 100n + 7n,
    createdAt: T0,
    ...overrides.terms,
  };
  return {
    terms,
    state: overrides.state ?? { kind: 'awaitingPayment', held: [], forwarded: [], failed: [] },
    version: 0,
    updatedAt: overrides.updatedAt ?? terms.createdAt,
  };
}

/** A state exercising every field type: held/forwarded/failed HTLCs, bigints, nulls, dates. */
export function busyState(): JitChannelState {
  return {
    kind: 'openingChannel',
    payingHash: 'aa'.repeat(32),
    feeMsat: 10_000_000n,
    capacitySat: 590_000n,
    fundingSigned: false,
    channelId: null,
    held: [
      {
        interceptId: '11'.repeat(32),
        paymentHash: 'aa'.repeat(32),
        amountMsat: 250_000_000n,
        cltvExpiry: 850,
        receivedAt: T0,
      },
      {
        interceptId: '12'.repeat(32),
        paymentHash: 'aa'.repeat(32),
        amountMsat: 250_000_000n,
        cltvExpiry: null,
        receivedAt: T0,
      },
    ],
    forwarded: [
      { interceptId: '21'.repeat(32), paymentHash: 'bb'.repeat(32), amountMsat: 5n, forwardMsat: 4n, skimMsat: 1n },
    ],
    failed: [{ interceptId: '31'.repeat(32), reason: 'temporary_channel_failure' }],
  };
}

export const closedState = (collectedFeeMsat = 0n): JitChannelState => ({
  kind: 'closed',
  outcome: 'expired',
  channelId: null,
  collectedFeeMsat,
  held: [],
  forwarded: [],
  failed: [],
});

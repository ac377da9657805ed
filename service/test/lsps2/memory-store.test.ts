import { expect } from 'chai';
import { MemorySessionStore } from '../../src/lsps2/memory-store.js';
import { decodeState, decodeTerms, encodeState, encodeTerms } from '../../src/lsps2/session-codec.js';
import type { JitSession } from '../../src/lsps2/session.js';
import { SessionExistsError, StaleSessionError } from '../../src/lsps2/store.js';

const NOW = new Date('2026-01-01T00:00:00.000Z');

function makeSession(scid = 42n): JitSession {
  return {
    terms: {
      jitChannelScid: scid,
      clientNodeId: '02' + 'ab'.repeat(32),
      paymentSizeMsat: 500_000_000n,
      openingFeeMsat: 10_000_000n,
      feeParams: {
        minFeeMsat: 10_000_000n,
        proportional: 10_000,
        validUntil: new Date('2026-01-01T01:00:00.000Z'),
        minLifetime: 1008,
        maxClientToSelfDelay: 2016,
        minPaymentSizeMsat: 1_000n,
        maxPaymentSizeMsat: 1_000_000_000n,
        promise: 'p',
      },
      lspCltvExpiryDelta: 144,
      clientTrustsLsp: false,
      userChannelId: 2n ** 100n,
      createdAt: NOW,
    },
    state: { kind: 'awaitingPayment', held: [], forwarded: [], failed: [] },
    version: 0,
    updatedAt: NOW,
  };
}

describe('lsps2 session store (in memory) and codec', () => {
  it('round-trips terms and every field of a state through the JSON codec', () => {
    const s = makeSession();
    expect(decodeTerms(encodeTerms(s.terms))).to.deep.equal(s.terms);
    const state = {
      kind: 'openingChannel' as const,
      payingHash: 'aa'.repeat(32),
      feeMsat: 7n,
      capacitySat: 1000n,
      fundingSigned: false,
      channelId: null,
      held: [{ interceptId: '01', paymentHash: 'aa', amountMsat: 5n, cltvExpiry: null, receivedAt: NOW }],
      forwarded: [{ interceptId: '02', paymentHash: 'aa', amountMsat: 5n, forwardMsat: 4n, skimMsat: 1n }],
      failed: [{ interceptId: '03', reason: 'temporary_channel_failure' as const }],
    };
    expect(decodeState(encodeState(state))).to.deep.equal(state);
  });

  it('names the field when a stored state is corrupted', () => {
    expect(() =>
      decodeState('{"kind":"done","held":[],"forwarded":[],"failed":[],"channelId":"x","feeMsat":1}'),
    ).to.throw(/JitChannelState\/feeMsat: expected decimal string/);
  });

  it('refuses a second session with the same SCID', async () => {
    const store = new MemorySessionStore();
    await store.create(makeSession());
    let err: unknown;
    await store.create(makeSession()).catch((e) => (err = e));
    expect(err).to.be.instanceOf(SessionExistsError);
  });

  it('updates with optimistic concurrency and rejects a stale version', async () => {
    const store = new MemorySessionStore();
    await store.create(makeSession());
    const s1 = await store.update(42n, { kind: 'awaitingPayment', held: [], forwarded: [], failed: [] }, 0, NOW);
    expect(s1.version).to.equal(1);
    let err: unknown;
    await store.update(42n, s1.state, 0, NOW).catch((e) => (err = e));
    expect(err).to.be.instanceOf(StaleSessionError);
  });

  it('lets one payment hash fund the channel of one SCID only', async () => {
    const store = new MemorySessionStore();
    expect(await store.reserveFundingHash('h', 1n)).to.equal(true);
    expect(await store.reserveFundingHash('h', 1n)).to.equal(true);
    expect(await store.reserveFundingHash('h', 2n)).to.equal(false);
    await store.releaseFundingHash('h', 1n);
    expect(await store.reserveFundingHash('h', 2n)).to.equal(true);
  });

  it('lists open sessions and prunes closed ones', async () => {
    const store = new MemorySessionStore();
    await store.create(makeSession(1n));
    await store.create(makeSession(2n));
    await store.update(
      2n,
      {
        kind: 'closed',
        outcome: 'expired',
        channelId: null,
        collectedFeeMsat: 0n,
        held: [],
        forwarded: [],
        failed: [],
      },
      0,
      NOW,
    );
    expect((await store.listOpen()).map((s) => s.terms.jitChannelScid)).to.deep.equal([1n]);
    expect(await store.pruneClosedBefore(new Date(NOW.getTime() + 1))).to.equal(1);
    expect(await store.get(2n)).to.equal(undefined);
  });
});

import { expect } from 'chai';
import {
  DEFAULT_JIT_POLICY,
  channelClosed,
  channelOpenFailed,
  channelPending,
  channelReady,
  clientConnected,
  clientDisconnected,
  htlcHandlingFailed,
  htlcIntercepted,
  initialState,
  paymentForwarded,
  restarted,
  sweep,
  sweepDue,
  type JitAction,
  type JitContext,
  type JitEnv,
  type JitPolicy,
  type Transition,
} from '../../src/jit/pure/machine.js';
import type { JitChannelState, SessionTerms } from '../../src/lsps2/session.js';
import { CLIENT, makeTerms as makeFixtureTerms } from '../lsps2/fixtures.js';

const T0 = new Date('2026-03-01T00:00:00.000Z');
const HASH_A = 'aa'.repeat(32);
const HASH_B = 'bb'.repeat(32);
const HASH_C = 'cc'.repeat(32);
const CHAN = 'c0'.repeat(32);

function makeTerms(over: Partial<SessionTerms> = {}): SessionTerms {
  return makeFixtureTerms(T0, over);
}

function makeCtx(over: Partial<SessionTerms> = {}, policy: Partial<JitPolicy> = {}): JitContext {
  return {
    terms: makeTerms(over),
    policy: {
      ...DEFAULT_JIT_POLICY,
      overprovisioningPpm: 0,
      overprovisioningSat: 0n,
      minChannelSizeSat: 0n,
      ...policy,
    },
  };
}
const noMpp = (over: Partial<SessionTerms> = {}, policy: Partial<JitPolicy> = {}) =>
  makeCtx({ paymentSizeMsat: null, openingFeeMsat: null, ...over }, policy);

function env(ms = 0, over: Partial<JitEnv> = {}): JitEnv {
  return { now: new Date(T0.getTime() + ms), blockHeight: 1000, clientConnected: true, ...over };
}
const htlc = (id: string, hash: string, amountMsat: bigint, cltvExpiry: number | null = 1200) => ({
  interceptId: id,
  paymentHash: hash,
  amountMsat,
  cltvExpiry,
});

/** The action kinds, after 'persist' when the state changed (the runner stores it before acting). */
const kinds = (t: Transition) => [...(t.changed ? ['persist'] : []), ...t.actions.map((a) => a.kind)];
const ofKind = <K extends JitAction['kind']>(t: Transition, k: K) =>
  t.actions.filter((a): a is Extract<JitAction, { kind: K }> => a.kind === k);

/** Runs a sequence of transitions, threading the state. */
function walk(_ctx: JitContext, steps: ((s: JitChannelState) => Transition)[]): Transition[] {
  let s = initialState();
  const out: Transition[] = [];
  for (const step of steps) {
    const t = step(s);
    out.push(t);
    s = t.state;
  }
  return out;
}

describe('lsps2 JIT channel state machine', () => {
  describe('MPP+fixed-invoice mode', () => {
    const ctx = makeCtx();

    it('holds parts below payment_size_msat and only persists them', () => {
      const t = htlcIntercepted(ctx, initialState(), htlc('i1', HASH_A, 200_000_000n), env());
      expect(t.state.kind).to.equal('awaitingPayment');
      expect(kinds(t)).to.deep.equal(['persist']);
      expect(t.state.held.map((h) => h.interceptId)).to.deep.equal(['i1']);
    });

    it('opens a zero-conf unannounced channel sized payment_size - fee once the parts of one hash reach it', () => {
      const [, , t] = walk(ctx, [
        (s) => htlcIntercepted(ctx, s, htlc('i1', HASH_A, 200_000_000n), env()),
        (s) => htlcIntercepted(ctx, s, htlc('i2', HASH_B, 1_000_000n), env(1)),
        (s) => htlcIntercepted(ctx, s, htlc('i3', HASH_A, 300_000_000n), env(2)),
      ]);
      expect(t!.state.kind).to.equal('openingChannel');
      expect(kinds(t!)).to.deep.equal(['persist', 'openChannel']);
      const open = ofKind(t!, 'openChannel')[0]!;
      expect(open).to.deep.include({
        clientNodeId: CLIENT,
        capacitySat: 490_000n,
        userChannelId: 77n,
        zeroConf: true,
        announce: false,
        maxClientToSelfDelay: 2016,
        withholdFunding: false,
        paymentHash: HASH_A,
      });
    });

    it('adds the configured over-provisioning and minimum size to the channel capacity', () => {
      const c = makeCtx({}, { overprovisioningPpm: 10_000, overprovisioningSat: 5_000n });
      const t = htlcIntercepted(c, initialState(), htlc('i1', HASH_A, 500_000_000n), env());
      expect(ofKind(t, 'openChannel')[0]!.capacitySat).to.equal(490_000n + 4_900n + 5_000n);
      const small = makeCtx({}, { minChannelSizeSat: 1_000_000n });
      expect(
        ofKind(htlcIntercepted(small, initialState(), htlc('i1', HASH_A, 500_000_000n), env()), 'openChannel')[0]!
          .capacitySat,
      ).to.equal(1_000_000n);
    });

    it('waits for the client to be connected before opening, then opens on connect', () => {
      const t1 = htlcIntercepted(
        ctx,
        initialState(),
        htlc('i1', HASH_A, 500_000_000n),
        env(0, { clientConnected: false }),
      );
      expect(t1.state.kind).to.equal('awaitingPayment');
      expect(kinds(t1)).to.deep.equal(['persist']);
      const t2 = clientConnected(ctx, t1.state, env(10));
      expect(t2.state.kind).to.equal('openingChannel');
      expect(kinds(t2)).to.deep.equal(['persist', 'openChannel']);
    });

    it('walks lightning-liquidity test_jit_channel_state_mpp step by step, skimming exactly the fee', () => {
      const ts = walk(ctx, [
        (s) => htlcIntercepted(ctx, s, htlc('a1', HASH_A, 200_000_000n), env()),
        (s) => htlcIntercepted(ctx, s, htlc('b1', HASH_B, 1_000_000n), env(1)),
        (s) => htlcIntercepted(ctx, s, htlc('a2', HASH_A, 300_000_000n), env(2)),
        (s) => channelPending(s, CHAN),
        (s) => channelReady(ctx, s, CHAN, env(3)),
        (s) => htlcIntercepted(ctx, s, htlc('c1', HASH_C, 2_000_000n), env(4)),
        (s) => htlcHandlingFailed(ctx, s, env(5)),
        (s) => htlcHandlingFailed(ctx, s, env(6)),
        (s) => htlcIntercepted(ctx, s, htlc('b2', HASH_B, 500_000_000n), env(7)),
        (s) => paymentForwarded(ctx, s, 999_999n, env(8)),
        (s) => paymentForwarded(ctx, s, 9_000_001n, env(9)),
      ]);
      const st = ts.map((t) => t.state.kind);
      expect(st).to.deep.equal([
        'awaitingPayment',
        'awaitingPayment',
        'openingChannel',
        'openingChannel',
        'awaitingForward',
        'awaitingForward',
        'awaitingForward',
        'channelOpen',
        'awaitingForward',
        'awaitingForward',
        'done',
      ]);
      // channel_ready: A's parts, fee deducted from the first part only (spec algorithm).
      expect(ofKind(ts[4]!, 'forwardHtlc')).to.deep.equal([
        { kind: 'forwardHtlc', interceptId: 'a1', channelId: CHAN, amountMsat: 190_000_000n, skimMsat: 10_000_000n },
        { kind: 'forwardHtlc', interceptId: 'a2', channelId: CHAN, amountMsat: 300_000_000n, skimMsat: 0n },
      ]);
      // The 2M part of another payment is queued, not forwarded.
      expect(kinds(ts[5]!)).to.deep.equal(['persist']);
      // B pays the fee; its 1M part keeps htlc_minimum (1 msat) and carries the rest of what it can.
      const bForwards = ofKind(ts[8]!, 'forwardHtlc');
      expect(bForwards).to.deep.equal([
        { kind: 'forwardHtlc', interceptId: 'b1', channelId: CHAN, amountMsat: 1n, skimMsat: 999_999n },
        { kind: 'forwardHtlc', interceptId: 'b2', channelId: CHAN, amountMsat: 490_999_999n, skimMsat: 9_000_001n },
      ]);
      expect(bForwards.reduce((a, f) => a + f.skimMsat, 0n)).to.equal(10_000_000n);
      // A partial claim is not enough; the full fee finishes the session and releases the queue unskimmed.
      expect(ts[9]!.state.kind).to.equal('awaitingForward');
      expect(ofKind(ts[10]!, 'forwardHtlc')).to.deep.equal([
        { kind: 'forwardHtlc', interceptId: 'c1', channelId: CHAN, amountMsat: 2_000_000n, skimMsat: 0n },
      ]);
      expect(ofKind(ts[10]!, 'releaseFunding')).to.deep.equal([]);
    });

    it('forwards a late extra part of the paying set without a fee', () => {
      const ts = walk(ctx, [
        (s) => htlcIntercepted(ctx, s, htlc('a1', HASH_A, 500_000_000n), env()),
        (s) => channelReady(ctx, s, CHAN, env(1)),
        (s) => htlcIntercepted(ctx, s, htlc('a2', HASH_A, 7_000n), env(2)),
      ]);
      expect(ofKind(ts[2]!, 'forwardHtlc')).to.deep.equal([
        { kind: 'forwardHtlc', interceptId: 'a2', channelId: CHAN, amountMsat: 7_000n, skimMsat: 0n },
      ]);
    });

    it('keeps parts held until the 90 s collect timer, then fails them with temporary_channel_failure', () => {
      const t1 = htlcIntercepted(ctx, initialState(), htlc('a1', HASH_A, 100_000_000n), env());
      const t2 = htlcIntercepted(ctx, t1.state, htlc('a2', HASH_A, 100_000_000n), env(30_000));
      const early = sweep(ctx, t2.state, env(89_999));
      expect(early.actions).to.deep.equal([]);
      const fired = sweep(ctx, t2.state, env(90_000));
      expect(ofKind(fired, 'failHtlc')).to.deep.equal([
        { kind: 'failHtlc', interceptId: 'a1', reason: 'temporary_channel_failure' },
        { kind: 'failHtlc', interceptId: 'a2', reason: 'temporary_channel_failure' },
      ]);
      expect(fired.state.kind).to.equal('awaitingPayment');
      expect(fired.state.held).to.deep.equal([]);
      // bLIP-52: a part arriving after the timeout begins a new set.
      const t3 = htlcIntercepted(ctx, fired.state, htlc('a3', HASH_A, 100_000_000n), env(91_000));
      expect(t3.state.held.map((h) => h.interceptId)).to.deep.equal(['a3']);
      expect(sweep(ctx, t3.state, env(100_000)).actions).to.deep.equal([]);
    });

    it('honours a configured collect timeout', () => {
      const c = makeCtx({}, { mppCollectTimeoutMs: 5_000 });
      const t = htlcIntercepted(c, initialState(), htlc('a1', HASH_A, 100_000_000n), env());
      expect(ofKind(sweep(c, t.state, env(5_000)), 'failHtlc')).to.have.length(1);
    });

    it('fails an incomplete set with unknown_next_peer when valid_until passes, and closes the session', () => {
      const t = htlcIntercepted(ctx, initialState(), htlc('a1', HASH_A, 100_000_000n), env(3_599_000));
      const s = sweep(ctx, t.state, env(3_600_000));
      expect(ofKind(s, 'failHtlc')).to.deep.equal([
        { kind: 'failHtlc', interceptId: 'a1', reason: 'unknown_next_peer' },
      ]);
      expect(s.state).to.deep.include({ kind: 'closed', outcome: 'expired' });
      expect(sweepDue(ctx, s.state, env(3_600_000).now)).to.equal(false);
    });

    it('refuses a new HTLC with unknown_next_peer once valid_until has passed', () => {
      const t = htlcIntercepted(ctx, initialState(), htlc('a1', HASH_A, 500_000_000n), env(3_600_000));
      expect(ofKind(t, 'failHtlc')).to.deep.equal([
        { kind: 'failHtlc', interceptId: 'a1', reason: 'unknown_next_peer' },
      ]);
      expect(ofKind(t, 'openChannel')).to.deep.equal([]);
    });

    it('fails a payment with too many parts (parts x htlc_minimum > payment_size) with unknown_next_peer', () => {
      const c = makeCtx({ paymentSizeMsat: 2_000n, openingFeeMsat: 1_000n }, { htlcMinimumMsat: 1_000n });
      const ts = walk(c, [
        (s) => htlcIntercepted(c, s, htlc('a1', HASH_A, 500n), env()),
        (s) => htlcIntercepted(c, s, htlc('a2', HASH_A, 500n), env(1)),
        (s) => htlcIntercepted(c, s, htlc('a3', HASH_A, 500n), env(2)),
      ]);
      expect(ofKind(ts[2]!, 'failHtlc').map((f) => [f.interceptId, f.reason])).to.deep.equal([
        ['a1', 'unknown_next_peer'],
        ['a2', 'unknown_next_peer'],
        ['a3', 'unknown_next_peer'],
      ]);
    });

    it('fails a complete set whose parts cannot carry the fee above htlc_minimum', () => {
      const c = makeCtx({ paymentSizeMsat: 3_000n, openingFeeMsat: 2_500n }, { htlcMinimumMsat: 1_000n });
      const ts = walk(c, [
        (s) => htlcIntercepted(c, s, htlc('a1', HASH_A, 1_500n), env()),
        (s) => htlcIntercepted(c, s, htlc('a2', HASH_A, 1_500n), env(1)),
      ]);
      expect(ofKind(ts[1]!, 'failHtlc').map((f) => f.reason)).to.deep.equal(['unknown_next_peer', 'unknown_next_peer']);
      expect(ofKind(ts[1]!, 'openChannel')).to.deep.equal([]);
    });

    it('fails a complete set containing a part below htlc_minimum (it could not be forwarded)', () => {
      const c = makeCtx({ paymentSizeMsat: 10_000n, openingFeeMsat: 1_000n }, { htlcMinimumMsat: 1_000n });
      const ts = walk(c, [
        (s) => htlcIntercepted(c, s, htlc('a1', HASH_A, 9_500n), env()),
        (s) => htlcIntercepted(c, s, htlc('a2', HASH_A, 500n), env(1)),
      ]);
      expect(ofKind(ts[1]!, 'failHtlc').map((f) => [f.interceptId, f.reason])).to.deep.equal([
        ['a1', 'unknown_next_peer'],
        ['a2', 'unknown_next_peer'],
      ]);
      expect(ofKind(ts[1]!, 'openChannel')).to.deep.equal([]);
    });

    it('fails held parts a safety margin before their CLTV expiry, in any state', () => {
      const margin = DEFAULT_JIT_POLICY.cltvSafetyMarginBlocks;
      const t1 = htlcIntercepted(ctx, initialState(), htlc('a1', HASH_A, 100_000_000n, 1000 + margin + 1), env());
      expect(sweep(ctx, t1.state, env(1)).actions).to.deep.equal([]);
      const s1 = sweep(ctx, t1.state, env(1, { blockHeight: 1001 }));
      expect(ofKind(s1, 'failHtlc')).to.deep.equal([
        { kind: 'failHtlc', interceptId: 'a1', reason: 'temporary_channel_failure' },
      ]);
      // While the channel is opening, too.
      const t2 = htlcIntercepted(ctx, initialState(), htlc('a1', HASH_A, 500_000_000n, 1000 + margin), env());
      expect(t2.state.kind).to.equal('openingChannel');
      const s2 = sweep(ctx, t2.state, env(1));
      expect(ofKind(s2, 'failHtlc').map((f) => f.interceptId)).to.deep.equal(['a1']);
      // The channel then opens with nothing to pay it: it waits for the next payment.
      const r = channelReady(ctx, s2.state, CHAN, env(2));
      expect(r.state.kind).to.equal('channelOpen');
      expect(ofKind(r, 'forwardHtlc')).to.deep.equal([]);
    });

    it('fails the payment with unknown_next_peer when the client rejects the channel, and waits for payment again', () => {
      const t = htlcIntercepted(ctx, initialState(), htlc('a1', HASH_A, 500_000_000n), env());
      const f = channelOpenFailed(t.state, 'client_rejected');
      expect(f.state.kind).to.equal('awaitingPayment');
      expect(kinds(f)).to.deep.equal(['persist', 'failHtlc', 'releaseFundingHash']);
      expect(ofKind(f, 'failHtlc')[0]!.reason).to.equal('unknown_next_peer');
    });

    it('fails with temporary_channel_failure when the client disconnects before funding_signed, and back to awaiting payment', () => {
      const t = htlcIntercepted(ctx, initialState(), htlc('a1', HASH_A, 500_000_000n), env());
      const d = clientDisconnected(t.state);
      expect(d.state.kind).to.equal('awaitingPayment');
      expect(ofKind(d, 'failHtlc')).to.deep.equal([
        { kind: 'failHtlc', interceptId: 'a1', reason: 'temporary_channel_failure' },
      ]);
      // The payer retries: a new open.
      const again = htlcIntercepted(ctx, d.state, htlc('a2', HASH_A, 500_000_000n), env(2));
      expect(again.state.kind).to.equal('openingChannel');
    });

    it('ignores a disconnect after funding_signed (the channel survives reconnection)', () => {
      const t = htlcIntercepted(ctx, initialState(), htlc('a1', HASH_A, 500_000_000n), env());
      const p = channelPending(t.state, CHAN);
      expect(kinds(p)).to.deep.equal(['persist']);
      const d = clientDisconnected(p.state);
      expect(d.actions).to.deep.equal([]);
      expect(d.state.kind).to.equal('openingChannel');
    });

    it('re-issues the same decision for a replayed intercept id (held, forwarded or failed)', () => {
      const t1 = htlcIntercepted(ctx, initialState(), htlc('a1', HASH_A, 200_000_000n), env());
      expect(htlcIntercepted(ctx, t1.state, htlc('a1', HASH_A, 200_000_000n), env(1))).to.deep.equal({
        state: t1.state,
        actions: [],
        changed: false,
      });
      const t2 = htlcIntercepted(ctx, t1.state, htlc('a2', HASH_A, 300_000_000n), env(2));
      const r = channelReady(ctx, t2.state, CHAN, env(3));
      const replayed = htlcIntercepted(ctx, r.state, htlc('a1', HASH_A, 200_000_000n), env(4));
      expect(replayed.actions).to.deep.equal([
        { kind: 'forwardHtlc', interceptId: 'a1', channelId: CHAN, amountMsat: 190_000_000n, skimMsat: 10_000_000n },
      ]);
      expect(replayed.state).to.equal(r.state);
      const late = htlcIntercepted(ctx, initialState(), htlc('x', HASH_A, 1n), env(3_600_000));
      expect(htlcIntercepted(ctx, late.state, htlc('x', HASH_A, 1n), env(3_600_001)).actions).to.deep.equal([
        { kind: 'failHtlc', interceptId: 'x', reason: 'unknown_next_peer' },
      ]);
    });

    it('never opens a second channel for a replayed or repeated paying set', () => {
      const t = htlcIntercepted(ctx, initialState(), htlc('a1', HASH_A, 500_000_000n), env());
      const again = htlcIntercepted(ctx, t.state, htlc('a1', HASH_A, 500_000_000n), env(1));
      expect(ofKind(again, 'openChannel')).to.deep.equal([]);
      const more = htlcIntercepted(ctx, t.state, htlc('a9', HASH_A, 500_000_000n), env(1));
      expect(ofKind(more, 'openChannel')).to.deep.equal([]);
      const other = htlcIntercepted(ctx, t.state, htlc('b1', HASH_B, 500_000_000n), env(1));
      expect(ofKind(other, 'openChannel')).to.deep.equal([]);
      expect(channelReady(ctx, channelReady(ctx, t.state, CHAN, env(2)).state, CHAN, env(3)).actions).to.deep.equal([]);
    });

    it('forwards later HTLCs without a fee once done, and closes as paid at valid_until', () => {
      const ts = walk(ctx, [
        (s) => htlcIntercepted(ctx, s, htlc('a1', HASH_A, 500_000_000n), env()),
        (s) => channelReady(ctx, s, CHAN, env(1)),
        (s) => paymentForwarded(ctx, s, 10_000_000n, env(2)),
        (s) => htlcIntercepted(ctx, s, htlc('z1', HASH_C, 42_000n), env(3)),
        (s) => sweep(ctx, s, env(3_600_000)),
        (s) => htlcIntercepted(ctx, s, htlc('z2', HASH_C, 42_000n), env(3_600_001)),
      ]);
      expect(ts[2]!.state).to.deep.include({ kind: 'done', collectedFeeMsat: 10_000_000n });
      expect(ofKind(ts[3]!, 'forwardHtlc')).to.deep.equal([
        { kind: 'forwardHtlc', interceptId: 'z1', channelId: CHAN, amountMsat: 42_000n, skimMsat: 0n },
      ]);
      expect(ts[4]!.state).to.deep.include({ kind: 'closed', outcome: 'paid', collectedFeeMsat: 10_000_000n });
      expect(ofKind(ts[5]!, 'failHtlc')[0]!.reason).to.equal('unknown_next_peer');
    });

    it('withholds funding under client_trusts_lsp and releases it only when the fee is collected', () => {
      const c = makeCtx({ clientTrustsLsp: true });
      const ts = walk(c, [
        (s) => htlcIntercepted(c, s, htlc('a1', HASH_A, 250_000_000n), env()),
        (s) => htlcIntercepted(c, s, htlc('a2', HASH_A, 250_000_000n), env(1)),
        (s) => channelReady(c, s, CHAN, env(2)),
        (s) => htlcHandlingFailed(c, s, env(3)),
        (s) => paymentForwarded(c, s, 10_000_000n, env(4)),
      ]);
      expect(ofKind(ts[1]!, 'openChannel')[0]!.withholdFunding).to.equal(true);
      expect(ts[3]!.state.kind).to.equal('awaitingForward'); // one of two parts failed: still waiting
      expect(ofKind(ts[4]!, 'releaseFunding')).to.deep.equal([{ kind: 'releaseFunding', channelId: CHAN }]);
      expect(ts[4]!.state).to.deep.include({ kind: 'done', fundingReleased: true });
      expect(restarted(c, ts[4]!.state, env(5)).actions).to.deep.equal([{ kind: 'releaseFunding', channelId: CHAN }]);
    });

    it('re-issues a lost channel open after a restart', () => {
      const t = htlcIntercepted(ctx, initialState(), htlc('a1', HASH_A, 500_000_000n), env());
      const r = restarted(ctx, t.state, env(1));
      expect(r.actions).to.deep.equal(ofKind(t, 'openChannel'));
      expect(restarted(ctx, channelPending(t.state, CHAN).state, env(1)).actions).to.deep.equal([]);
    });

    it("re-issues the paying set's forwards after a restart in awaitingForward once the client is connected", () => {
      const ts = walk(ctx, [
        (s) => htlcIntercepted(ctx, s, htlc('a1', HASH_A, 500_000_000n), env()),
        (s) => channelReady(ctx, s, CHAN, env(1)),
      ]);
      const forwards = ofKind(ts[1]!, 'forwardHtlc');
      expect(ts[1]!.state.kind).to.equal('awaitingForward');
      expect(restarted(ctx, ts[1]!.state, env(2)).actions).to.deep.equal(forwards);
      // A forward to a disconnected client would fail the HTLC back: wait for it to connect.
      expect(restarted(ctx, ts[1]!.state, env(2, { clientConnected: false })).actions).to.deep.equal([]);
      expect(clientConnected(ctx, ts[1]!.state, env(3)).actions).to.deep.equal(forwards);
    });

    it('fails held parts when the JIT channel closes before the fee was paid', () => {
      const ts = walk(ctx, [
        (s) => htlcIntercepted(ctx, s, htlc('a1', HASH_A, 500_000_000n), env()),
        (s) => channelReady(ctx, s, CHAN, env(1)),
        (s) => htlcHandlingFailed(ctx, s, env(2)),
        (s) => htlcIntercepted(ctx, s, htlc('b1', HASH_B, 100_000_000n), env(3)),
        (s) => channelClosed(s, 'lsp_error'),
      ]);
      expect(ts[2]!.state.kind).to.equal('channelOpen');
      expect(ofKind(ts[4]!, 'failHtlc')).to.deep.equal([
        { kind: 'failHtlc', interceptId: 'b1', reason: 'unknown_next_peer' },
      ]);
      expect(ts[4]!.state).to.deep.include({ kind: 'closed', outcome: 'expired', channelId: CHAN });
    });

    it('reports a channel closed while opening as an open failure', () => {
      const t = htlcIntercepted(ctx, initialState(), htlc('a1', HASH_A, 500_000_000n), env());
      const c = channelClosed(t.state, 'lsp_error');
      expect(c.state.kind).to.equal('awaitingPayment');
      expect(ofKind(c, 'failHtlc')[0]!.reason).to.equal('temporary_channel_failure');
    });

    it('marks every state change as changed (stored before acting) and no-op events as neither changed nor acting', () => {
      const t = htlcIntercepted(ctx, initialState(), htlc('a1', HASH_A, 500_000_000n), env());
      expect(t.changed).to.equal(true);
      for (const noop of [
        channelReady(ctx, initialState(), CHAN, env()),
        paymentForwarded(ctx, initialState(), 5n, env()),
        htlcHandlingFailed(ctx, initialState(), env()),
        sweep(ctx, initialState(), env()),
      ]) {
        expect(noop.actions).to.deep.equal([]);
        expect(noop.changed).to.equal(false);
      }
    });

    it('never emits an mpp_timeout failure on any path', () => {
      const reasons = new Set<string>();
      const c = makeCtx();
      const s1 = htlcIntercepted(c, initialState(), htlc('a1', HASH_A, 1_000_000n), env());
      for (const t of [sweep(c, s1.state, env(90_000)), sweep(c, s1.state, env(3_600_000))]) {
        for (const f of ofKind(t, 'failHtlc')) reasons.add(f.reason);
      }
      expect([...reasons].sort()).to.deep.equal(['temporary_channel_failure', 'unknown_next_peer']);
    });
  });

  describe('no-MPP+var-invoice mode', () => {
    const ctx = noMpp();

    it('computes the fee from the first HTLC and opens a channel for amount - fee', () => {
      // 50M msat at 10_000 ppm = 500_000 < min fee 10M -> fee 10M.
      const t = htlcIntercepted(ctx, initialState(), htlc('h1', HASH_A, 50_000_000n), env());
      expect(t.state).to.deep.include({ kind: 'openingChannel', feeMsat: 10_000_000n });
      expect(ofKind(t, 'openChannel')[0]!.capacitySat).to.equal(40_000n);
      const r = channelReady(ctx, t.state, CHAN, env(1));
      expect(ofKind(r, 'forwardHtlc')).to.deep.equal([
        { kind: 'forwardHtlc', interceptId: 'h1', channelId: CHAN, amountMsat: 40_000_000n, skimMsat: 10_000_000n },
      ]);
    });

    it('refuses an HTLC with fee + htlc_minimum > amount with unknown_next_peer', () => {
      const c = noMpp({}, { htlcMinimumMsat: 1_000n });
      const t = htlcIntercepted(c, initialState(), htlc('h1', HASH_A, 10_000_999n), env());
      expect(t.changed).to.equal(true);
      expect(t.actions).to.deep.equal([{ kind: 'failHtlc', interceptId: 'h1', reason: 'unknown_next_peer' }]);
      const ok = htlcIntercepted(c, initialState(), htlc('h2', HASH_A, 10_001_000n), env());
      expect(ok.state.kind).to.equal('openingChannel');
    });

    it('refuses an HTLC whose fee computation overflows u64 with unknown_next_peer', () => {
      const c = noMpp({
        feeParams: { ...makeTerms().feeParams, proportional: 2, maxPaymentSizeMsat: (1n << 64n) - 1n },
      });
      const t = htlcIntercepted(c, initialState(), htlc('h1', HASH_A, (1n << 64n) - 1_000_000n), env());
      expect(ofKind(t, 'failHtlc')[0]!.reason).to.equal('unknown_next_peer');
    });

    it('refuses an HTLC outside [min_payment_size_msat, max_payment_size_msat] with unknown_next_peer', () => {
      for (const amount of [999_999n, 1_000_000_001n]) {
        const t = htlcIntercepted(ctx, initialState(), htlc('h1', HASH_A, amount), env());
        expect(ofKind(t, 'failHtlc')[0]!.reason, String(amount)).to.equal('unknown_next_peer');
      }
    });

    it('refuses a second HTLC of the same payment (MPP is not allowed in this mode)', () => {
      const t1 = htlcIntercepted(ctx, initialState(), htlc('h1', HASH_A, 50_000_000n), env());
      const t2 = htlcIntercepted(ctx, t1.state, htlc('h2', HASH_A, 50_000_000n), env(1));
      expect(ofKind(t2, 'failHtlc')).to.deep.equal([
        { kind: 'failHtlc', interceptId: 'h2', reason: 'unknown_next_peer' },
      ]);
      expect(t2.state.kind).to.equal('openingChannel');
      const off = htlcIntercepted(
        ctx,
        initialState(),
        htlc('h1', HASH_A, 50_000_000n),
        env(0, { clientConnected: false }),
      );
      const t3 = htlcIntercepted(ctx, off.state, htlc('h2', HASH_A, 50_000_000n), env(1, { clientConnected: false }));
      expect(ofKind(t3, 'failHtlc').map((f) => f.interceptId)).to.deep.equal(['h2']);
    });

    it('queues an HTLC of another payment while opening and forwards it unskimmed once the fee is paid', () => {
      const ts = walk(ctx, [
        (s) => htlcIntercepted(ctx, s, htlc('h1', HASH_A, 50_000_000n), env()),
        (s) => htlcIntercepted(ctx, s, htlc('h2', HASH_B, 20_000_000n), env(1)),
        (s) => channelReady(ctx, s, CHAN, env(2)),
        (s) => paymentForwarded(ctx, s, 10_000_000n, env(3)),
      ]);
      expect(kinds(ts[1]!)).to.deep.equal(['persist']);
      expect(ofKind(ts[3]!, 'forwardHtlc')).to.deep.equal([
        { kind: 'forwardHtlc', interceptId: 'h2', channelId: CHAN, amountMsat: 20_000_000n, skimMsat: 0n },
      ]);
    });

    it('after a refused first payment (a probe), takes the fee from the next HTLC over the open channel', () => {
      const ts = walk(ctx, [
        (s) => htlcIntercepted(ctx, s, htlc('probe', HASH_A, 50_000_000n), env()),
        (s) => channelReady(ctx, s, CHAN, env(1)),
        (s) => htlcHandlingFailed(ctx, s, env(2)),
        (s) => htlcIntercepted(ctx, s, htlc('real', HASH_B, 2_000_000_00n), env(3)),
      ]);
      expect(ts[2]!.state).to.deep.include({ kind: 'channelOpen', feeMsat: null });
      expect(ofKind(ts[3]!, 'forwardHtlc')).to.deep.equal([
        { kind: 'forwardHtlc', interceptId: 'real', channelId: CHAN, amountMsat: 190_000_000n, skimMsat: 10_000_000n },
      ]);
      expect(ts[3]!.state.kind).to.equal('awaitingForward');
    });

    it('fails a single HTLC waiting for an offline client after the collect timeout', () => {
      const t = htlcIntercepted(
        ctx,
        initialState(),
        htlc('h1', HASH_A, 50_000_000n),
        env(0, { clientConnected: false }),
      );
      expect(t.state.kind).to.equal('awaitingPayment');
      const s = sweep(ctx, t.state, env(90_000, { clientConnected: false }));
      expect(ofKind(s, 'failHtlc')).to.deep.equal([
        { kind: 'failHtlc', interceptId: 'h1', reason: 'temporary_channel_failure' },
      ]);
    });
  });
});

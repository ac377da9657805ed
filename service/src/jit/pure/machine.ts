/**
 * The per-session JIT channel state machine (bLIP-52 §4 "Payment", §5 "Channel Opening And Forwarding",
 * §6 "Post-opening Normal Operation"). Pure: every transition is named after an event, takes what it needs
 * of the session context, the current state and the event, and returns `{ state, actions, changed }`;
 * `step` runs the one a `JitInput` names. Whoever runs it (`../io/runner.ts`) stores the state when
 * `changed` BEFORE it runs the actions against the node.
 *
 * Modelled on lightning-liquidity's `OutboundJITChannel` (rust-lightning `lsps2/service.rs`), with the
 * gaps bLIP-52 leaves to the implementation closed:
 * - an MPP collect timer (90 s by default) failing parts with temporary_channel_failure (bLIP-52 MUST #19);
 * - valid_until enforced on held parts by `sweep`, with unknown_next_peer (MUST #20, #22), not left to CLTV;
 * - held parts failed a safety margin before their CLTV expiry in every state (no stuck HTLCs);
 * - a session that closes (valid_until, channel closed) fails everything it still holds;
 * - replayed intercepts (same intercept id) are idempotent: they re-issue the decision already taken;
 * - the fee is split by the spec's sequential algorithm respecting htlc_minimum (`fee-split.ts`).
 */
import { isDeepStrictEqual } from 'node:util';
import { computeOpeningFee } from '@jitlsp/shared/lsps2';
import { splitFee } from './fee-split.js';
import type {
  FailedHtlc,
  ForwardedHtlc,
  HeldHtlc,
  HtlcFailureReason,
  HtlcLedger,
  JitChannelState,
  SessionTerms,
} from '../../lsps2/session.js';

export type { JitChannelState } from '../../lsps2/session.js';

/** bLIP-52 §4: "SHOULD hold all payment parts active for at least 90 seconds". */
export const DEFAULT_MPP_COLLECT_TIMEOUT_MS = 90_000;
/**
 * Blocks before a held HTLC's CLTV expiry at which we fail it ourselves. Above LDK's own fail-back buffer
 * for intercepted HTLCs (HTLC_FAIL_BACK_BUFFER = 3 + 18 blocks), so the LSP, not LDK, decides the code.
 */
export const DEFAULT_CLTV_SAFETY_MARGIN_BLOCKS = 24;
/** BOLT 2 `max_accepted_htlcs` upper bound: more parts than this for one payment is refused. */
export const MAX_PARTS_PER_PAYMENT = 483;
/** Forwarded/failed intercept ids remembered per session for replay idempotence (oldest dropped). */
export const MAX_REMEMBERED_INTERCEPTS = 1024;

/** Operator settings the state machine applies (from the daemon configuration). */
export interface JitPolicy {
  /** `htlc_minimum_msat` of the JIT channel towards the client (bLIP-52 MUST #25, #36). */
  htlcMinimumMsat: bigint;
  mppCollectTimeoutMs: number;
  cltvSafetyMarginBlocks: number;
  /** Over-provisioning on top of `payment_size - fee` (covers the LSP-side reserve, bLIP-52 MUST #26). */
  overprovisioningPpm: number;
  overprovisioningSat: bigint;
  minChannelSizeSat: bigint;
  maxPartsPerPayment: number;
}

export const DEFAULT_JIT_POLICY: JitPolicy = {
  htlcMinimumMsat: 1n,
  mppCollectTimeoutMs: DEFAULT_MPP_COLLECT_TIMEOUT_MS,
  cltvSafetyMarginBlocks: DEFAULT_CLTV_SAFETY_MARGIN_BLOCKS,
  overprovisioningPpm: 10_000,
  // 1% alone is too little for small payments: the LSP's side must also hold the reserve the client
  // sets (LDK: at least 1,000 sat) and the commitment fee with the fee-spike buffer (about 1,800 sat
  // at 1,000 sat/kW), or the first HTLC cannot be forwarded (ldk-node #913). 10,000 sat covers both up
  // to roughly 4,000 sat/kW.
  overprovisioningSat: 10_000n,
  minChannelSizeSat: 20_000n,
  maxPartsPerPayment: MAX_PARTS_PER_PAYMENT,
};

export interface JitContext {
  terms: SessionTerms;
  policy: JitPolicy;
}

/** What the runner knows when an event arrives. */
export interface JitEnv {
  now: Date;
  /** Current chain height, or null if unknown (the CLTV margin is then not applied). */
  blockHeight: number | null;
  /** bLIP-52 §4: the LSP proceeds only while the client is connected. */
  clientConnected: boolean;
}

/** An intercepted HTLC as the node reports it. */
export interface InterceptedHtlc {
  interceptId: string;
  paymentHash: string;
  /** The onion's amount to forward (LDK `expected_outbound_amount_msat`). */
  amountMsat: bigint;
  cltvExpiry?: number | null;
}

export type ChannelOpenFailure = 'client_rejected' | 'client_disconnected' | 'lsp_error';

/** Side effects, as plain data. The runner runs them in order, after storing a changed state. */
export type JitAction =
  | {
      kind: 'openChannel';
      clientNodeId: string;
      capacitySat: bigint;
      userChannelId: bigint;
      /** bLIP-52 §5 MUST: zero-conf with option_scid_alias, announce_channel=false. */
      zeroConf: true;
      announce: false;
      /** bLIP-52 MUST #27: the client's to_self_delay must not exceed this. */
      maxClientToSelfDelay: number;
      /** client_trusts_lsp: withhold the funding broadcast until the payment is claimed. */
      withholdFunding: boolean;
      /** The payment hash funding this channel (the runner reserves it: one hash, one channel). */
      paymentHash: string;
    }
  | { kind: 'forwardHtlc'; interceptId: string; channelId: string; amountMsat: bigint; skimMsat: bigint }
  | { kind: 'failHtlc'; interceptId: string; reason: HtlcFailureReason }
  | { kind: 'releaseFunding'; channelId: string }
  | { kind: 'releaseFundingHash'; paymentHash: string };

export interface Transition {
  state: JitChannelState;
  actions: JitAction[];
  /** The state differs from the one the transition started from (it must be stored before acting). */
  changed: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// helpers

type Ledgered = JitChannelState;

function withLedger<S extends Ledgered>(s: S, l: HtlcLedger): S {
  return { ...s, held: l.held, forwarded: l.forwarded, failed: l.failed };
}

function bounded<T>(xs: T[]): T[] {
  return xs.length > MAX_REMEMBERED_INTERCEPTS ? xs.slice(xs.length - MAX_REMEMBERED_INTERCEPTS) : xs;
}

/** Builds the result; `changed` compares the states by value (a rebuilt but equal state is unchanged). */
function result(prev: JitChannelState, next: JitChannelState, actions: JitAction[]): Transition {
  return { state: next, actions, changed: prev !== next && !isDeepStrictEqual(prev, next) };
}

/** The state stays as it is; `actions` re-issue decisions already stored. */
function unchanged(state: JitChannelState, actions: JitAction[] = []): Transition {
  return { state, actions, changed: false };
}

/** Fails these held parts: removes them from `held`, remembers them, emits failHtlc actions. */
function failHeld(
  l: HtlcLedger,
  ids: ReadonlySet<string>,
  reason: HtlcFailureReason,
  actions: JitAction[],
): HtlcLedger {
  if (ids.size === 0) return l;
  const failed: FailedHtlc[] = [...l.failed];
  for (const h of l.held) {
    if (ids.has(h.interceptId)) {
      failed.push({ interceptId: h.interceptId, reason });
      actions.push({ kind: 'failHtlc', interceptId: h.interceptId, reason });
    }
  }
  return { held: l.held.filter((h) => !ids.has(h.interceptId)), forwarded: l.forwarded, failed: bounded(failed) };
}

/** Fails an HTLC that was never held (refused on arrival). */
function refuse(l: HtlcLedger, interceptId: string, reason: HtlcFailureReason, actions: JitAction[]): HtlcLedger {
  actions.push({ kind: 'failHtlc', interceptId, reason });
  return { ...l, failed: bounded([...l.failed, { interceptId, reason }]) };
}

/** Forwards these held parts (in order) with the given split over `channelId`. */
function forwardHeld(
  l: HtlcLedger,
  parts: readonly HeldHtlc[],
  split: readonly { forwardMsat: bigint; skimMsat: bigint }[],
  channelId: string,
  actions: JitAction[],
): HtlcLedger {
  const ids = new Set(parts.map((p) => p.interceptId));
  const forwarded: ForwardedHtlc[] = [...l.forwarded];
  parts.forEach((p, i) => {
    const s = split[i]!;
    forwarded.push({
      interceptId: p.interceptId,
      paymentHash: p.paymentHash,
      amountMsat: p.amountMsat,
      forwardMsat: s.forwardMsat,
      skimMsat: s.skimMsat,
    });
    actions.push({
      kind: 'forwardHtlc',
      interceptId: p.interceptId,
      channelId,
      amountMsat: s.forwardMsat,
      skimMsat: s.skimMsat,
    });
  });
  return { held: l.held.filter((h) => !ids.has(h.interceptId)), forwarded: bounded(forwarded), failed: l.failed };
}

function forwardVerbatim(
  l: HtlcLedger,
  parts: readonly HeldHtlc[],
  channelId: string,
  actions: JitAction[],
): HtlcLedger {
  return forwardHeld(
    l,
    parts,
    parts.map((p) => ({ forwardMsat: p.amountMsat, skimMsat: 0n })),
    channelId,
    actions,
  );
}

function sum(xs: readonly HeldHtlc[]): bigint {
  return xs.reduce((a, h) => a + h.amountMsat, 0n);
}

/** Held parts grouped by payment hash, in first-arrival order. */
function groups(held: readonly HeldHtlc[]): Map<string, HeldHtlc[]> {
  const m = new Map<string, HeldHtlc[]>();
  for (const h of held) {
    const g = m.get(h.paymentHash);
    if (g) g.push(h);
    else m.set(h.paymentHash, [h]);
  }
  return m;
}

function channelIdOf(s: JitChannelState): string | null {
  return s.kind === 'awaitingPayment' ? null : s.channelId;
}

function expired(ctx: JitContext, now: Date): boolean {
  // bLIP-52 §4: proceed only while "the current time is strictly less than valid_until".
  return now.getTime() >= ctx.terms.feeParams.validUntil.getTime();
}

function isMpp(ctx: JitContext): boolean {
  return ctx.terms.paymentSizeMsat !== null;
}

/**
 * The fee a complete payment set owes, or a failure. MPP: the fee fixed at buy time, the set must reach
 * payment_size_msat. no-MPP: computed from the single HTLC (bLIP-52 MUST #24, #25).
 */
function feeFor(
  ctx: JitContext,
  parts: readonly HeldHtlc[],
): { complete: false } | { complete: true; feeMsat: bigint } | { fail: true } {
  const { terms, policy } = ctx;
  if (terms.paymentSizeMsat !== null) {
    if (sum(parts) < terms.paymentSizeMsat) return { complete: false };
    const fee =
      terms.openingFeeMsat ??
      computeOpeningFee(terms.paymentSizeMsat, terms.feeParams.minFeeMsat, terms.feeParams.proportional);
    if (fee === null) return { fail: true };
    // bLIP-52 §5: too many parts to carry the fee with htlc_minimum each -> fail the payment.
    if (
      splitFee(
        parts.map((p) => p.amountMsat),
        fee,
        policy.htlcMinimumMsat,
      ) === null
    )
      return { fail: true };
    return { complete: true, feeMsat: fee };
  }
  const htlc = parts[0]!;
  const fee = computeOpeningFee(htlc.amountMsat, terms.feeParams.minFeeMsat, terms.feeParams.proportional);
  if (fee === null) return { fail: true };
  if (fee + policy.htlcMinimumMsat > htlc.amountMsat) return { fail: true };
  return { complete: true, feeMsat: fee };
}

/** Channel capacity: `amount - fee` (what must fit towards the client) plus over-provisioning, in sat. */
export function channelCapacitySat(policy: JitPolicy, amountMsat: bigint, feeMsat: bigint): bigint {
  const payableSat = (amountMsat - feeMsat + 999n) / 1000n;
  const extra = (payableSat * BigInt(policy.overprovisioningPpm) + 999_999n) / 1_000_000n + policy.overprovisioningSat;
  const cap = payableSat + extra;
  return cap < policy.minChannelSizeSat ? policy.minChannelSizeSat : cap;
}

/**
 * In awaitingPayment / channelOpen: if some held payment set is complete and the client is connected,
 * start the open (no channel yet) or forward it with the fee (channel already open).
 */
function proceedIfComplete(ctx: JitContext, s: JitChannelState, env: JitEnv, actions: JitAction[]): JitChannelState {
  if (s.kind !== 'awaitingPayment' && s.kind !== 'channelOpen') return s;
  if (!env.clientConnected || expired(ctx, env.now)) return s;
  let cur: JitChannelState = s;
  for (const [hash, parts] of groups(s.held)) {
    const r = feeFor(ctx, parts);
    if ('fail' in r) {
      cur = withLedger(cur, failHeld(cur, new Set(parts.map((p) => p.interceptId)), 'unknown_next_peer', actions));
      continue;
    }
    if (!r.complete) continue;
    if (cur.kind === 'awaitingPayment') {
      const capacitySat = channelCapacitySat(ctx.policy, sum(parts), r.feeMsat);
      actions.push({
        kind: 'openChannel',
        clientNodeId: ctx.terms.clientNodeId,
        capacitySat,
        userChannelId: ctx.terms.userChannelId,
        zeroConf: true,
        announce: false,
        maxClientToSelfDelay: ctx.terms.feeParams.maxClientToSelfDelay,
        withholdFunding: ctx.terms.clientTrustsLsp,
        paymentHash: hash,
      });
      return {
        kind: 'openingChannel',
        payingHash: hash,
        feeMsat: r.feeMsat,
        capacitySat,
        fundingSigned: false,
        channelId: null,
        held: cur.held,
        forwarded: cur.forwarded,
        failed: cur.failed,
      };
    }
    if (cur.kind === 'channelOpen') return forwardPayingSet(ctx, cur, cur.channelId, hash, r.feeMsat, actions);
  }
  return cur;
}

/** Forwards the paying set with the fee skimmed (bLIP-52 §5) and moves to awaitingForward. */
function forwardPayingSet(
  ctx: JitContext,
  s: HtlcLedger,
  channelId: string,
  hash: string,
  feeMsat: bigint,
  actions: JitAction[],
): JitChannelState {
  const parts = s.held.filter((h) => h.paymentHash === hash);
  const split = splitFee(
    parts.map((p) => p.amountMsat),
    feeMsat,
    ctx.policy.htlcMinimumMsat,
  );
  if (split === null) {
    // Cannot happen for a set that passed feeFor, unless parts were failed meanwhile (CLTV sweep).
    const l = failHeld(s, new Set(parts.map((p) => p.interceptId)), 'unknown_next_peer', actions);
    return { kind: 'channelOpen', channelId, feeMsat: isMpp(ctx) ? feeMsat : null, ...l };
  }
  const l = forwardHeld(s, parts, split, channelId, actions);
  return {
    kind: 'awaitingForward',
    channelId,
    payingHash: hash,
    feeMsat,
    collectedFeeMsat: 0n,
    failedForwards: 0,
    ...l,
  };
}

/** Re-issues the decision already taken for a replayed intercept id, or null if the id is new. */
function replay(s: JitChannelState, interceptId: string): Transition | null {
  if (s.held.some((h) => h.interceptId === interceptId)) return unchanged(s);
  const f = s.forwarded.find((h) => h.interceptId === interceptId);
  const channelId = channelIdOf(s);
  if (f && channelId !== null) {
    return unchanged(s, [
      { kind: 'forwardHtlc', interceptId, channelId, amountMsat: f.forwardMsat, skimMsat: f.skimMsat },
    ]);
  }
  const x = s.failed.find((h) => h.interceptId === interceptId);
  if (x) return unchanged(s, [{ kind: 'failHtlc', interceptId, reason: x.reason }]);
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// events

/** A fresh session, right after `lsps2.buy`. */
export function initialState(): JitChannelState {
  return { kind: 'awaitingPayment', held: [], forwarded: [], failed: [] };
}

/** The node intercepted an HTLC whose next hop is this session's `jit_channel_scid`. */
export function htlcIntercepted(
  ctx: JitContext,
  state: JitChannelState,
  htlc: InterceptedHtlc,
  env: JitEnv,
): Transition {
  const again = replay(state, htlc.interceptId);
  if (again) return again;

  const actions: JitAction[] = [];
  const { terms, policy } = ctx;
  const held: HeldHtlc = {
    interceptId: htlc.interceptId,
    paymentHash: htlc.paymentHash,
    amountMsat: htlc.amountMsat,
    cltvExpiry: htlc.cltvExpiry ?? null,
    receivedAt: env.now,
  };

  // bLIP-52 MUST #42: the SCID is an alias only until valid_until; MUST #22 (MPP) unknown_next_peer.
  if (state.kind === 'closed' || expired(ctx, env.now)) {
    return result(state, withLedger(state, refuse(state, htlc.interceptId, 'unknown_next_peer', actions)), actions);
  }

  // bLIP-52 §6: after the fee was paid, later HTLCs to the SCID are forwarded as-is.
  if (state.kind === 'done') {
    const l = forwardVerbatim({ ...state, held: [...state.held, held] }, [held], state.channelId, actions);
    return result(state, withLedger(state, l), actions);
  }

  const payingHash = state.kind === 'openingChannel' || state.kind === 'awaitingForward' ? state.payingHash : null;

  if (!isMpp(ctx)) {
    // bLIP-52 §2: no-MPP mode means one HTLC per payment; a second part of the same hash is refused
    // ("MAY fail with unknown_next_peer if it receives too many payment parts").
    const sameHash = state.held.some((h) => h.paymentHash === htlc.paymentHash) || payingHash === htlc.paymentHash;
    if (sameHash)
      return result(state, withLedger(state, refuse(state, htlc.interceptId, 'unknown_next_peer', actions)), actions);
    // bLIP-52 §2 SHOULD: the variable amount within [min, max]; MUST #24/#25: fee computable and
    // fee + htlc_minimum <= amount, else unknown_next_peer.
    const fp = terms.feeParams;
    const fee = computeOpeningFee(htlc.amountMsat, fp.minFeeMsat, fp.proportional);
    if (
      htlc.amountMsat < fp.minPaymentSizeMsat ||
      htlc.amountMsat > fp.maxPaymentSizeMsat ||
      fee === null ||
      fee + policy.htlcMinimumMsat > htlc.amountMsat
    ) {
      return result(state, withLedger(state, refuse(state, htlc.interceptId, 'unknown_next_peer', actions)), actions);
    }
  } else if (state.kind === 'awaitingForward' && htlc.paymentHash === payingHash) {
    // MPP: a late extra part of the set already paying the fee goes through unskimmed.
    const l = forwardVerbatim({ ...state, held: [...state.held, held] }, [held], state.channelId, actions);
    return result(state, withLedger(state, l), actions);
  }

  let next: JitChannelState = withLedger(state, { ...state, held: [...state.held, held] });
  if (isMpp(ctx)) {
    const group = next.held.filter((h) => h.paymentHash === htlc.paymentHash);
    // bLIP-52 §4: "MAY fail with unknown_next_peer if it receives too many payment parts"; §5: more parts
    // than payment_size / htlc_minimum cannot all carry htlc_minimum.
    const tooMany =
      group.length > policy.maxPartsPerPayment ||
      BigInt(group.length) * policy.htlcMinimumMsat > (terms.paymentSizeMsat as bigint);
    if (tooMany) {
      next = withLedger(next, failHeld(next, new Set(group.map((h) => h.interceptId)), 'unknown_next_peer', actions));
      return result(state, next, actions);
    }
  }
  next = proceedIfComplete(ctx, next, env, actions);
  return result(state, next, actions);
}

/** The client (re)connected: a complete set waiting for it can proceed (bLIP-52 §4 MUST #23). */
export function clientConnected(ctx: JitContext, state: JitChannelState, env: JitEnv): Transition {
  const actions: JitAction[] = [];
  reforwardPayingSet(state, actions);
  return result(state, proceedIfComplete(ctx, state, { ...env, clientConnected: true }, actions), actions);
}

/** The node got `funding_signed` for our channel (LDK ChannelPending): a disconnect no longer aborts. */
export function channelPending(state: JitChannelState, channelId: string): Transition {
  if (state.kind !== 'openingChannel') return unchanged(state);
  return result(state, { ...state, fundingSigned: true, channelId }, []);
}

/** The JIT channel is ready (both sides sent channel_ready): forward the paying set with the fee. */
export function channelReady(ctx: JitContext, state: JitChannelState, channelId: string, env: JitEnv): Transition {
  if (state.kind !== 'openingChannel') return unchanged(state); // replayed event
  const actions: JitAction[] = [];
  const parts = state.held.filter((h) => h.paymentHash === state.payingHash);
  const ledger: HtlcLedger = { held: state.held, forwarded: state.forwarded, failed: state.failed };
  const size = ctx.terms.paymentSizeMsat;
  const payable =
    parts.length > 0 &&
    (size === null || sum(parts) >= size) &&
    splitFee(
      parts.map((p) => p.amountMsat),
      state.feeMsat,
      ctx.policy.htlcMinimumMsat,
    ) !== null;
  let next: JitChannelState;
  if (payable) {
    next = forwardPayingSet(ctx, ledger, channelId, state.payingHash, state.feeMsat, actions);
  } else {
    // Parts were failed meanwhile (CLTV margin): what is left cannot pay the fee. Keep the channel;
    // the next complete payment pays it (as after a failed forward).
    const l = failHeld(ledger, new Set(parts.map((p) => p.interceptId)), 'unknown_next_peer', actions);
    const open: JitChannelState = { kind: 'channelOpen', channelId, feeMsat: isMpp(ctx) ? state.feeMsat : null, ...l };
    next = proceedIfComplete(ctx, open, env, actions);
  }
  return result(state, next, actions);
}

/**
 * The channel open failed before the channel became usable. bLIP-52 §5: the client rejecting it (BOLT
 * `error`) -> unknown_next_peer (MUST #28); the client disconnecting before funding_signed ->
 * temporary_channel_failure and back to waiting for payment (MUST #29). An LSP-side failure (no funds)
 * is reported as temporary_channel_failure so that the payer may retry.
 */
export function channelOpenFailed(state: JitChannelState, reason: ChannelOpenFailure): Transition {
  if (state.kind !== 'openingChannel') return unchanged(state);
  const actions: JitAction[] = [];
  const code: HtlcFailureReason = reason === 'client_rejected' ? 'unknown_next_peer' : 'temporary_channel_failure';
  const l = failHeld(state, new Set(state.held.map((h) => h.interceptId)), code, actions);
  actions.push({ kind: 'releaseFundingHash', paymentHash: state.payingHash });
  return result(state, { kind: 'awaitingPayment', ...l }, actions);
}

/** The client disconnected. Only matters while opening and before funding_signed (bLIP-52 MUST #29). */
export function clientDisconnected(state: JitChannelState): Transition {
  if (state.kind === 'openingChannel' && !state.fundingSigned) return channelOpenFailed(state, 'client_disconnected');
  return unchanged(state);
}

/**
 * One forwarded part over the JIT channel was claimed (LDK PaymentForwarded). Once the skimmed fees
 * reach the opening fee, the session is done; held parts of other payments go through unskimmed, and a
 * withheld funding transaction is released (client_trusts_lsp, bLIP-52 §5).
 */
export function paymentForwarded(
  ctx: JitContext,
  state: JitChannelState,
  skimmedFeeMsat: bigint,
  env: JitEnv,
): Transition {
  if (state.kind !== 'awaitingForward') return unchanged(state);
  const actions: JitAction[] = [];
  const collected = state.collectedFeeMsat + skimmedFeeMsat;
  if (collected < state.feeMsat) return result(state, { ...state, collectedFeeMsat: collected }, actions);
  let l: HtlcLedger = state;
  if (!expired(ctx, env.now)) l = forwardVerbatim(l, state.held, state.channelId, actions);
  if (ctx.terms.clientTrustsLsp) actions.push({ kind: 'releaseFunding', channelId: state.channelId });
  const next: JitChannelState = {
    kind: 'done',
    channelId: state.channelId,
    feeMsat: state.feeMsat,
    collectedFeeMsat: collected,
    fundingReleased: ctx.terms.clientTrustsLsp,
    ...l,
  };
  return result(state, next, actions);
}

/**
 * A forwarded part over the JIT channel failed back (LDK HTLCHandlingFailed to our channel). When every
 * part of the paying set failed and no fee was collected, the client refused the payment (e.g. a
 * prepayment probe): the channel stays, and the next complete payment pays the fee (LDK PendingPayment).
 */
export function htlcHandlingFailed(ctx: JitContext, state: JitChannelState, env: JitEnv): Transition {
  if (state.kind !== 'awaitingForward') return unchanged(state);
  const failedForwards = state.failedForwards + 1;
  const payingParts = state.forwarded.filter((f) => f.paymentHash === state.payingHash).length;
  if (failedForwards < payingParts || state.collectedFeeMsat > 0n) {
    return result(state, { ...state, failedForwards }, []);
  }
  const actions: JitAction[] = [];
  const open: JitChannelState = {
    kind: 'channelOpen',
    channelId: state.channelId,
    feeMsat: isMpp(ctx) ? state.feeMsat : null,
    held: state.held,
    forwarded: state.forwarded,
    failed: state.failed,
  };
  return result(state, proceedIfComplete(ctx, open, env, actions), actions);
}

/**
 * The JIT channel closed (cooperatively or not), `reason` being what the closure tells of its cause. While
 * opening, that is the open failing (bLIP-52 §5, see `channelOpenFailed`); afterwards held parts cannot be
 * delivered any more.
 */
export function channelClosed(state: JitChannelState, reason: ChannelOpenFailure): Transition {
  if (state.kind === 'openingChannel') return channelOpenFailed(state, reason);
  if (state.kind === 'awaitingPayment' || state.kind === 'closed') return unchanged(state);
  const actions: JitAction[] = [];
  const l = failHeld(state, new Set(state.held.map((h) => h.interceptId)), 'unknown_next_peer', actions);
  const collected = state.kind === 'done' || state.kind === 'awaitingForward' ? state.collectedFeeMsat : 0n;
  const paid = state.kind === 'done';
  return result(
    state,
    {
      kind: 'closed',
      outcome: paid ? 'paid' : 'expired',
      channelId: state.channelId,
      collectedFeeMsat: collected,
      ...l,
    },
    actions,
  );
}

/**
 * Whether `sweep` can change anything at `now`: it acts only on held HTLCs (CLTV margin, collect timer) and on
 * valid_until, so an open session holding none before its valid_until cannot change (the timer skips it).
 */
export function sweepDue(ctx: JitContext, state: JitChannelState, now: Date): boolean {
  return state.kind !== 'closed' && (state.held.length > 0 || expired(ctx, now));
}

/**
 * Timers (run on a schedule and on every block): the CLTV safety margin in every state, the MPP collect
 * timer, and valid_until. Idempotent: running it twice at the same time does nothing more.
 */
export function sweep(ctx: JitContext, state: JitChannelState, env: JitEnv): Transition {
  if (!sweepDue(ctx, state, env.now)) return unchanged(state);
  const actions: JitAction[] = [];
  const { policy } = ctx;
  let cur: JitChannelState = state;

  // 1. CLTV safety margin, whatever the state: never let LDK fail (or a channel force-close on) a held HTLC.
  if (env.blockHeight !== null) {
    const h = env.blockHeight;
    const late = new Set(
      cur.held
        .filter((x) => x.cltvExpiry !== null && x.cltvExpiry - h <= policy.cltvSafetyMarginBlocks)
        .map((x) => x.interceptId),
    );
    cur = withLedger(cur, failHeld(cur, late, 'temporary_channel_failure', actions));
  }

  const payingHash = cur.kind === 'openingChannel' || cur.kind === 'awaitingForward' ? cur.payingHash : null;

  // 2. valid_until passed: bLIP-52 MUST #20/#22: pending parts fail with unknown_next_peer.
  if (expired(ctx, env.now)) {
    const stale = new Set(cur.held.filter((h) => h.paymentHash !== payingHash).map((h) => h.interceptId));
    cur = withLedger(cur, failHeld(cur, stale, 'unknown_next_peer', actions));
    if (cur.kind === 'awaitingPayment' || cur.kind === 'channelOpen') {
      const channelId = cur.kind === 'channelOpen' ? cur.channelId : null;
      cur = {
        kind: 'closed',
        outcome: 'expired',
        channelId,
        collectedFeeMsat: 0n,
        held: cur.held,
        forwarded: cur.forwarded,
        failed: cur.failed,
      };
    } else if (cur.kind === 'done') {
      // The SCID stops being an alias for the client (bLIP-52 §6): the session is over.
      cur = {
        kind: 'closed',
        outcome: 'paid',
        channelId: cur.channelId,
        collectedFeeMsat: cur.collectedFeeMsat,
        held: cur.held,
        forwarded: cur.forwarded,
        failed: cur.failed,
      };
    }
    return result(state, cur, actions);
  }

  // 3. Collect timer: a payment set held longer than the timeout (incomplete, or complete but waiting for
  //    the client to connect) fails with temporary_channel_failure (bLIP-52 MUST #19; never mpp_timeout,
  //    MUST #21). The set being opened or forwarded is exempt.
  const deadline = env.now.getTime() - policy.mppCollectTimeoutMs;
  const timedOut = new Set<string>();
  for (const [hash, parts] of groups(cur.held)) {
    if (hash === payingHash) continue;
    const first = Math.min(...parts.map((p) => p.receivedAt.getTime()));
    if (first <= deadline) for (const p of parts) timedOut.add(p.interceptId);
  }
  cur = withLedger(cur, failHeld(cur, timedOut, 'temporary_channel_failure', actions));
  return result(state, cur, actions);
}

/**
 * After a restart: re-issue what may have been lost between storing a state and acting on it (rust-lightning
 * #4102). The runner makes these idempotent (an open is skipped if the node has a channel with this user channel
 * id; releasing funding twice is a no-op). Forwards and failures are re-issued by replayed intercepts.
 */
export function restarted(ctx: JitContext, state: JitChannelState, env: JitEnv): Transition {
  const actions: JitAction[] = [];
  if (state.kind === 'openingChannel' && state.channelId === null) {
    actions.push({
      kind: 'openChannel',
      clientNodeId: ctx.terms.clientNodeId,
      capacitySat: state.capacitySat,
      userChannelId: ctx.terms.userChannelId,
      zeroConf: true,
      announce: false,
      maxClientToSelfDelay: ctx.terms.feeParams.maxClientToSelfDelay,
      withholdFunding: ctx.terms.clientTrustsLsp,
      paymentHash: state.payingHash,
    });
  }
  if (env.clientConnected) reforwardPayingSet(state, actions);
  if (state.kind === 'done' && state.fundingReleased && ctx.terms.clientTrustsLsp) {
    actions.push({ kind: 'releaseFunding', channelId: state.channelId });
  }
  return unchanged(state, actions);
}

/**
 * No HTLC may stay stuck: the paying set is persisted as forwarded before the node forwards it, so a process
 * that died in between leaves the node holding those intercepts, and the node does not hand them again to a
 * listener subscribing after its start. Re-issue the same forwards once the client is connected (a forward to
 * a disconnected client would fail the HTLC back); idempotent: the node refuses an intercept it already
 * forwarded, and the runner ignores that refusal.
 */
function reforwardPayingSet(state: JitChannelState, actions: JitAction[]): void {
  if (state.kind !== 'awaitingForward') return;
  for (const f of state.forwarded) {
    if (f.paymentHash !== state.payingHash) continue;
    actions.push({
      kind: 'forwardHtlc',
      interceptId: f.interceptId,
      channelId: state.channelId,
      amountMsat: f.forwardMsat,
      skimMsat: f.skimMsat,
    });
  }
}

/** Everything that can happen to a session, as data: `step` runs the transition named after it. */
export type JitInput =
  | { kind: 'htlcIntercepted'; htlc: InterceptedHtlc }
  | { kind: 'channelPending'; channelId: string }
  | { kind: 'channelReady'; channelId: string }
  | { kind: 'channelClosed'; reason: ChannelOpenFailure }
  | { kind: 'channelOpenFailed'; reason: ChannelOpenFailure }
  | { kind: 'paymentForwarded'; skimmedFeeMsat: bigint }
  | { kind: 'htlcHandlingFailed' }
  | { kind: 'clientConnected' }
  | { kind: 'clientDisconnected' }
  | { kind: 'sweep' }
  | { kind: 'restarted' };

/** One input on one session. */
export function step(ctx: JitContext, state: JitChannelState, input: JitInput, env: JitEnv): Transition {
  switch (input.kind) {
    case 'htlcIntercepted':
      return htlcIntercepted(ctx, state, input.htlc, env);
    case 'channelPending':
      return channelPending(state, input.channelId);
    case 'channelReady':
      return channelReady(ctx, state, input.channelId, env);
    case 'channelClosed':
      return channelClosed(state, input.reason);
    case 'channelOpenFailed':
      return channelOpenFailed(state, input.reason);
    case 'paymentForwarded':
      return paymentForwarded(ctx, state, input.skimmedFeeMsat, env);
    case 'htlcHandlingFailed':
      return htlcHandlingFailed(ctx, state, env);
    case 'clientConnected':
      return clientConnected(ctx, state, env);
    case 'clientDisconnected':
      return clientDisconnected(state);
    case 'sweep':
      return sweep(ctx, state, env);
    case 'restarted':
      return restarted(ctx, state, env);
  }
}

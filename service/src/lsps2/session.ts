/**
 * One LSPS2 JIT session (bLIP-52): what was sold by `lsps2.buy` (the terms, immutable) and where the
 * HTLC-interception state machine is (the state, see `jit-channel.ts`). Plain data: the store persists it
 * through `session-codec.ts`.
 *
 * Identifiers follow `engine/src/node/types.ts`: node ids, payment hashes, channel ids and intercept ids
 * are lower-case hex; amounts, SCIDs and user channel ids are `bigint`.
 */

/** The `opening_fee_params` the client bought with (bLIP-52 §1), decoded. Amounts in msat. */
export interface SessionFeeParams {
  minFeeMsat: bigint;
  /** Parts per million (LSPS0.ppm). */
  proportional: number;
  validUntil: Date;
  /** Blocks. */
  minLifetime: number;
  /** Blocks. */
  maxClientToSelfDelay: number;
  minPaymentSizeMsat: bigint;
  maxPaymentSizeMsat: bigint;
  promise: string;
}

/** What `lsps2.buy` sold. Never changes after the session is created. */
export interface SessionTerms {
  /** The intercept SCID handed out as `jit_channel_scid`: the session's primary key. */
  jitChannelScid: bigint;
  /** The buyer (lower-case hex, 33 bytes). The promise was bound to it. */
  clientNodeId: string;
  /** Present: "MPP+fixed-invoice" mode. Absent (null): "no-MPP+var-invoice" mode (bLIP-52 §2). */
  paymentSizeMsat: bigint | null;
  /** MPP mode: the opening fee computed at buy time. no-MPP mode: null (computed from the first HTLC). */
  openingFeeMsat: bigint | null;
  feeParams: SessionFeeParams;
  lspCltvExpiryDelta: number;
  clientTrustsLsp: boolean;
  /** u128 echoed by the node in channel events, to map the JIT channel back to this session. */
  userChannelId: bigint;
  createdAt: Date;
}

/** An intercepted HTLC the LSP holds (not yet forwarded nor failed). */
export interface HeldHtlc {
  interceptId: string;
  paymentHash: string;
  /** The amount the onion asks us to forward (LDK `expected_outbound_amount_msat`). */
  amountMsat: bigint;
  /** Absolute CLTV expiry of the incoming HTLC, when the node reports it; enables the CLTV safety sweep. */
  cltvExpiry: number | null;
  receivedAt: Date;
}

/** A forwarded HTLC, remembered so that a replayed intercept re-issues the same forward (idempotence). */
export interface ForwardedHtlc {
  interceptId: string;
  paymentHash: string;
  amountMsat: bigint;
  forwardMsat: bigint;
  skimMsat: bigint;
}

export type HtlcFailureReason = 'unknown_next_peer' | 'temporary_channel_failure';

/** A failed HTLC, remembered so that a replayed intercept re-issues the same failure. */
export interface FailedHtlc {
  interceptId: string;
  reason: HtlcFailureReason;
}

/** Bookkeeping every state carries. */
export interface HtlcLedger {
  held: HeldHtlc[];
  /** Bounded by MAX_REMEMBERED_INTERCEPTS (oldest dropped). */
  forwarded: ForwardedHtlc[];
  /** Bounded by MAX_REMEMBERED_INTERCEPTS (oldest dropped). */
  failed: FailedHtlc[];
}

/**
 * The per-session state (bLIP-52 §4-§6). Modelled on lightning-liquidity's OutboundJITChannelState
 * (PendingInitialPayment / PendingChannelOpen / PendingPaymentForward / PendingPayment / PaymentForwarded)
 * plus the terminal `expired` state it lacks.
 */
export type JitChannelState =
  /** No channel yet: collecting parts (MPP) or waiting for the single HTLC (no-MPP). */
  | ({ kind: 'awaitingPayment' } & HtlcLedger)
  /** A payment set is complete; the channel open was requested. `payingHash` funds it. */
  | ({
      kind: 'openingChannel';
      payingHash: string;
      feeMsat: bigint;
      capacitySat: bigint;
      /** Set by `channelPending` (the LSP got funding_signed): a disconnect no longer aborts the open. */
      fundingSigned: boolean;
      channelId: string | null;
    } & HtlcLedger)
  /** Channel ready, the paying set was forwarded with the fee skimmed; waiting for the client to claim. */
  | ({
      kind: 'awaitingForward';
      channelId: string;
      payingHash: string;
      feeMsat: bigint;
      collectedFeeMsat: bigint;
      /** Forwarded parts of the paying set the client failed back (`htlcHandlingFailed`). */
      failedForwards: number;
    } & HtlcLedger)
  /** Channel ready but the paying set was failed by the client: the next payment pays the fee. */
  | ({ kind: 'channelOpen'; channelId: string; feeMsat: bigint | null } & HtlcLedger)
  /** The fee was collected: later HTLCs are forwarded without a fee until valid_until. */
  | ({
      kind: 'done';
      channelId: string;
      feeMsat: bigint;
      collectedFeeMsat: bigint;
      fundingReleased: boolean;
    } & HtlcLedger)
  /**
   * Terminal: `paid` (fee collected, valid_until passed so the SCID is no longer an alias), `expired`
   * (valid_until passed before the fee was collected) or `abandoned` (the operator gave up on the session).
   */
  | ({
      kind: 'closed';
      outcome: 'paid' | 'expired' | 'abandoned';
      channelId: string | null;
      collectedFeeMsat: bigint;
    } & HtlcLedger);

export type JitChannelStateKind = JitChannelState['kind'];

/** A session as stored: terms, state and an optimistic-concurrency version. */
export interface JitSession {
  terms: SessionTerms;
  state: JitChannelState;
  /** Starts at 0 on create; each successful `SessionStore.update` increments it. */
  version: number;
  updatedAt: Date;
}

/** The state after which nothing can happen any more; the store may prune such sessions. */
export function isTerminal(state: JitChannelState): boolean {
  return state.kind === 'closed';
}

/**
 * A session is live while it is not closed and valid_until has not passed: until then its SCID is an alias
 * for its client, for payments and onion messages alike (bLIP-52 §6), and it counts against the per-peer limit.
 */
export function isSessionLive(s: JitSession, now: Date): boolean {
  return s.state.kind !== 'closed' && s.terms.feeParams.validUntil.getTime() > now.getTime();
}

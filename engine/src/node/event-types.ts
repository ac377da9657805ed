/**
 * The engine's event stream: the plain-data events a node emits, copied out of LDK's
 * `Event`s (`lightningdevkit` 0.1.0), and the listener type that receives them.
 */
import type { CustomOnionMessageIn, TakenOffersMessage } from './onion-hooks.js';
import type { HeldFunding, Hex32, InboundChannelDecision, NodeIdHex, OpenChannelRequest } from './types.js';

export type PaymentPurposeKind = 'bolt12-offer' | 'bolt12-refund' | 'bolt11' | 'spontaneous';

/**
 * Why a receiver fails a claimable payment back (BOLT 4 failure messages). `incorrect_or_unknown_payment_details`
 * (PERM|15) is the final node's answer to a payment it does not know or whose amount is wrong; bLIP-25 says a
 * receiver MUST fail an HTLC whose extra fee (skim) it did not expect or finds too high, and this code says so
 * without telling the payer more. `temporary_node_failure` (NODE|2) lets the payer retry later.
 */
export type ClaimableFailureCode = 'incorrect_or_unknown_payment_details' | 'temporary_node_failure';

/** Where a failed HTLC was going (LDK `HTLCDestination`). */
export type FailedHtlcDestination =
  | { kind: 'next-hop-channel'; nodeId?: NodeIdHex; channelId: Hex32 }
  | { kind: 'unknown-next-hop'; requestedForwardScid: bigint }
  | { kind: 'invalid-forward'; requestedForwardScid: bigint }
  | { kind: 'invalid-onion' }
  | { kind: 'failed-payment'; paymentHash: Hex32 };

/** The engine's event stream (typed, plain data). */
export type NodeEvent =
  | {
      type: 'htlcIntercepted';
      interceptId: Hex32;
      requestedNextHopScid: bigint;
      paymentHash: Hex32;
      inboundAmountMsat: bigint;
      expectedOutboundAmountMsat: bigint;
      /**
       * Block height at which the inbound HTLC expires, or null if the node cannot tell. LDK 0.1's event has no
       * such field: the engine reads it from the inbound channel's pending HTLCs (payment hash and inbound
       * amount; with several equal parts, the earliest expiry).
       */
      cltvExpiry: number | null;
    }
  | {
      type: 'channelPending';
      channelId: Hex32;
      userChannelId: bigint;
      counterpartyNodeId: NodeIdHex;
      fundingTxid: Hex32;
    }
  | { type: 'channelReady'; channelId: Hex32; userChannelId: bigint; counterpartyNodeId: NodeIdHex }
  | {
      type: 'channelClosed';
      channelId: Hex32;
      userChannelId: bigint;
      counterpartyNodeId?: NodeIdHex;
      reason: string;
      capacitySat?: bigint;
    }
  | ({ type: 'openChannelRequest'; decision: InboundChannelDecision } & OpenChannelRequest)
  | {
      type: 'paymentClaimable';
      paymentHash: Hex32;
      amountMsat: bigint;
      counterpartySkimmedFeeMsat: bigint;
      purpose: PaymentPurposeKind;
      /** Present for BOLT 12 / spontaneous payments where LDK knows it; claim with it. */
      preimage?: Hex32;
      viaChannelId?: Hex32;
    }
  | { type: 'paymentClaimed'; paymentHash: Hex32; amountMsat: bigint; purpose: PaymentPurposeKind }
  | { type: 'paymentSent'; paymentId?: Hex32; paymentHash: Hex32; preimage: Hex32; feePaidMsat?: bigint }
  | { type: 'paymentFailed'; paymentId: Hex32; paymentHash?: Hex32; reason?: string }
  | {
      type: 'paymentForwarded';
      prevChannelId?: Hex32;
      nextChannelId?: Hex32;
      prevUserChannelId?: bigint;
      nextUserChannelId?: bigint;
      totalFeeEarnedMsat?: bigint;
      skimmedFeeMsat?: bigint;
      outboundAmountForwardedMsat?: bigint;
      claimFromOnchainTx: boolean;
    }
  | { type: 'htlcHandlingFailed'; prevChannelId: Hex32; failedNextDestination: FailedHtlcDestination }
  | { type: 'onionMessageIntercepted'; peerNodeId: NodeIdHex; message: Uint8Array }
  | { type: 'onionMessagePeerConnected'; peerNodeId: NodeIdHex }
  | ({ type: 'offersMessage' } & TakenOffersMessage)
  | ({ type: 'customOnionMessage' } & CustomOnionMessageIn)
  | { type: 'peerConnected'; peerNodeId: NodeIdHex; inbound: boolean }
  | { type: 'peerDisconnected'; peerNodeId: NodeIdHex }
  | { type: 'customMessageReceived'; peerNodeId: NodeIdHex; messageType: number; payload: Uint8Array }
  | ({ type: 'fundingHeld' } & Omit<HeldFunding, 'tx'>);

export type NodeEventType = NodeEvent['type'];
export type NodeEventOf<T extends NodeEventType> = Extract<NodeEvent, { type: T }>;

/**
 * An event listener. For a type in `NodeOptions.durableEvents` it may return a promise: LDK is told the event
 * was handled only once every listener's promise has resolved (a rejected one has the event delivered again
 * a second later), so an event whose handling did not finish is delivered again after a restart. Listeners
 * of durable events must therefore be idempotent.
 */
export type EventListener = (ev: NodeEvent) => unknown;

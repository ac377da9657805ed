/**
 * Which sessions a node event concerns, and what it means to each (a `JitInput`), decided from what the
 * session index knows: no I/O, no node. The runner queues each input on its session; the machine decides.
 *
 * - An HTLC to an intercept SCID goes to that session; to a SCID no open session has, it goes to the stored
 *   session if any (a closed session's machine refuses it, and remembers the refusal), else it is failed
 *   with unknown_next_peer (bLIP-52 §6: the SCID is no alias once the session is over; nothing stays stuck).
 * - A forward result goes to the session waiting for it (see `forwardOwner`).
 * - A peer (dis)connecting concerns each of its sessions with something in flight (bLIP-52 §4 MUST: the LSP
 *   proceeds only while the client is connected; §5: a disconnect before funding_signed aborts the open).
 * - A channel closing carries its cause, read from LDK's ClosureReason (`openFailureFromClosure`).
 */
import type { NodeEvent, NodeEventType } from '@jitlsp/engine/node';
import type { JitSession } from '../../lsps2/session.js';
import type { ChannelOpenFailure, JitAction, JitInput } from './machine.js';
import type { MailboxInput } from './mailbox.js';

/** What routing reads of the open sessions (the session index implements it). */
export interface SessionLookup {
  isOpen(scid: bigint): boolean;
  scidByUserChannelId(userChannelId: bigint): bigint | undefined;
  scidByChannelId(channelId: string): bigint | undefined;
  /** Open session `scid` if it has something in flight (held HTLCs, a channel). */
  active(scid: bigint): JitSession | undefined;
  activeOf(peer: string): Iterable<JitSession>;
  /** Whether `peer` has a live session (its onion messages are held while it is offline). */
  isRegistered(peer: string): boolean;
}

export interface RouteView {
  sessions: SessionLookup;
  /** The node's channels: the peer at the other end of channel `channelId`. */
  counterpartyOf(channelId: string): string | undefined;
}

type FailHtlc = Extract<JitAction, { kind: 'failHtlc' }>;

/** One input for one session. */
export interface Delivery {
  scid: bigint;
  input: JitInput;
  /**
   * Set when no open session has this SCID: the runner reads the store (a closed session still answers), and
   * runs these actions if the store has no session either.
   */
  ifUnknown?: FailHtlc[];
}

export interface Routing {
  sessions: Delivery[];
  mailbox?: MailboxInput;
  /** The node withholds this funding transaction until the session releases it (client_trusts_lsp). */
  fundingHeld?: { userChannelId: bigint; txid: string };
}

/**
 * The node events whose handling the runner stores: the daemon's node keeps each until the session job it
 * started has stored the new state (NodeOptions.durableEvents), so a kill -9 in between loses none of them.
 */
export const JIT_DURABLE_EVENTS: readonly NodeEventType[] = [
  'htlcIntercepted',
  'channelPending',
  'channelReady',
  'channelClosed',
  'paymentForwarded',
  'htlcHandlingFailed',
];

/**
 * Events routed only once every session job queued before them ran: their session is found from the
 * sessions' states (which session waits for a forward), which those jobs may still change.
 */
export const ROUTED_AFTER_QUEUED: ReadonlySet<NodeEventType> = new Set(['paymentForwarded', 'htlcHandlingFailed']);

const NOTHING: Routing = { sessions: [] };

/** Maps LDK's ClosureReason text to the bLIP-52 §5 open-failure cases. */
export function openFailureFromClosure(reason: string): ChannelOpenFailure {
  if (/disconnect/i.test(reason)) return 'client_disconnected';
  if (/counterparty|peer (requested|closed)/i.test(reason)) return 'client_rejected';
  return 'lsp_error';
}

export function route(ev: NodeEvent, view: RouteView): Routing {
  const { sessions } = view;
  const to = (scid: bigint | undefined, input: JitInput): Routing =>
    scid === undefined ? NOTHING : { sessions: [{ scid, input }] };
  switch (ev.type) {
    case 'htlcIntercepted': {
      const scid = ev.requestedNextHopScid;
      const input: JitInput = {
        kind: 'htlcIntercepted',
        htlc: {
          interceptId: ev.interceptId,
          paymentHash: ev.paymentHash,
          amountMsat: ev.expectedOutboundAmountMsat,
          cltvExpiry: ev.cltvExpiry,
        },
      };
      if (sessions.isOpen(scid)) return to(scid, input);
      const refuse: FailHtlc = { kind: 'failHtlc', interceptId: ev.interceptId, reason: 'unknown_next_peer' };
      return { sessions: [{ scid, input, ifUnknown: [refuse] }] };
    }
    case 'channelPending':
      return to(sessions.scidByUserChannelId(ev.userChannelId), { kind: 'channelPending', channelId: ev.channelId });
    case 'channelReady':
      return to(sessions.scidByUserChannelId(ev.userChannelId), { kind: 'channelReady', channelId: ev.channelId });
    case 'channelClosed': {
      const scid = sessions.scidByUserChannelId(ev.userChannelId) ?? sessions.scidByChannelId(ev.channelId);
      return to(scid, { kind: 'channelClosed', reason: openFailureFromClosure(ev.reason) });
    }
    case 'paymentForwarded': {
      const skimMsat = ev.skimmedFeeMsat ?? 0n;
      const scid = forwardOwner(
        view,
        ev.nextChannelId,
        ev.nextUserChannelId,
        (f) => f.forwardMsat === ev.outboundAmountForwardedMsat && f.skimMsat === skimMsat,
      );
      return to(scid, { kind: 'paymentForwarded', skimmedFeeMsat: skimMsat });
    }
    case 'htlcHandlingFailed': {
      const d = ev.failedNextDestination;
      if (d.kind !== 'next-hop-channel') return NOTHING;
      return to(
        forwardOwner(view, d.channelId, undefined, () => true),
        { kind: 'htlcHandlingFailed' },
      );
    }
    case 'peerConnected':
    case 'peerDisconnected': {
      const input: JitInput = { kind: ev.type === 'peerConnected' ? 'clientConnected' : 'clientDisconnected' };
      return { sessions: [...sessions.activeOf(ev.peerNodeId)].map((s) => ({ scid: s.terms.jitChannelScid, input })) };
    }
    case 'fundingHeld':
      return { sessions: [], fundingHeld: { userChannelId: ev.userChannelId, txid: ev.txid } };
    case 'onionMessageIntercepted': {
      const { peerNodeId, message } = ev;
      const registered = sessions.isRegistered(peerNodeId);
      return { sessions: [], mailbox: { kind: 'messageIntercepted', peerNodeId, message, registered } };
    }
    case 'onionMessagePeerConnected':
      return { sessions: [], mailbox: { kind: 'peerConnected', peerNodeId: ev.peerNodeId } };
    default:
      return NOTHING;
  }
}

type Forwarded = JitSession['state']['forwarded'][number];

/**
 * The session a forward result belongs to. LDK forwards an intercepted HTLC over ANY channel to the client
 * (non-strict forwarding, BOLT 4), so with several JIT channels to one client the event's channel may be
 * another session's: prefer the client's session waiting for a forward with a matching part of its paying
 * set, then its only session waiting for a forward, then the channel's own session.
 */
function forwardOwner(
  view: RouteView,
  channelId: string | undefined,
  userChannelId: bigint | undefined,
  matches: (f: Forwarded) => boolean,
): bigint | undefined {
  const { sessions } = view;
  const direct =
    (userChannelId !== undefined ? sessions.scidByUserChannelId(userChannelId) : undefined) ??
    (channelId !== undefined ? sessions.scidByChannelId(channelId) : undefined);
  const own = direct !== undefined ? sessions.active(direct) : undefined;
  if (own?.state.kind === 'awaitingForward') return direct;
  const client = own?.terms.clientNodeId ?? (channelId !== undefined ? view.counterpartyOf(channelId) : undefined);
  if (client === undefined) return direct;
  const waiting = [...sessions.activeOf(client)].flatMap((s) =>
    s.state.kind === 'awaitingForward' ? [{ scid: s.terms.jitChannelScid, state: s.state }] : [],
  );
  const exact = waiting.find(({ state }) =>
    state.forwarded.some((f) => f.paymentHash === state.payingHash && matches(f)),
  );
  return exact?.scid ?? (waiting.length === 1 ? waiting[0]!.scid : direct);
}

/**
 * Onion messages held for offline JIT clients (bLIP-52 §6: the `jit_channel_scid` is an alias for the
 * client "not just for forwarded payments, but also for onion messages"). Pure: each transition takes the
 * mailbox and an event and returns `{ state, actions }`: the new mailbox plus actions (`put` / `delete` on
 * the MailboxStore, `deliver` to the node, `dropped` for metrics). The runner stores before it delivers.
 *
 * Bounds (LDK documents that it does not rate-limit `OnionMessageIntercepted`; ldk-node keeps 30 per peer
 * and 300 peers in memory only): per peer and in total, with a TTL; de-duplicated by SHA-256 of (peer,
 * message), because LDK 0.1 sends each invoice_request twice per `pay_for_offer`, so an offline client would
 * otherwise get every request twice; delivered in arrival order.
 */
import { sha256, toHex } from '@jitlsp/shared/crypto';
import type { HeldOnionMessage } from '../../lsps2/store.js';

/** Messages held for one peer; over it the peer's oldest message is dropped. */
export const MAX_HELD_PER_PEER = 64;
/** Messages held over all peers; over it the oldest message of the peer holding most is dropped. */
export const MAX_HELD_TOTAL = 10_000;
/** How long a message is held (an invoice_request is useless after its payer gave up). */
export const DEFAULT_HELD_TTL_MS = 600_000;
/** BOLT 4: an onion message packet is at most 32834 bytes; with framing we accept up to 65531. */
export const MAX_ONION_MESSAGE_BYTES = 65_531;

export interface MailboxLimits {
  maxPerPeer: number;
  maxTotal: number;
  ttlMs: number;
  maxMessageBytes: number;
}

export const DEFAULT_MAILBOX_LIMITS: MailboxLimits = {
  maxPerPeer: MAX_HELD_PER_PEER,
  maxTotal: MAX_HELD_TOTAL,
  ttlMs: DEFAULT_HELD_TTL_MS,
  maxMessageBytes: MAX_ONION_MESSAGE_BYTES,
};

export type DropReason = 'unregistered' | 'duplicate' | 'too_large' | 'peer_full' | 'total_full' | 'expired';

export type MailboxAction =
  | { kind: 'put'; message: HeldOnionMessage }
  | { kind: 'delete'; ids: string[] }
  | { kind: 'deliver'; message: HeldOnionMessage }
  | { kind: 'dropped'; reason: DropReason; count: number };

/** Immutable: functions return a new Mailbox. Queues are in delivery (seq) order. */
export interface Mailbox {
  readonly queues: ReadonlyMap<string, readonly HeldOnionMessage[]>;
  readonly total: number;
  /** Next sequence number (global, so it also orders peers' messages by arrival). */
  readonly nextSeq: number;
}

export interface MailboxStep {
  state: Mailbox;
  actions: MailboxAction[];
}

export function emptyMailbox(): Mailbox {
  return { queues: new Map(), total: 0, nextSeq: 1 };
}

/** The de-duplication key of a message for a peer. */
export function heldMessageId(peerNodeId: string, message: Uint8Array): string {
  const peer = new TextEncoder().encode(peerNodeId);
  const buf = new Uint8Array(peer.length + 1 + message.length);
  buf.set(peer, 0);
  buf[peer.length] = 0x2f; // '/': the hex node id never contains it
  buf.set(message, peer.length + 1);
  return toHex(sha256(buf));
}

function withQueue(
  m: Mailbox,
  peer: string,
  q: readonly HeldOnionMessage[],
  total: number,
  nextSeq = m.nextSeq,
): Mailbox {
  const queues = new Map(m.queues);
  if (q.length === 0) queues.delete(peer);
  else queues.set(peer, q);
  return { queues, total, nextSeq };
}

/**
 * The node intercepted an onion message for an offline peer (LDK OnionMessageIntercepted). `registered`:
 * whether the peer has an unexpired JIT session (the session index answers it).
 */
export function messageIntercepted(
  m: Mailbox,
  ev: { peerNodeId: string; message: Uint8Array; registered: boolean; now: Date },
  limits: MailboxLimits = DEFAULT_MAILBOX_LIMITS,
): MailboxStep {
  const drop = (reason: DropReason): MailboxStep => ({ state: m, actions: [{ kind: 'dropped', reason, count: 1 }] });
  if (!ev.registered) return drop('unregistered');
  if (ev.message.length > limits.maxMessageBytes) return drop('too_large');
  const id = heldMessageId(ev.peerNodeId, ev.message);
  const queue = m.queues.get(ev.peerNodeId) ?? [];
  if (queue.some((x) => x.id === id)) return drop('duplicate');

  const held: HeldOnionMessage = {
    id,
    peerNodeId: ev.peerNodeId,
    seq: m.nextSeq,
    message: ev.message.slice(),
    receivedAt: ev.now,
    expiresAt: new Date(ev.now.getTime() + limits.ttlMs),
  };
  const actions: MailboxAction[] = [];
  let cur = m;
  let q = [...queue];
  if (q.length >= limits.maxPerPeer) {
    const evicted = q.splice(0, q.length - limits.maxPerPeer + 1);
    actions.push(
      { kind: 'delete', ids: evicted.map((x) => x.id) },
      { kind: 'dropped', reason: 'peer_full', count: evicted.length },
    );
    cur = withQueue(cur, ev.peerNodeId, q, cur.total - evicted.length);
  }
  while (cur.total >= limits.maxTotal) {
    // Evict from the peer holding the most (ties: the oldest head), ldk-node's policy, so one busy peer
    // cannot push everybody else's messages out.
    let victim: string | undefined;
    let victimLen = -1;
    let victimSeq = Infinity;
    for (const [p, xs] of cur.queues) {
      const len = p === ev.peerNodeId ? q.length : xs.length;
      const head = (p === ev.peerNodeId ? q[0] : xs[0])?.seq ?? Infinity;
      if (len > victimLen || (len === victimLen && head < victimSeq)) {
        victim = p;
        victimLen = len;
        victimSeq = head;
      }
    }
    if (victim === undefined || victimLen <= 0) break;
    const vq = victim === ev.peerNodeId ? q : [...(cur.queues.get(victim) ?? [])];
    const [gone] = vq.splice(0, 1);
    if (victim === ev.peerNodeId) q = vq;
    actions.push({ kind: 'delete', ids: [gone!.id] }, { kind: 'dropped', reason: 'total_full', count: 1 });
    cur = withQueue(cur, victim, vq, cur.total - 1);
  }
  q.push(held);
  actions.push({ kind: 'put', message: held });
  return { state: withQueue(cur, ev.peerNodeId, q, cur.total + 1, m.nextSeq + 1), actions };
}

/** The peer connected (LDK OnionMessagePeerConnected): deliver its unexpired messages in order. */
export function peerConnected(m: Mailbox, peerNodeId: string, now: Date): MailboxStep {
  const q = m.queues.get(peerNodeId);
  if (!q || q.length === 0) return { state: m, actions: [] };
  const live = q.filter((x) => x.expiresAt.getTime() > now.getTime());
  const actions: MailboxAction[] = [{ kind: 'delete', ids: q.map((x) => x.id) }];
  if (live.length < q.length) actions.push({ kind: 'dropped', reason: 'expired', count: q.length - live.length });
  for (const message of live) actions.push({ kind: 'deliver', message });
  return { state: withQueue(m, peerNodeId, [], m.total - q.length), actions };
}

/** Drops every expired message (run on a timer). */
export function expire(m: Mailbox, now: Date): MailboxStep {
  const ids: string[] = [];
  let cur = m;
  for (const [peer, q] of m.queues) {
    const live = q.filter((x) => x.expiresAt.getTime() > now.getTime());
    if (live.length === q.length) continue;
    for (const x of q) if (x.expiresAt.getTime() <= now.getTime()) ids.push(x.id);
    cur = withQueue(cur, peer, live, cur.total - (q.length - live.length));
  }
  if (ids.length === 0) return { state: m, actions: [] };
  return {
    state: cur,
    actions: [
      { kind: 'delete', ids },
      { kind: 'dropped', reason: 'expired', count: ids.length },
    ],
  };
}

/** The peer has no unexpired JIT session any more: its held messages go. */
export function peerDeregistered(m: Mailbox, peerNodeId: string): MailboxStep {
  const q = m.queues.get(peerNodeId);
  if (!q || q.length === 0) return { state: m, actions: [] };
  return {
    state: withQueue(m, peerNodeId, [], m.total - q.length),
    actions: [
      { kind: 'delete', ids: q.map((x) => x.id) },
      { kind: 'dropped', reason: 'unregistered', count: q.length },
    ],
  };
}

/**
 * Rebuilds the mailbox from the store after a restart (nothing lost), re-applying the bounds and the TTL
 * in case the limits were lowered meanwhile: messages over them are deleted.
 */
export function restore(
  stored: readonly HeldOnionMessage[],
  now: Date,
  limits: MailboxLimits = DEFAULT_MAILBOX_LIMITS,
): MailboxStep {
  const sorted = [...stored].sort((a, b) => a.seq - b.seq);
  let m = emptyMailbox();
  const actions: MailboxAction[] = [];
  let maxSeq = 0;
  const expired: string[] = [];
  for (const x of sorted) {
    maxSeq = Math.max(maxSeq, x.seq);
    if (x.expiresAt.getTime() <= now.getTime()) {
      expired.push(x.id);
      continue;
    }
    const step = messageIntercepted(
      m,
      { peerNodeId: x.peerNodeId, message: x.message, registered: true, now: x.receivedAt },
      limits,
    );
    // Keep the stored identity (seq, expiry) rather than the re-derived one.
    const q = [...(step.state.queues.get(x.peerNodeId) ?? [])];
    if (q.length > 0 && q[q.length - 1]!.id === x.id) q[q.length - 1] = x;
    m = withQueue(step.state, x.peerNodeId, q, step.state.total, step.state.nextSeq);
    actions.push(...step.actions.filter((e) => e.kind !== 'put'));
  }
  if (expired.length > 0)
    actions.push({ kind: 'delete', ids: expired }, { kind: 'dropped', reason: 'expired', count: expired.length });
  return { state: { ...m, nextSeq: Math.max(m.nextSeq, maxSeq + 1) }, actions };
}

/** What the node reports about onion messages for offline peers, as data: `mailboxStep` runs its transition. */
export type MailboxInput =
  | { kind: 'messageIntercepted'; peerNodeId: string; message: Uint8Array; registered: boolean }
  | { kind: 'peerConnected'; peerNodeId: string }
  | { kind: 'peerDeregistered'; peerNodeId: string }
  | { kind: 'expire' };

/** One input on the mailbox at `now`. */
export function mailboxStep(m: Mailbox, input: MailboxInput, now: Date, limits: MailboxLimits): MailboxStep {
  switch (input.kind) {
    case 'messageIntercepted':
      return messageIntercepted(m, { ...input, now }, limits);
    case 'peerConnected':
      return peerConnected(m, input.peerNodeId, now);
    case 'peerDeregistered':
      return peerDeregistered(m, input.peerNodeId);
    case 'expire':
      return expire(m, now);
  }
}

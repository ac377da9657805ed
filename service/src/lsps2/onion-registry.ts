/**
 * Which peers get their onion messages held, and which SCIDs resolve to which client as an onion-message
 * next hop (issue 5 §5; bLIP-52 §6 MUST: the `jit_channel_scid` is an alias for the client "up to until
 * the valid_until time", for payments and onion messages alike). Pure functions of the session list.
 */
import type { JitSession } from './session.js';

/** A session keeps its client registered while it is not closed and valid_until has not passed. */
export function isSessionLive(s: JitSession, now: Date): boolean {
  return s.state.kind !== 'closed' && s.terms.feeParams.validUntil.getTime() > now.getTime();
}

/** Clients with at least one live JIT session. */
export function registeredPeers(sessions: Iterable<JitSession>, now: Date): Set<string> {
  const out = new Set<string>();
  for (const s of sessions) if (isSessionLive(s, now)) out.add(s.terms.clientNodeId);
  return out;
}

/** `jit_channel_scid` -> client node id, for the live sessions (the OnionMessenger's node-id lookup). */
export function scidDirectory(sessions: Iterable<JitSession>, now: Date): Map<bigint, string> {
  const out = new Map<bigint, string>();
  for (const s of sessions) if (isSessionLive(s, now)) out.set(s.terms.jitChannelScid, s.terms.clientNodeId);
  return out;
}

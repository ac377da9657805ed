/**
 * Every open JIT session, in memory, under each key an event or a question names it by: its SCID, its user
 * channel id, its channel id, its client; when the idle ones expire; which funding transactions the node
 * withholds. Loaded from the store before the node starts, so the node's hooks (`nodeIdLookup`,
 * `holdFunding`) answer from the first event on; kept current by the runner with every stored state.
 *
 * An open session with nothing in flight (awaiting payment, no HTLC held) is kept small: most sessions are
 * like this (sold, not yet paid) and only an event can change one, so the index keeps what SCID and
 * per-peer questions need and the runner reads the whole session from the store when an event arrives for
 * it. A whole session costs about 1.3 KB of heap, an idle entry about 0.1 KB; at thousands of buys a second
 * that decides whether the garbage collector copies every new session.
 */
import { isSessionLive, type JitSession } from '../../lsps2/session.js';
import type { SessionStore } from '../../lsps2/store.js';
import type { SessionLookup } from '../pure/route.js';
import { ExpiryQueue } from './expiry-queue.js';

interface IdleSession {
  clientNodeId: string;
  validUntilMs: number;
  clientTrustsLsp: boolean;
}

/** Two open sessions claim one key (a user channel id or a channel id): events could not tell them apart. */
export class SessionIndexCollisionError extends Error {
  constructor(key: string, a: bigint, b: bigint) {
    super(`session index: ${key} belongs to both session ${a} and session ${b}`);
    this.name = 'SessionIndexCollisionError';
  }
}

const isIdle = (s: JitSession): boolean => s.state.kind === 'awaitingPayment' && s.state.held.length === 0;

export class SessionIndex implements SessionLookup {
  /** Open sessions with something in flight (held HTLCs, a channel), whole. */
  private readonly whole = new Map<bigint, JitSession>();
  private readonly idle = new Map<bigint, IdleSession>();
  /** When each idle session's `valid_until` passes (the timer visits those only). */
  private readonly idleExpiries = new ExpiryQueue<bigint>();
  /** Each client's open sessions (per-peer questions must not scan every session). */
  private readonly byClient = new Map<string, Set<bigint>>();
  private readonly byUserChannelId = new Map<bigint, bigint>();
  private readonly byChannelId = new Map<string, bigint>();
  /** user channel id -> txid of the funding transaction the node withholds (client_trusts_lsp). */
  private readonly fundingHolds = new Map<bigint, string>();

  constructor(private readonly clock: () => Date = () => new Date()) {}

  /** The open sessions of `store`; rejects two sessions sharing a user channel id or a channel id. */
  static async load(store: Pick<SessionStore, 'listOpen'>, clock?: () => Date): Promise<SessionIndex> {
    const index = new SessionIndex(clock);
    for (const s of await store.listOpen()) index.put(s);
    return index;
  }

  /** Adds or refreshes session `s` (a new sale, or a state just stored); a closed session leaves the index. */
  put(s: JitSession): void {
    const scid = s.terms.jitChannelScid;
    if (s.state.kind === 'closed') return this.remove(s);
    this.claim(this.byUserChannelId, s.terms.userChannelId, scid, 'user channel id');
    const channelId = 'channelId' in s.state ? s.state.channelId : null;
    if (channelId !== null && !isIdle(s)) this.claim(this.byChannelId, channelId, scid, 'channel id');
    let mine = this.byClient.get(s.terms.clientNodeId);
    if (!mine) this.byClient.set(s.terms.clientNodeId, (mine = new Set()));
    mine.add(scid);
    if (!isIdle(s)) {
      this.idle.delete(scid);
      this.whole.set(scid, s);
      return;
    }
    this.whole.delete(scid);
    const validUntilMs = s.terms.feeParams.validUntil.getTime();
    const was = this.idle.get(scid);
    const { clientNodeId, clientTrustsLsp } = s.terms;
    this.idle.set(scid, { clientNodeId, validUntilMs, clientTrustsLsp });
    if (was?.validUntilMs !== validUntilMs) this.idleExpiries.push(scid, validUntilMs);
  }

  private claim<K>(map: Map<K, bigint>, key: K, scid: bigint, name: string): void {
    const owner = map.get(key);
    if (owner !== undefined && owner !== scid && this.isOpen(owner)) {
      throw new SessionIndexCollisionError(`${name} ${String(key)}`, owner, scid);
    }
    map.set(key, scid);
  }

  private remove(s: JitSession): void {
    const scid = s.terms.jitChannelScid;
    this.whole.delete(scid);
    this.idle.delete(scid);
    if (this.byUserChannelId.get(s.terms.userChannelId) === scid) this.byUserChannelId.delete(s.terms.userChannelId);
    const channelId = 'channelId' in s.state ? s.state.channelId : null;
    if (channelId !== null && this.byChannelId.get(channelId) === scid) this.byChannelId.delete(channelId);
    const mine = this.byClient.get(s.terms.clientNodeId);
    mine?.delete(scid);
    if (mine?.size === 0) this.byClient.delete(s.terms.clientNodeId);
  }

  isOpen(scid: bigint): boolean {
    return this.whole.has(scid) || this.idle.has(scid);
  }

  isIdle(scid: bigint): boolean {
    return this.idle.has(scid);
  }

  /** Open session `scid` if it has something in flight (an idle one is read from the store). */
  active(scid: bigint): JitSession | undefined {
    return this.whole.get(scid);
  }

  /** `peer`'s sessions with something in flight (idle ones have nothing a peer event could change). */
  *activeOf(peer: string): Iterable<JitSession> {
    for (const scid of this.byClient.get(peer) ?? []) {
      const s = this.whole.get(scid);
      if (s) yield s;
    }
  }

  activeSessions(): Iterable<JitSession> {
    return this.whole.values();
  }

  scidByUserChannelId(userChannelId: bigint): bigint | undefined {
    return this.byUserChannelId.get(userChannelId);
  }

  scidByChannelId(channelId: string): bigint | undefined {
    return this.byChannelId.get(channelId);
  }

  /** The SCIDs of the open sessions (admin, logs). */
  openScids(): bigint[] {
    return [...this.whole.keys(), ...this.idle.keys()];
  }

  /** The client of session `scid` if it is live (open, valid_until after `now`). */
  liveClientOf(scid: bigint, now: Date): string | undefined {
    const s = this.whole.get(scid);
    if (s) return isSessionLive(s, now) ? s.terms.clientNodeId : undefined;
    const idle = this.idle.get(scid);
    return idle && idle.validUntilMs > now.getTime() ? idle.clientNodeId : undefined;
  }

  /** The node's `nodeIdLookup`: a live JIT SCID resolves to its client (bLIP-52 §6, onion messages too). */
  nodeIdLookup(scid: bigint): string | undefined {
    return this.liveClientOf(scid, this.clock());
  }

  /** How many of `peer`'s sessions are live at `now` (the buy handler's per-peer limit, without a read). */
  liveSessionCount(peer: string, now: Date): number {
    let n = 0;
    for (const scid of this.byClient.get(peer) ?? []) if (this.liveClientOf(scid, now) !== undefined) n++;
    return n;
  }

  /** Peers whose onion messages are held while offline: those with a live session, or held by another reason. */
  isRegistered(peer: string): boolean {
    return this.liveSessionCount(peer, this.clock()) > 0 || this.holdsOnionMessages(peer);
  }

  /** Another reason to hold a peer's onion messages (LSPS5: it has a webhook, for as long as that lasts). */
  holdsOnionMessages: (peer: string) => boolean = () => false;

  /** The node's `holdFunding` hook: withhold funding for client_trusts_lsp sessions (bLIP-52 §5). */
  holdFunding(info: { userChannelId: bigint }): boolean {
    const scid = this.byUserChannelId.get(info.userChannelId);
    if (scid === undefined) return false;
    return this.whole.get(scid)?.terms.clientTrustsLsp ?? this.idle.get(scid)?.clientTrustsLsp ?? false;
  }

  /** The node withholds `txid`, the funding transaction of the channel with this user channel id. */
  fundingHeld(userChannelId: bigint, txid: string): void {
    this.fundingHolds.set(userChannelId, txid);
  }

  heldFundingTxid(userChannelId: bigint): string | undefined {
    return this.fundingHolds.get(userChannelId);
  }

  fundingReleased(userChannelId: bigint): void {
    this.fundingHolds.delete(userChannelId);
  }

  /**
   * The idle sessions whose valid_until passed by `nowMs` (the timer sweeps them). A popped entry whose
   * session left the idle set is stale (a session that became active is swept with the active ones); one
   * still idle stays due and is queued again, in case its sweep did not close it.
   */
  dueIdle(nowMs: number): bigint[] {
    const due = new Set<bigint>();
    for (const { key: scid, expiresAtMs } of this.idleExpiries.popDue(nowMs)) {
      if (this.idle.get(scid)?.validUntilMs !== expiresAtMs || due.has(scid)) continue;
      due.add(scid);
      this.idleExpiries.push(scid, expiresAtMs);
    }
    if (this.idleExpiries.size > 2 * this.idle.size + 1024) {
      this.idleExpiries.compact((scid, at) => this.idle.get(scid)?.validUntilMs === at);
    }
    return [...due];
  }
}

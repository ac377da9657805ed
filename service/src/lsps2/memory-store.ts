/**
 * In-memory SessionStore / MailboxStore for tests and benchmarks. Every value goes through
 * `session-codec.ts` on the way in and out, so state that would not survive a real database fails here too.
 */
import { cloneSession, decodeState, encodeState } from './session-codec.js';
import type { JitChannelState, JitSession } from './session.js';
import {
  SessionExistsError,
  StaleSessionError,
  type HeldOnionMessage,
  type MailboxStore,
  type SessionStore,
} from './store.js';

export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<bigint, JitSession>();
  private readonly fundingHashes = new Map<string, bigint>();
  /** Count of successful writes (create + update), for tests asserting "persisted before answering". */
  writes = 0;

  async create(session: JitSession): Promise<void> {
    const scid = session.terms.jitChannelScid;
    if (this.sessions.has(scid)) throw new SessionExistsError(scid);
    this.sessions.set(scid, cloneSession({ ...session, version: 0 }));
    this.writes++;
  }

  async update(scid: bigint, state: JitChannelState, expectedVersion: number, now: Date): Promise<JitSession> {
    const cur = this.sessions.get(scid);
    if (!cur || cur.version !== expectedVersion) throw new StaleSessionError(scid, expectedVersion, cur?.version);
    const next: JitSession = {
      terms: cur.terms,
      state: decodeState(encodeState(state)),
      version: expectedVersion + 1,
      updatedAt: new Date(now.getTime()),
    };
    this.sessions.set(scid, next);
    this.writes++;
    return cloneSession(next);
  }

  async get(scid: bigint): Promise<JitSession | undefined> {
    const s = this.sessions.get(scid);
    return s ? cloneSession(s) : undefined;
  }

  async listByClient(clientNodeId: string): Promise<JitSession[]> {
    return [...this.sessions.values()]
      .filter((s) => s.terms.clientNodeId === clientNodeId)
      .sort((a, b) => a.terms.createdAt.getTime() - b.terms.createdAt.getTime())
      .map(cloneSession);
  }

  async countLiveByClient(clientNodeId: string, now: Date): Promise<number> {
    let n = 0;
    for (const s of this.sessions.values()) {
      if (
        s.terms.clientNodeId === clientNodeId &&
        s.state.kind !== 'closed' &&
        s.terms.feeParams.validUntil.getTime() > now.getTime()
      )
        n++;
    }
    return n;
  }

  async listOpen(): Promise<JitSession[]> {
    return [...this.sessions.values()].filter((s) => s.state.kind !== 'closed').map(cloneSession);
  }

  async reserveFundingHash(paymentHash: string, scid: bigint): Promise<boolean> {
    const holder = this.fundingHashes.get(paymentHash);
    if (holder === undefined) {
      this.fundingHashes.set(paymentHash, scid);
      this.writes++;
      return true;
    }
    return holder === scid;
  }

  async releaseFundingHash(paymentHash: string, scid: bigint): Promise<void> {
    if (this.fundingHashes.get(paymentHash) === scid) this.fundingHashes.delete(paymentHash);
  }

  async pruneClosedBefore(cutoff: Date): Promise<number> {
    let n = 0;
    for (const [scid, s] of this.sessions) {
      if (s.state.kind === 'closed' && s.updatedAt.getTime() < cutoff.getTime()) {
        this.sessions.delete(scid);
        n++;
      }
    }
    return n;
  }
}

export class MemoryMailboxStore implements MailboxStore {
  private readonly messages = new Map<string, HeldOnionMessage>();

  async put(m: HeldOnionMessage): Promise<void> {
    if (!this.messages.has(m.id)) this.messages.set(m.id, { ...m, message: m.message.slice() });
  }

  async delete(ids: string[]): Promise<void> {
    for (const id of ids) this.messages.delete(id);
  }

  async loadAll(): Promise<HeldOnionMessage[]> {
    return [...this.messages.values()]
      .sort((a, b) => (a.peerNodeId < b.peerNodeId ? -1 : a.peerNodeId > b.peerNodeId ? 1 : a.seq - b.seq))
      .map((m) => ({ ...m, message: m.message.slice() }));
  }
}

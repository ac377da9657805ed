/**
 * Persistence contract of the LSPS2 service: every state change is written before it is acted on, so a
 * crash at any point leaves a decision that is stored and re-issued, never an act nobody remembers. The protocol code depends only on these interfaces; `memory-store.ts` implements them for
 * tests, `service/src/db/` implements them on typeorm (SQLite / Postgres).
 *
 * Storage hint for implementers: keep `terms` and `state` as JSON text produced by `session-codec.ts`
 * (`encodeTerms` / `encodeState`, bigints as decimal strings), plus indexed columns `jit_channel_scid`
 * (decimal string, primary key), `client_node_id`, `state_kind`, `valid_until`, `version`, `updated_at`.
 */
import type { JitChannelState, JitSession } from './session.js';

/** `create` found a session with the same SCID. */
export class SessionExistsError extends Error {
  constructor(readonly scid: bigint) {
    super(`SessionStore/create: a session with jit_channel_scid ${scid} already exists`);
    this.name = 'SessionExistsError';
  }
}

/** `update` found another version than expected (a concurrent writer), or no session at all. */
export class StaleSessionError extends Error {
  constructor(
    readonly scid: bigint,
    readonly expectedVersion: number,
    readonly actualVersion: number | undefined,
  ) {
    super(
      `SessionStore/update: session ${scid}: expected version ${expectedVersion}, got ${actualVersion ?? 'no session'}`,
    );
    this.name = 'StaleSessionError';
  }
}

export interface SessionStore {
  /** Insert a new session (version 0). Rejects with SessionExistsError if the SCID is taken. Durable on resolve. */
  create(session: JitSession): Promise<void>;
  /**
   * Replace the state of session `scid` if its version is `expectedVersion`; the stored version becomes
   * `expectedVersion + 1`. Rejects with StaleSessionError otherwise. Durable on resolve.
   */
  update(scid: bigint, state: JitChannelState, expectedVersion: number, now: Date): Promise<JitSession>;
  get(scid: bigint): Promise<JitSession | undefined>;
  /** Every session of one client, any state, oldest first. */
  listByClient(clientNodeId: string): Promise<JitSession[]>;
  /**
   * Optional fast path for the buy handler's per-client limit: how many sessions of this client are not
   * `closed` and have `valid_until` after `now`. Without it the handler filters `listByClient`.
   */
  countLiveByClient?(clientNodeId: string, now: Date): Promise<number>;
  /** Every session whose state kind is not `closed` (the working set re-loaded on start). */
  listOpen(): Promise<JitSession[]>;
  /**
   * Atomically record that `paymentHash` funds the channel of session `scid` (one payment hash never funds
   * two channels: only one of them could collect its opening fee). Resolves true if the hash is now (or already was) reserved by this same
   * SCID, false if another SCID holds it.
   */
  reserveFundingHash(paymentHash: string, scid: bigint): Promise<boolean>;
  /** Release a reservation made by `scid` (the open failed before funding). No-op if absent. */
  releaseFundingHash(paymentHash: string, scid: bigint): Promise<void>;
  /** Delete `closed` sessions last updated before `cutoff`; resolves the number deleted. */
  pruneClosedBefore(cutoff: Date): Promise<number>;
}

/** An onion message held for an offline client (bLIP-52 §6: the JIT SCID is an alias for onion messages too). */
export interface HeldOnionMessage {
  /** De-duplication key: lower-case hex SHA-256 of `peerNodeId || message`. */
  id: string;
  peerNodeId: string;
  /** Delivery order within a peer (strictly increasing per peer). */
  seq: number;
  message: Uint8Array;
  receivedAt: Date;
  expiresAt: Date;
}

export interface MailboxStore {
  /** Insert; a message whose `id` is already stored is ignored. Durable on resolve. */
  put(message: HeldOnionMessage): Promise<void>;
  /** Delete these ids (delivered, expired or evicted). Unknown ids are ignored. */
  delete(ids: string[]): Promise<void>;
  /** Everything held, ordered by (peerNodeId, seq). */
  loadAll(): Promise<HeldOnionMessage[]>;
}

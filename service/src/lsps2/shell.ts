/**
 * The thin shell around the pure JIT state machine (`jit-channel.ts`) and onion mailbox (`onion-mailbox.ts`):
 * it turns node events into transitions, writes every new state to the SessionStore BEFORE it runs the
 * actions against the node (issue 5 "Persistence"), and re-issues lost actions after a restart.
 *
 * Events of one session are processed one at a time (a promise chain per SCID). The shell owns no protocol
 * decision: everything it does is an action a transition returned.
 *
 * Known engine limit (lightningdevkit 0.1): `fail_intercepted_htlc` always fails with unknown_next_peer, so a
 * temporary_channel_failure decision reaches the payer as unknown_next_peer (logged with the intended code).
 * The CLTV expiry `HTLCIntercepted` lacks is filled in by the engine from the inbound channel.
 */
import type { NodeEvent, NodeEventType } from '@jitlsp/engine/node';
import type { DispatchLogger } from '../lsps0/dispatcher.js';
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
  paymentForwarded,
  restarted,
  sweep,
  type ChannelOpenFailure,
  type JitAction,
  type JitContext,
  type JitEnv,
  type JitPolicy,
  type Transition,
} from './jit-channel.js';
import type { NodePort } from './node-port.js';
import {
  DEFAULT_MAILBOX_LIMITS,
  emptyMailbox,
  expire,
  messageIntercepted,
  peerConnected as mailboxPeerConnected,
  peerDeregistered,
  restore,
  type Mailbox,
  type MailboxEffect,
  type MailboxLimits,
} from './onion-mailbox.js';
import { ExpiryQueue } from './expiry-queue.js';
import { isSessionLive } from './onion-registry.js';
import type { JitChannelState, JitSession } from './session.js';
import { StaleSessionError, type MailboxStore, type SessionStore } from './store.js';

/** The metrics the shell reports (structurally what `service/src/metrics` ServiceMetrics offers). */
export interface ShellMetrics {
  htlcIntercepted(): void;
  htlcFailed(code: string): void;
  channelOpened(mode: string, trustModel: string): void;
  channelOpenFailed(reason: string): void;
  openingFeeCollected(feeMsat: bigint): void;
  channelReadyAfterFirstHtlc(firstHtlcAt: Date, readyAt: Date): void;
  paymentForwardedAfterFirstHtlc(firstHtlcAt: Date, forwardedAt: Date): void;
  onionMessageIntercepted(): void;
  onionMessageHeld(): void;
  onionMessagesDelivered(count?: number): void;
  onionMessageDropped(reason: string, count?: number): void;
}

export interface JitShellOptions {
  node: NodePort;
  store: SessionStore;
  mailboxStore: MailboxStore;
  policy?: Partial<JitPolicy>;
  mailboxLimits?: Partial<MailboxLimits>;
  clock?: () => Date;
  /** Current chain height (for the CLTV margin); null if unknown. */
  blockHeight?: () => number | null;
  logger?: DispatchLogger;
  metrics?: Partial<ShellMetrics>;
}

const NO_LOG: DispatchLogger = { log: () => {} };
const DROP_LABEL: Record<string, string> = {
  unregistered: 'unregistered_peer',
  peer_full: 'mailbox_full_peer',
  total_full: 'mailbox_full_total',
};

/** Maps LDK's ClosureReason text to the bLIP-52 open-failure cases. */
export function openFailureFromClosure(reason: string): ChannelOpenFailure {
  if (/disconnect/i.test(reason)) return 'client_disconnected';
  if (/counterparty|peer (requested|closed)/i.test(reason)) return 'client_rejected';
  return 'lsp_error';
}

/**
 * The node events whose handling the shell stores: the daemon's node keeps each until the session job it
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
 * An open session with nothing in flight: awaiting payment, no HTLC held. Most sessions are like this (sold,
 * not yet paid) and a transition cannot start without an event, so the shell keeps only what SCID and
 * per-peer questions need and reads the whole session from the store when an event arrives for it. A full
 * session in memory costs ~1.3 KB of JavaScript heap, this ~0.1 KB: with thousands of buys a second, that is
 * the difference between the garbage collector copying every new session and barely noticing it.
 */
interface IdleSession {
  clientNodeId: string;
  validUntilMs: number;
  clientTrustsLsp: boolean;
}

const isIdle = (s: JitSession): boolean => s.state.kind === 'awaitingPayment' && s.state.held.length === 0;

export class JitShell {
  /** Open sessions with something in flight (held HTLCs, a channel), whole. */
  private readonly sessions = new Map<bigint, JitSession>();
  /** Open sessions with nothing in flight (see {@link IdleSession}). */
  private readonly idleSessions = new Map<bigint, IdleSession>();
  /** When each idle session's `valid_until` passes (the tick sweeps those only, not every idle session). */
  private readonly idleExpiries = new ExpiryQueue<bigint>();
  /** Each client's open sessions, active or idle (per-peer questions must not scan every session). */
  private readonly byClient = new Map<string, { nodeId: string; scids: Set<bigint> }>();
  private readonly byUserChannelId = new Map<bigint, bigint>();
  private readonly byChannelId = new Map<string, bigint>();
  private readonly heldFundingTxid = new Map<bigint, string>();
  private readonly firstHtlcAt = new Map<bigint, Date>();
  private readonly chains = new Map<bigint, Promise<void>>();
  private afterQueuedSeq = 0;
  private mailbox: Mailbox = emptyMailbox();
  private mailboxChain: Promise<void> = Promise.resolve();
  private readonly policy: JitPolicy;
  private readonly limits: MailboxLimits;
  private readonly clock: () => Date;
  private readonly log: DispatchLogger;
  private unsubscribe: (() => void) | undefined;

  private constructor(private readonly opts: JitShellOptions) {
    this.policy = { ...DEFAULT_JIT_POLICY, ...opts.policy };
    this.limits = { ...DEFAULT_MAILBOX_LIMITS, ...opts.mailboxLimits };
    this.clock = opts.clock ?? (() => new Date());
    this.log = opts.logger ?? NO_LOG;
  }

  /**
   * Loads the open sessions and the held onion messages, re-issues what a crash may have lost, then
   * subscribes to the node's events.
   */
  static async start(opts: JitShellOptions): Promise<JitShell> {
    const shell = new JitShell(opts);
    const now = shell.clock();
    for (const s of await opts.store.listOpen()) shell.index(s);
    const r = restore(await opts.mailboxStore.loadAll(), now, shell.limits);
    shell.mailbox = r.mailbox;
    await shell.runMailboxEffects(r.effects);
    shell.unsubscribe = opts.node.onEvent((ev) => shell.onEvent(ev));
    for (const scid of shell.sessions.keys()) shell.apply(scid, (ctx, st, env) => restarted(ctx, st, env));
    await shell.idle();
    return shell;
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Resolves when every queued event has been processed (tests, shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      const pending = new Set<Promise<void>>([...this.chains.values(), this.mailboxChain]);
      await Promise.all(pending);
      await new Promise((r) => setImmediate(r));
      const now = [...this.chains.values(), this.mailboxChain];
      if (now.every((p) => pending.has(p))) return;
    }
  }

  /** The buy handler persisted a new session. */
  sessionCreated(session: JitSession): void {
    this.index(session);
  }

  /** The engine's `holdFunding` hook: withhold funding for client_trusts_lsp sessions. */
  holdFunding(info: { userChannelId: bigint }): boolean {
    const scid = this.byUserChannelId.get(info.userChannelId);
    if (scid === undefined) return false;
    return this.sessions.get(scid)?.terms.clientTrustsLsp ?? this.idleSessions.get(scid)?.clientTrustsLsp ?? false;
  }

  /** The engine's `nodeIdLookup`: a live JIT SCID resolves to its client (bLIP-52 §6, onion messages too). */
  nodeIdLookup(scid: bigint): string | undefined {
    return this.liveClientOf(scid, this.clock());
  }

  /** The client of session `scid` if it is live (open, valid_until after `now`), whole or idle. */
  private liveClientOf(scid: bigint, now: Date): string | undefined {
    const s = this.sessions.get(scid);
    if (s) return isSessionLive(s, now) ? s.terms.clientNodeId : undefined;
    const idle = this.idleSessions.get(scid);
    return idle && idle.validUntilMs > now.getTime() ? idle.clientNodeId : undefined;
  }

  /** Peers whose onion messages are held while offline. */
  isRegistered(peer: string): boolean {
    return this.liveSessionCount(peer, this.clock()) > 0;
  }

  /**
   * How many of `peer`'s sessions are live (not closed, valid_until after `now`): the buy handler's
   * per-peer limit, answered from memory (the shell holds every open session) instead of a database read.
   */
  liveSessionCount(peer: string, now: Date): number {
    let n = 0;
    for (const scid of this.byClient.get(peer)?.scids ?? []) if (this.liveClientOf(scid, now) !== undefined) n++;
    return n;
  }

  /** `peer`'s sessions with something in flight (idle ones have nothing a peer event could change). */
  private *activeSessionsOf(peer: string): Iterable<JitSession> {
    for (const scid of this.byClient.get(peer)?.scids ?? []) {
      const s = this.sessions.get(scid);
      if (s) yield s;
    }
  }

  /** The SCIDs of the open sessions (admin, logs). */
  openScids(): bigint[] {
    return [...this.sessions.keys(), ...this.idleSessions.keys()];
  }

  /** Timers: sweep every session (collect timer, valid_until, CLTV margin) and expire held messages. */
  tick(): Promise<void> {
    const now = this.clock().getTime();
    this.sessions.forEach((s, scid) => {
      // `sweep` acts only on held HTLCs and on valid_until: a session holding none before its valid_until
      // cannot change.
      if (s.state.held.length === 0 && now < s.terms.feeParams.validUntil.getTime()) return;
      this.apply(scid, (ctx, st, env) => sweep(ctx, st, env));
    });
    // Idle sessions (the thousands sold and not yet paid) are visited only once their valid_until passed. An
    // entry whose session has since left the idle set is stale (a session that became active again is
    // swept above); one still idle and not swept away stays due, and is queued again for the next tick.
    const swept = new Set<bigint>();
    for (const { key: scid, expiresAtMs } of this.idleExpiries.popDue(now)) {
      const idle = this.idleSessions.get(scid);
      if (idle === undefined || idle.validUntilMs !== expiresAtMs || swept.has(scid)) continue;
      swept.add(scid);
      this.apply(scid, (ctx, st, env) => sweep(ctx, st, env));
      this.idleExpiries.push(scid, expiresAtMs);
    }
    if (this.idleExpiries.size > 2 * this.idleSessions.size + 1024) {
      this.idleExpiries.compact((scid, at) => this.idleSessions.get(scid)?.validUntilMs === at);
    }
    this.mailboxStep((m) => expire(m, this.clock()));
    return this.idle();
  }

  // -------------------------------------------------------------------------------------------------------

  private index(s: JitSession): void {
    const scid = s.terms.jitChannelScid;
    let mine = this.byClient.get(s.terms.clientNodeId);
    if (!mine) this.byClient.set(s.terms.clientNodeId, (mine = { nodeId: s.terms.clientNodeId, scids: new Set() }));
    mine.scids.add(scid);
    // Kept for idle sessions too: a channel event names its session by user channel id, whatever its state.
    this.byUserChannelId.set(s.terms.userChannelId, scid);
    if (isIdle(s)) {
      this.sessions.delete(scid);
      const validUntilMs = s.terms.feeParams.validUntil.getTime();
      const was = this.idleSessions.get(scid);
      this.idleSessions.set(scid, {
        clientNodeId: mine.nodeId,
        validUntilMs,
        clientTrustsLsp: s.terms.clientTrustsLsp,
      });
      if (was?.validUntilMs !== validUntilMs) this.idleExpiries.push(scid, validUntilMs);
      return;
    }
    this.idleSessions.delete(scid);
    this.sessions.set(scid, s);
    const ch = 'channelId' in s.state ? s.state.channelId : null;
    if (ch) this.byChannelId.set(ch, scid);
  }

  /**
   * The session a forward result belongs to. LDK forwards an intercepted HTLC over ANY channel to the
   * client (non-strict forwarding), so with several JIT channels to one client the event's channel may be
   * another session's: prefer the client's session waiting for a forward with a matching part.
   */
  private forwardOwner(
    channelId: string | undefined,
    userChannelId: bigint | undefined,
    matches: (f: JitSession['state']['forwarded'][number]) => boolean,
  ): bigint | undefined {
    const direct =
      (userChannelId !== undefined ? this.byUserChannelId.get(userChannelId) : undefined) ??
      (channelId !== undefined ? this.byChannelId.get(channelId) : undefined);
    const client =
      (direct !== undefined ? this.sessions.get(direct)?.terms.clientNodeId : undefined) ??
      this.opts.node.listChannels().find((c) => c.channelId === channelId)?.counterpartyNodeId;
    if (direct !== undefined && this.sessions.get(direct)?.state.kind === 'awaitingForward') return direct;
    if (client === undefined) return direct;
    const waiting = [...this.activeSessionsOf(client)].filter((s) => s.state.kind === 'awaitingForward');
    const exact = waiting.find((s) =>
      s.state.forwarded.some((f) => f.paymentHash === (s.state as { payingHash: string }).payingHash && matches(f)),
    );
    return exact?.terms.jitChannelScid ?? (waiting.length === 1 ? waiting[0]!.terms.jitChannelScid : direct);
  }

  private env(peer: string): JitEnv {
    const connected = this.opts.node.listPeers().some((p) => p.nodeId === peer);
    return { now: this.clock(), blockHeight: this.opts.blockHeight?.() ?? null, clientConnected: connected };
  }

  /**
   * One node event. For the events the daemon makes durable (`JIT_DURABLE_EVENTS`) it returns the promise of
   * the session job the event started: the engine lets LDK drop the event only once it resolved (the new
   * state is stored), so a kill before that has LDK deliver the event again after the restart.
   */
  private onEvent(ev: NodeEvent): Promise<void> | undefined {
    switch (ev.type) {
      case 'htlcIntercepted': {
        this.opts.metrics?.htlcIntercepted?.();
        const scid = ev.requestedNextHopScid;
        if (!this.sessions.has(scid) && !this.idleSessions.has(scid)) {
          this.enqueue(scid, async () => {
            const s = await this.opts.store.get(scid);
            // A closed session is loaded too: its machine refuses the HTLC (and remembers the refusal).
            if (s) this.index(s);
            else {
              // Not a JIT SCID we know (e.g. pruned): never leave it stuck.
              this.log.log('warn', 'lsps2: HTLC to an unknown intercept SCID failed', {
                scid: scid.toString(),
                interceptId: ev.interceptId,
              });
              this.safe(() => this.opts.node.failInterceptedHtlc(ev.interceptId));
              this.opts.metrics?.htlcFailed?.('unknown_next_peer');
            }
          });
        }
        const htlc = {
          interceptId: ev.interceptId,
          paymentHash: ev.paymentHash,
          amountMsat: ev.expectedOutboundAmountMsat,
          cltvExpiry: ev.cltvExpiry,
        };
        return this.apply(scid, (ctx, st, env) => {
          if (!this.firstHtlcAt.has(scid)) this.firstHtlcAt.set(scid, env.now);
          return htlcIntercepted(ctx, st, htlc, env);
        });
      }
      case 'channelPending': {
        const scid = this.byUserChannelId.get(ev.userChannelId);
        if (scid === undefined) return;
        this.byChannelId.set(ev.channelId, scid);
        return this.apply(scid, (ctx, st) => channelPending(ctx, st, ev.channelId));
      }
      case 'channelReady': {
        const scid = this.byUserChannelId.get(ev.userChannelId);
        if (scid === undefined) return;
        this.byChannelId.set(ev.channelId, scid);
        return this.apply(scid, (ctx, st, env) => {
          const first = this.firstHtlcAt.get(scid);
          if (first && st.kind === 'openingChannel') this.opts.metrics?.channelReadyAfterFirstHtlc?.(first, env.now);
          return channelReady(ctx, st, ev.channelId, env);
        });
      }
      case 'channelClosed': {
        const scid = this.byUserChannelId.get(ev.userChannelId) ?? this.byChannelId.get(ev.channelId);
        if (scid === undefined) return;
        return this.apply(scid, (ctx, st, env) => {
          if (st.kind === 'openingChannel') {
            const why = openFailureFromClosure(ev.reason);
            this.opts.metrics?.channelOpenFailed?.(why === 'lsp_error' ? 'node_error' : why);
            return channelOpenFailed(ctx, st, why, env);
          }
          return channelClosed(ctx, st, env);
        });
      }
      case 'paymentForwarded':
        // Resolved once the queued events are applied: the owner is found from the sessions' states.
        return this.afterQueued(() => {
          const scid = this.forwardOwner(
            ev.nextChannelId,
            ev.nextUserChannelId,
            (f) => f.forwardMsat === ev.outboundAmountForwardedMsat && f.skimMsat === (ev.skimmedFeeMsat ?? 0n),
          );
          if (scid !== undefined)
            return this.apply(scid, (ctx, st, env) => paymentForwarded(ctx, st, ev.skimmedFeeMsat ?? 0n, env));
        });
      case 'htlcHandlingFailed': {
        const d = ev.failedNextDestination;
        if (d.kind !== 'next-hop-channel') return;
        return this.afterQueued(() => {
          const scid = this.forwardOwner(d.channelId, undefined, () => true);
          if (scid !== undefined) return this.apply(scid, (ctx, st, env) => htlcHandlingFailed(ctx, st, env));
        });
      }
      case 'peerConnected':
        for (const s of [...this.activeSessionsOf(ev.peerNodeId)])
          this.apply(s.terms.jitChannelScid, (ctx, st, env) => clientConnected(ctx, st, env));
        return;
      case 'peerDisconnected':
        for (const s of [...this.activeSessionsOf(ev.peerNodeId)])
          this.apply(s.terms.jitChannelScid, (ctx, st, env) => clientDisconnected(ctx, st, env));
        return;
      case 'fundingHeld': {
        this.heldFundingTxid.set(ev.userChannelId, ev.txid);
        return;
      }
      case 'onionMessageIntercepted': {
        this.opts.metrics?.onionMessageIntercepted?.();
        const registered = this.isRegistered(ev.peerNodeId);
        this.mailboxStep((m) =>
          messageIntercepted(
            m,
            { peerNodeId: ev.peerNodeId, message: ev.message, registered, now: this.clock() },
            this.limits,
          ),
        );
        return;
      }
      case 'onionMessagePeerConnected':
        this.mailboxStep((m) => mailboxPeerConnected(m, ev.peerNodeId, this.clock()));
        return;
      default:
        return;
    }
  }

  /** Runs `f` after every session job queued so far. */
  private afterQueued(f: () => Promise<void> | undefined): Promise<void> {
    const p = Promise.all([...this.chains.values()]).then(f);
    const key = -1n - BigInt(this.afterQueuedSeq++); // a private chain slot (SCIDs are >= 0) so idle() waits for it
    const settled = p.then(
      () => undefined,
      () => undefined, // the failure reaches whoever holds `p` (the engine retries a durable event)
    );
    this.chains.set(key, settled);
    void settled.then(() => {
      if (this.chains.get(key) === settled) this.chains.delete(key);
    });
    return p;
  }

  /** Queues `job` on session `scid`'s chain; the promise rejects if the job failed (the chain goes on). */
  private enqueue(scid: bigint, job: () => Promise<void>): Promise<void> {
    const prev = this.chains.get(scid) ?? Promise.resolve();
    const run = prev.then(job);
    const next = run.catch((e) =>
      this.log.log('error', 'lsps2: session job failed', { scid: scid.toString(), error: String(e) }),
    );
    this.chains.set(scid, next);
    void next.then(() => {
      if (this.chains.get(scid) === next) this.chains.delete(scid);
    });
    return run;
  }

  /** Runs a transition on session `scid` (serialised per session): persist, then act. */
  private apply(
    scid: bigint,
    step: (ctx: JitContext, state: JitChannelState, env: JitEnv) => Transition,
  ): Promise<void> {
    return this.enqueue(scid, async () => {
      const session =
        this.sessions.get(scid) ?? (this.idleSessions.has(scid) ? await this.opts.store.get(scid) : undefined);
      if (!session) return;
      const ctx: JitContext = { terms: session.terms, policy: this.policy };
      const t = step(ctx, session.state, this.env(session.terms.clientNodeId));
      await this.run(session, ctx, t);
    });
  }

  private async run(session: JitSession, ctx: JitContext, t: Transition): Promise<void> {
    const scid = session.terms.jitChannelScid;
    let current = session;
    if (t.actions[0]?.kind === 'persist') {
      try {
        current = await this.opts.store.update(scid, t.state, session.version, this.clock());
      } catch (e) {
        if (!(e instanceof StaleSessionError)) throw e;
        // Another writer changed the session: take the stored state and drop this transition (nothing was
        // acted on; timers and replays bring the session forward again).
        const fresh = await this.opts.store.get(scid);
        if (fresh) this.index(fresh);
        this.log.log('warn', 'lsps2: session changed underneath, reloaded', { scid: scid.toString() });
        return;
      }
      this.index(current);
    }
    const prevKind = session.state.kind;
    for (const a of t.actions) {
      if (a.kind === 'persist') continue;
      const follow = await this.act(current, ctx, a);
      if (follow) {
        // An action failed in a way the machine must hear about (e.g. the open was refused by the node).
        const t2 = follow(ctx, current.state, this.env(session.terms.clientNodeId));
        await this.run(current, ctx, t2);
        return;
      }
    }
    this.afterTransition(current, prevKind);
  }

  private afterTransition(s: JitSession, prevKind: JitChannelState['kind']): void {
    const scid = s.terms.jitChannelScid;
    const st = s.state;
    if (prevKind !== 'done' && st.kind === 'done') {
      this.opts.metrics?.openingFeeCollected?.(st.collectedFeeMsat);
      const first = this.firstHtlcAt.get(scid);
      if (first) this.opts.metrics?.paymentForwardedAfterFirstHtlc?.(first, this.clock());
    }
    if (st.kind === 'closed') {
      this.sessions.delete(scid);
      this.idleSessions.delete(scid);
      this.byUserChannelId.delete(s.terms.userChannelId);
      const mine = this.byClient.get(s.terms.clientNodeId);
      mine?.scids.delete(scid);
      if (mine?.scids.size === 0) this.byClient.delete(s.terms.clientNodeId);
      this.firstHtlcAt.delete(scid);
      const peer = s.terms.clientNodeId;
      if (!this.isRegistered(peer)) this.mailboxStep((m) => peerDeregistered(m, peer));
    }
  }

  /** Runs one action; returns a follow-up transition when the node refused it. */
  private async act(
    s: JitSession,
    ctx: JitContext,
    a: Exclude<JitAction, { kind: 'persist' }>,
  ): Promise<((ctx: JitContext, st: JitChannelState, env: JitEnv) => Transition) | undefined> {
    const node = this.opts.node;
    const scid = s.terms.jitChannelScid;
    switch (a.kind) {
      case 'openChannel': {
        // One payment hash never funds two channels (issue 5 §4; CLN #8948).
        if (!(await this.opts.store.reserveFundingHash(a.paymentHash, scid))) {
          this.log.log('warn', 'lsps2: payment hash already funded another channel', { scid: scid.toString() });
          return (c, st, env) => channelOpenFailed(c, st, 'lsp_error', env);
        }
        // Idempotent after a restart: the node may already have this channel (rust-lightning #4102).
        if (node.listChannels().some((ch) => ch.userChannelId === a.userChannelId)) return undefined;
        try {
          await node.openChannel({
            peer: a.clientNodeId,
            capacitySat: a.capacitySat,
            zeroConf: a.zeroConf,
            announce: a.announce,
            // bLIP-52: the JIT channel uses option_scid_alias, and the client's to_self_delay is bounded.
            scidAlias: true,
            maxPeerToSelfDelay: a.maxClientToSelfDelay,
            userChannelId: a.userChannelId,
            config: { forwardingFeeBaseMsat: 0, forwardingFeeProportionalMillionths: 0 },
          });
          this.opts.metrics?.channelOpened?.(
            ctx.terms.paymentSizeMsat === null ? 'no_mpp' : 'mpp',
            ctx.terms.clientTrustsLsp ? 'client-trusts-lsp' : 'lsp-trusts-client',
          );
          return undefined;
        } catch (e) {
          this.log.log('warn', 'lsps2: channel open refused by the node', { scid: scid.toString(), error: String(e) });
          this.opts.metrics?.channelOpenFailed?.('node_error');
          return (c, st, env) => channelOpenFailed(c, st, 'lsp_error', env);
        }
      }
      case 'forwardHtlc':
        // LDK attaches the skim as the `extra_fee` TLV 65537 itself (bLIP-25) when amount < expected.
        this.safe(() => node.forwardInterceptedHtlc(a.interceptId, a.channelId, s.terms.clientNodeId, a.amountMsat));
        return undefined;
      case 'failHtlc':
        // lightningdevkit 0.1 fails intercepted HTLCs with unknown_next_peer only (see file comment).
        this.log.log('info', 'lsps2: HTLC failed', {
          scid: scid.toString(),
          interceptId: a.interceptId,
          code: a.reason,
        });
        this.opts.metrics?.htlcFailed?.(a.reason);
        this.safe(() => node.failInterceptedHtlc(a.interceptId));
        return undefined;
      case 'releaseFunding': {
        const txid = this.heldFundingTxid.get(s.terms.userChannelId);
        if (txid !== undefined) {
          try {
            await node.releaseFunding(txid);
            this.heldFundingTxid.delete(s.terms.userChannelId);
          } catch (e) {
            this.log.log('error', 'lsps2: releasing the funding transaction failed', {
              scid: scid.toString(),
              error: String(e),
            });
          }
        }
        return undefined;
      }
      case 'releaseFundingHash':
        await this.opts.store.releaseFundingHash(a.paymentHash, scid);
        return undefined;
    }
  }

  private safe(f: () => void): void {
    try {
      f();
    } catch (e) {
      // Replays hit intercepts the node already settled; those errors are expected and harmless.
      this.log.log('debug', 'lsps2: node call failed', { error: e instanceof Error ? e.message : String(e) });
    }
  }

  private mailboxStep(step: (m: Mailbox) => { mailbox: Mailbox; effects: MailboxEffect[] }): void {
    this.mailboxChain = this.mailboxChain
      .then(async () => {
        const r = step(this.mailbox);
        this.mailbox = r.mailbox;
        await this.runMailboxEffects(r.effects);
      })
      .catch((e) => this.log.log('error', 'lsps2: mailbox job failed', { error: String(e) }));
  }

  /** Put first (durable before anything else), deliver before delete (a crash re-delivers, never loses). */
  private async runMailboxEffects(effects: MailboxEffect[]): Promise<void> {
    const m = this.opts.metrics;
    for (const e of effects) {
      if (e.kind === 'put') {
        await this.opts.mailboxStore.put(e.message);
        m?.onionMessageHeld?.();
      }
    }
    let delivered = 0;
    for (const e of effects) {
      if (e.kind === 'deliver') {
        this.safe(() => this.opts.node.forwardOnionMessage(e.message.message, e.message.peerNodeId));
        delivered++;
      }
    }
    if (delivered > 0) m?.onionMessagesDelivered?.(delivered);
    for (const e of effects) {
      if (e.kind === 'delete') await this.opts.mailboxStore.delete(e.ids);
      if (e.kind === 'dropped') m?.onionMessageDropped?.(DROP_LABEL[e.reason] ?? e.reason, e.count);
    }
  }
}

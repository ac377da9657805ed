/**
 * Runs the JIT sessions against the node and the store. Node events are routed (`../pure/route.ts`) to the
 * sessions they concern; each session takes its inputs one at a time (a promise chain per SCID): load the
 * session, step the machine (`../pure/machine.ts`), store the state if it changed, THEN run the actions
 * (`executor.ts`), so a crash never leaves an act without its stored decision. After a restart it re-issues
 * what a crash may have lost. It decides nothing: routing, the machine and the mailbox do.
 */
import type { NodeEvent } from '@jitlsp/engine/node';
import type { Logger } from '@jitlsp/shared/log';
import type { NodePort } from '../../lsps2/node-port.js';
import type { JitSession } from '../../lsps2/session.js';
import { StaleSessionError, type MailboxStore, type SessionStore } from '../../lsps2/store.js';
import { SessionIndex } from '../memory/session-index.js';
import { DEFAULT_JIT_POLICY, step, sweepDue, type JitEnv, type JitInput, type JitPolicy } from '../pure/machine.js';
import { DEFAULT_MAILBOX_LIMITS, type MailboxLimits } from '../pure/mailbox.js';
import { ROUTED_AFTER_QUEUED, route, type Delivery, type Routing, type RouteView } from '../pure/route.js';
import { JitExecutor } from './executor.js';
import { MailboxRunner } from './mailbox-runner.js';
import { JitRecorder, type JitMetrics } from './recorder.js';
import { expirySoonTimeout, NO_WAKE_UP, type ClientWakeUp } from '../../lsps5/wake-up.js';

export interface JitRunnerOptions {
  node: NodePort;
  store: SessionStore;
  mailboxStore: MailboxStore;
  /** The open sessions, loaded before the node started (the node's hooks read it). Default: loaded here. */
  index?: SessionIndex;
  policy?: Partial<JitPolicy>;
  mailboxLimits?: Partial<MailboxLimits>;
  clock?: () => Date;
  /** Current chain height (for the CLTV margin); null if unknown. */
  blockHeight?: () => number | null;
  logger?: Logger;
  metrics?: Partial<JitMetrics>;
  /** LSPS5: told of held HTLCs and messages for clients (it decides whom to wake). */
  wakeUp?: ClientWakeUp;
}

const NO_LOG: Logger = { log: () => {} };

export class JitRunner {
  private readonly chains = new Map<bigint, Promise<void>>();
  private afterQueuedSeq = 0;
  private readonly policy: JitPolicy;
  private readonly clock: () => Date;
  private readonly log: Logger;
  private readonly recorder: JitRecorder;
  private readonly executor: JitExecutor;
  private readonly mailbox: MailboxRunner;
  private readonly view: RouteView;
  private readonly wakeUp: ClientWakeUp;
  private unsubscribe: (() => void) | undefined;

  private constructor(
    private readonly opts: JitRunnerOptions,
    readonly index: SessionIndex,
  ) {
    this.policy = { ...DEFAULT_JIT_POLICY, ...opts.policy };
    this.clock = opts.clock ?? (() => new Date());
    this.log = opts.logger ?? NO_LOG;
    this.recorder = new JitRecorder(opts.metrics);
    this.executor = new JitExecutor({ ...opts, index, recorder: this.recorder, log: this.log });
    const limits = { ...DEFAULT_MAILBOX_LIMITS, ...opts.mailboxLimits };
    this.wakeUp = opts.wakeUp ?? NO_WAKE_UP;
    index.holdsOnionMessages = (peer) => this.wakeUp.holdsOnionMessages(peer);
    this.mailbox = new MailboxRunner(this.executor, limits, this.clock, this.log, (peer) =>
      this.wakeUp.onionMessageIncoming(peer),
    );
    const node = opts.node;
    this.view = {
      sessions: index,
      counterpartyOf: (channelId) => node.listChannels().find((c) => c.channelId === channelId)?.counterpartyNodeId,
    };
  }

  /** Restores the held onion messages, subscribes to the node's events, re-issues what a crash may have lost. */
  static async start(opts: JitRunnerOptions): Promise<JitRunner> {
    const clock = opts.clock ?? (() => new Date());
    const runner = new JitRunner(opts, opts.index ?? (await SessionIndex.load(opts.store, clock)));
    await runner.mailbox.restore(opts.mailboxStore);
    runner.unsubscribe = opts.node.onEvent((ev) => runner.onEvent(ev));
    for (const s of [...runner.index.activeSessions()]) runner.apply(s.terms.jitChannelScid, { kind: 'restarted' });
    await runner.idle();
    return runner;
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Resolves when every queued event has been processed (tests, shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      const pending = new Set<Promise<void>>([...this.chains.values(), this.mailbox.pending]);
      await Promise.all(pending);
      await new Promise((r) => setImmediate(r));
      if ([...this.chains.values(), this.mailbox.pending].every((p) => pending.has(p))) return;
    }
  }

  /** The buy handler stored a new session. */
  sessionCreated(session: JitSession): void {
    this.index.put(session);
  }

  /** Timers: sweep the sessions `sweep` can change (collect timer, valid_until, CLTV margin), expire messages. */
  tick(): Promise<void> {
    const now = this.clock();
    const height = this.opts.blockHeight?.() ?? null;
    for (const s of [...this.index.activeSessions()]) {
      const timeout = expirySoonTimeout(
        s.state.held.map((h) => h.cltvExpiry),
        height,
      );
      if (timeout !== undefined) this.wakeUp.expirySoon(s.terms.clientNodeId, timeout);
      if (sweepDue({ terms: s.terms, policy: this.policy }, s.state, now)) {
        this.apply(s.terms.jitChannelScid, { kind: 'sweep' });
      }
    }
    for (const scid of this.index.dueIdle(now.getTime())) this.apply(scid, { kind: 'sweep' });
    this.mailbox.step({ kind: 'expire' });
    return this.idle();
  }

  /**
   * One node event. For the events the daemon makes durable (`JIT_DURABLE_EVENTS`) it returns the promise of
   * the session jobs the event started: the engine lets LDK drop the event only once they resolved (the new
   * state is stored), so a kill before that has LDK deliver the event again after the restart.
   */
  private onEvent(ev: NodeEvent): Promise<void> | undefined {
    this.recorder.event(ev);
    if (ROUTED_AFTER_QUEUED.has(ev.type)) return this.afterQueued(() => this.dispatch(route(ev, this.view)));
    return this.dispatch(route(ev, this.view));
  }

  private dispatch(r: Routing): Promise<void> | undefined {
    if (r.fundingHeld) this.index.fundingHeld(r.fundingHeld.userChannelId, r.fundingHeld.txid);
    if (r.mailbox) this.mailbox.step(r.mailbox);
    const jobs = r.sessions.map((d) => this.apply(d.scid, d.input, d.ifUnknown));
    if (jobs.length === 0) return undefined;
    return jobs.length === 1 ? jobs[0] : Promise.all(jobs).then(() => undefined);
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
    const run = (this.chains.get(scid) ?? Promise.resolve()).then(job);
    const next = run.catch((e) =>
      this.log.log('error', 'lsps2: session job failed', { scid: scid.toString(), error: String(e) }),
    );
    this.chains.set(scid, next);
    void next.then(() => {
      if (this.chains.get(scid) === next) this.chains.delete(scid);
    });
    return run;
  }

  /** Steps session `scid` with `input` on its queue. */
  private apply(scid: bigint, input: JitInput, ifUnknown?: Delivery['ifUnknown']): Promise<void> {
    return this.enqueue(scid, async () => {
      const session = await this.load(scid, ifUnknown !== undefined);
      if (session) return this.run(session, input);
      if (!ifUnknown) return;
      this.log.log('warn', 'lsps2: event for an intercept SCID with no session', { scid: scid.toString() });
      for (const a of ifUnknown) this.executor.failHtlc(scid, a);
    });
  }

  /** The session: whole from the index, or from the store if idle (or not open, when `stored` is asked). */
  private async load(scid: bigint, stored: boolean): Promise<JitSession | undefined> {
    const whole = this.index.active(scid);
    if (whole) return whole;
    return this.index.isIdle(scid) || (stored && !this.index.isOpen(scid)) ? this.opts.store.get(scid) : undefined;
  }

  private env(peer: string): JitEnv {
    const clientConnected = this.opts.node.listPeers().some((p) => p.nodeId === peer);
    return { now: this.clock(), blockHeight: this.opts.blockHeight?.() ?? null, clientConnected };
  }

  /** Steps, stores the state if it changed, then acts; a refused action steps the session again. */
  private async run(session: JitSession, input: JitInput): Promise<void> {
    const scid = session.terms.jitChannelScid;
    const env = this.env(session.terms.clientNodeId);
    const t = step({ terms: session.terms, policy: this.policy }, session.state, input, env);
    let current = session;
    if (t.changed) {
      try {
        current = await this.opts.store.update(scid, t.state, session.version, this.clock());
      } catch (e) {
        if (!(e instanceof StaleSessionError)) throw e;
        // Another writer changed the session: take the stored state and drop this transition (nothing was
        // acted on; timers and replays bring the session forward again).
        const fresh = await this.opts.store.get(scid);
        if (fresh) this.index.put(fresh);
        this.log.log('warn', 'lsps2: session changed underneath, reloaded', { scid: scid.toString() });
        return;
      }
      this.index.put(current);
    }
    for (const a of t.actions) {
      const follow = await this.executor.act(current, a);
      if (follow) {
        this.recorder.transition({ session: current, input, prev: session.state, next: t.state, at: env.now });
        return this.run(current, follow);
      }
    }
    this.recorder.transition({ session: current, input, prev: session.state, next: t.state, at: env.now });
    const peer = session.terms.clientNodeId;
    if (
      input.kind === 'htlcIntercepted' &&
      !env.clientConnected &&
      t.state.held.some((h) => h.interceptId === input.htlc.interceptId)
    )
      this.wakeUp.paymentIncoming(peer);
    if (t.state.kind === 'closed' && !this.index.isRegistered(peer)) {
      this.mailbox.step({ kind: 'peerDeregistered', peerNodeId: peer });
    }
  }
}

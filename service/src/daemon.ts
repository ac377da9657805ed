/**
 * The composable core of the LSP daemon: everything `main.ts` runs, startable in-process by tests and the
 * demo. Start order: promise secret -> database (migrations) -> chain -> session index (the open sessions,
 * which the node's hooks read from its first event on) -> LDK node -> JIT runner (restores the held onion
 * messages, re-issues what a crash lost) -> LSPS0/LSPS2 dispatcher on message 37913 -> sweep timer -> HTTP.
 * `stop()` reverses it so that nothing accepted is lost: stop accepting (HTTP, LSPS0 messages, node events,
 * timer), finish writes (requests and JIT work in flight), close peers (node), close the database.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BitcoindRpcChain, type ChainSource } from '@jitlsp/engine/chain';
import { pooledRandom } from '@jitlsp/shared/crypto';
import { LSPS0_MESSAGE_TYPE, type LightningNode, type NodeOptions } from '@jitlsp/engine/node';
import type { ServiceConfig } from './config/config.js';
import { jitSettings } from './config/jit-settings.js';
import { redactDatabaseUrl } from './config/database-url.js';
import { resolvePromiseSecret } from './config/promise-secret.js';
import { Database } from './db/database.js';
import type { DataSourceExtras } from './db/data-source.js';
import { MailboxRepository } from './db/repositories/mailbox.repository.js';
import { SessionRepository } from './db/repositories/session.repository.js';
import { createHttpApp } from './http/app.js';
import { listen, type RunningHttpServer } from './http/server.js';
import type { Lsps0Dispatcher } from './lsps0/dispatcher.js';
import { createLsps2Server } from './lsps2/server.js';
import type { Lsps5Service } from './lsps5/service.js';
import { startLsps5 } from './lsps5/start.js';
import { JitRunner } from './jit/io/runner.js';
import { SessionIndex } from './jit/memory/session-index.js';
import { openChainSource } from './chain-source.js';
import { startLspNode } from './lsp-node.js';
import { createLogger, type Logger } from './log.js';
import { countDispatch } from './metrics/dispatch-results.js';
import { ServiceMetrics } from './metrics/metrics.js';
import { connectStateSources } from './metrics/node-sources.js';

export const SERVICE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** How often the runner sweeps sessions (MPP collect timer, valid_until, CLTV margin) and the mailbox TTL. */
export const DEFAULT_TICK_INTERVAL_MS = 1000;

export interface DaemonOptions {
  config: ServiceConfig;
  /** The chain backend. Default: a fresh SandboxChain when `config.chain` is 'sandbox' (closed on stop). */
  chain?: ChainSource;
  clock?: () => Date;
  random?: (n: number) => Uint8Array;
  logger?: Logger;
  /** Default: a fresh ServiceMetrics with its own registry. */
  metrics?: ServiceMetrics;
  /** Sweep timer period; 0 disables the timer (tests drive `jit.tick()` themselves). */
  tickIntervalMs?: number;
  /** Database extras (tests: a Postgres schema). */
  database?: DataSourceExtras;
  /** Engine options layered over the daemon's (tests: forward delay, reconnect backoff, LDK log level). */
  node?: Partial<Omit<NodeOptions, 'chain' | 'dataDir' | 'nodeIdLookup' | 'holdFunding'>>;
}

export class Daemon {
  private stopping: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly cleanups: (() => void)[] = [];
  private acceptingMessages = true;

  private constructor(
    readonly config: ServiceConfig,
    readonly logger: Logger,
    readonly metrics: ServiceMetrics,
    readonly db: Database,
    readonly sessions: SessionRepository,
    readonly mailbox: MailboxRepository,
    readonly chain: ChainSource,
    private readonly ownsChain: boolean,
    readonly node: LightningNode,
    readonly jit: JitRunner,
    readonly dispatcher: Lsps0Dispatcher,
    readonly http: RunningHttpServer,
    readonly lsps5: Lsps5Service,
  ) {}

  /** `nodeId@host:port` of the Lightning node. */
  get nodeAddress(): string | undefined {
    return this.node.address;
  }

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  static async start(opts: DaemonOptions): Promise<Daemon> {
    const { config } = opts;
    const clock = opts.clock ?? (() => new Date());
    const random = opts.random ?? ((n: number) => new Uint8Array(randomBytes(n)));
    const logger = opts.logger ?? createLogger({ level: config.logLevel, clock });
    const metrics = opts.metrics ?? new ServiceMetrics();
    const startedAt = clock();
    const cleanup: (() => Promise<unknown>)[] = []; // undo steps if a later start step fails

    try {
      const secret = resolvePromiseSecret(config, random);
      logger.info('promise secret ready', { source: secret.source });

      const db = await Database.open(config.database, opts.database);
      cleanup.push(() => db.close());
      logger.info('database open, migrations applied', { database: redactDatabaseUrl(config.database) });
      const sessions = new SessionRepository(db, clock);
      const mailbox = new MailboxRepository(db);

      const ownsChain = opts.chain === undefined;
      const chain = opts.chain ?? (await openChainSource(config, { clock, random, logger }, cleanup));
      if (ownsChain && !(chain instanceof BitcoindRpcChain)) cleanup.push(() => chain.close());
      let height: number | null = (await chain.tip()).height;
      const unsubscribeChain = chain.subscribe((b) => (height = b.height));

      const daemonRef: { current?: Daemon } = {};
      const index = await SessionIndex.load(sessions, clock);
      // LSPS5 before the node: a client with a webhook has its onion messages held from the first event.
      let started: LightningNode | undefined;
      const lsps5 = await startLsps5({
        config: config.lsps5,
        db,
        node: () => started,
        clock,
        logger: logger.child({ component: 'lsps5' }),
        metrics,
      });
      cleanup.push(async () => lsps5.delivery.stop());
      const node = await startLspNode({ config, chain, clock, random, logger, index, overrides: opts.node });
      cleanup.push(() => node.stop());
      started = node;
      connectStateSources(metrics, {
        node,
        sessions,
        chain,
        isStopping: () => daemonRef.current?.isStopping ?? false,
      });

      const jit = await JitRunner.start({
        node,
        store: sessions,
        index,
        mailboxStore: mailbox,
        ...jitSettings(config),
        clock,
        blockHeight: () => height,
        logger: logger.child({ component: 'jit' }),
        metrics,
        wakeUp: lsps5.service,
      });
      cleanup.push(async () => jit.stop());

      const dispatcher = createLsps2Server({
        send: (peer, payload) => node.sendCustomMessage(peer, payload, LSPS0_MESSAGE_TYPE),
        clock,
        logger: logger.child({ component: 'lsps0' }),
        limits: {
          maxRequestBytes: config.limits.maxMessageBytes,
          maxPendingPerPeer: config.limits.maxPendingRequestsPerPeer,
          maxPendingTotal: config.limits.maxPendingRequestsTotal,
        },
        promiseSecret: secret.secret.reveal(),
        tiers: config.lsps2.feeTiers,
        tokens: config.lsps2.getInfoTokens,
        store: sessions,
        node,
        lspCltvExpiryDelta: config.lsps2.lspCltvExpiryDeltaBlocks,
        clientTrustsLsp: config.lsps2.clientTrustsLsp,
        maxSessionsPerPeer: config.lsps2.maxSessionsPerPeer,
        // The buy path draws 15 bytes per buy (user_channel_id): in blocks (see pooledRandom).
        random: pooledRandom(random),
        onSessionCreated: (s) => index.put(s),
        liveSessions: (peer, now) => index.liveSessionCount(peer, now),
        onDispatched: (r) => countDispatch(metrics, r),
      });
      lsps5.service.register(dispatcher);

      const http = await listen(
        createHttpApp({
          metrics,
          health: {
            nodeStarted: () => !daemonRef.current?.isStopping,
            databaseReachable: () => db.ping(),
            // bitcoind: ready once the node's listeners stand at the backend's tip (the sandbox is always).
            ...(chain instanceof BitcoindRpcChain && {
              chainSynced: () => chain.status().synced && node.chainStatus().height === chain.status().tipHeight,
            }),
          },
          admin: {
            sessions,
            node: () => (daemonRef.current?.isStopping ? undefined : node),
            info: { network: config.network, version: SERVICE_VERSION, startedAt },
          },
          adminToken: config.adminToken,
          logger: logger.child({ component: 'http' }),
        }),
        config.http,
      );

      const daemon = new Daemon(
        config,
        logger,
        metrics,
        db,
        sessions,
        mailbox,
        chain,
        ownsChain,
        node,
        jit,
        dispatcher,
        http,
        lsps5.service,
      );
      daemonRef.current = daemon;
      daemon.cleanups.push(unsubscribeChain);
      // bLIP-55: a client's cooldowns reset once it has been online; queued notifications go on shutdown.
      daemon.cleanups.push(node.on('peerConnected', (ev) => lsps5.service.peerConnected(ev.peerNodeId)));
      daemon.cleanups.push(() => lsps5.delivery.stop());

      // LSPS0 requests arrive as BOLT 8 custom messages of type 37913 (bLIP-50).
      daemon.cleanups.push(
        node.on('customMessageReceived', (ev) => {
          if (ev.messageType !== LSPS0_MESSAGE_TYPE || !daemon.acceptingMessages) return;
          daemon.track(dispatcher.handleMessage(ev.peerNodeId, ev.payload));
        }),
      );
      const tickMs = opts.tickIntervalMs ?? DEFAULT_TICK_INTERVAL_MS;
      if (tickMs > 0) {
        const timer = setInterval(() => {
          daemon.track(jit.tick());
          daemon.track(lsps5.service.tick());
        }, tickMs);
        timer.unref();
        daemon.cleanups.push(() => clearInterval(timer));
      }

      logger.info('jitlsp started', {
        version: SERVICE_VERSION,
        nodeId: node.nodeId,
        address: node.address,
        network: config.network,
        chain: chain.kind,
        http: http.url,
        openSessions: index.openScids().length,
        trustModel: config.lsps2.trustModel,
      });
      return daemon;
    } catch (err) {
      for (const undo of cleanup.reverse()) await undo().catch(() => undefined);
      throw err;
    }
  }

  /**
   * Ordered shutdown; idempotent (a second call returns the first call's promise). Each stage runs even if
   * an earlier one failed; failures are logged.
   */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    const log = this.logger;
    const stage = async (name: string, fn: () => Promise<unknown> | unknown) => {
      try {
        await fn();
        log.debug('shutdown stage done', { stage: name });
      } catch (err) {
        log.error('shutdown stage failed', { stage: name, err });
      }
    };
    log.info('jitlsp stopping');
    // 1. stop accepting: HTTP, LSPS0 messages, node events into the runner, timers
    this.acceptingMessages = false;
    await stage('http', () => this.http.close());
    await stage('timers and subscriptions', () => this.cleanups.splice(0).forEach((c) => c()));
    await stage('jit runner', () => this.jit.stop());
    // 2. finish writes: requests and JIT work in flight
    await stage('in-flight work', async () => {
      while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
      await this.jit.idle();
    });
    // 3. close peers (and persist the ChannelManager)
    await stage('node', () => this.node.stop());
    // 4. close the database (waits for its own operations in flight)
    await stage('database', () => this.db.close());
    if (this.ownsChain) await stage('chain', () => this.chain.close());
    log.info('jitlsp stopped');
  }

  private track(p: Promise<void>): void {
    const tracked = p.catch((err: unknown) => this.logger.error('background work failed', { err }));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }
}

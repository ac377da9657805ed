/**
 * LightningNode: one LDK node (ChannelManager, ChainMonitor, KeysManager, OnionMessenger, PeerManager, router
 * and message router) assembled from `lightningdevkit` 0.1.0, driven by LDK's futures, talking BOLT 8 over
 * TCP, persisting to files, following a {@link ChainSource}.
 *
 * Event loop: LDK futures (`get_event_or_persistence_needed_future`, the OnionMessenger's and ChainMonitor's
 * `get_update_future`) and socket reads only *schedule* a pass (`kick`, one `setImmediate`); a pass drains the
 * three event sources into a queue (ldk-wasm-notes pitfall 3), persists the ChannelManager if needed, runs
 * `PeerManager.process_events`, and only then acts on the queued events, so LDK is never re-entered from its own
 * callbacks. With nothing happening there is no timer besides LDK's tick intervals: idle CPU stays near zero.
 */
import * as ldk from 'lightningdevkit';
import * as path from 'node:path';
import type { ChainBlock, ChainSource } from '../chain/types.js';
import { txidOf } from '../chain/txid.js';
import { blockHashBytes, connectBlock, connectBlockToMonitor } from './chain-sync.js';
import { defaultUserConfig, outboundChannelConfig } from './config.js';
import { CustomMessages, hasFeaturePair, LSPS0_FEATURE_BIT } from './custom-messages.js';
import { convertEvent, type InternalEvent } from './events.js';
import { hex, idBytes, parsePeerAddress, u128FromLdk } from './ids.js';
import { jsonLogger, ldkLogger } from './logger.js';
import { makeMonitorPersister } from './monitor-persister.js';
import { loadOrCreateSeed } from './seed.js';
import { FileStore } from './store.js';
import { TcpTransport } from './tcp.js';
import * as T from './types.js';
import { initLdk, markLdkActivity, retainPeriodicGc, wasmMemoryBytes } from './wasm.js';

const MANAGER_FILE = 'manager.bin';
const HELD_FILE = 'held-funding.json';

interface PersistentPeer {
  addr: T.PeerAddress;
  backoffMs: number;
  timer?: NodeJS.Timeout;
}

/** Text of an LDK result's error: an APIError-like object (with `.err` text) or an enum value. */
function errText(res: unknown, enumNames?: Record<number, string>): string {
  const e = (res as { err?: unknown }).err;
  if (typeof e === 'number') return enumNames?.[e] ?? String(e);
  if (e && typeof e === 'object') {
    const inner = (e as { err?: unknown }).err;
    return `${e.constructor?.name ?? 'error'}${typeof inner === 'string' ? `: ${inner}` : ''}`;
  }
  return String(e);
}

const randomBigint = (random: (n: number) => Uint8Array, bytes: number): bigint =>
  random(bytes).reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);

export class LightningNode implements T.LightningNodeApi {
  /** Start a node from `opts.dataDir` (seed created on first start, state restored if present). */
  static async start(opts: T.NodeOptions): Promise<LightningNode> {
    await initLdk();
    const node = new LightningNode(opts);
    try {
      await node.init();
    } catch (err) {
      await node.stop().catch(() => undefined);
      throw err;
    }
    return node;
  }

  nodeId: T.NodeIdHex = '';
  listenPort: number | undefined;

  private readonly chain: ChainSource;
  private readonly clock: () => Date;
  private readonly random: (n: number) => Uint8Array;
  private readonly logger: T.NodeLogger;
  private readonly name: string;
  private readonly store: FileStore;
  private readonly manualAccept: boolean;
  private readonly trusted: Set<string>;
  private readonly tcp: TcpTransport;
  private readonly listeners = new Set<T.EventListener>();
  /**
   * Durable events (NodeOptions.durableEvents) by content key: 'dispatched' while listeners work on it (LDK is
   * told to replay it), 'handled' once they finished (the next replay is acknowledged and LDK drops it).
   */
  private readonly durable = new Map<string, 'dispatched' | 'handled'>();
  private durableTypes!: ReadonlySet<T.NodeEventType>;
  /** The key of each queued durable event, until it is dispatched. */
  private readonly durableKeyOf = new WeakMap<object, string>();
  private readonly waiters = new Set<{ reject: (e: Error) => void; cleanup: () => void }>();
  private readonly connected = new Map<string, { inbound: boolean; initFeatures: Uint8Array }>();
  private readonly persistent = new Map<string, PersistentPeer>();
  private readonly held = new Map<string, T.HeldFunding>();
  private readonly queue: (T.NodeEvent | InternalEvent)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  // LDK objects, kept referenced for the node's lifetime (pitfall 11).
  private km!: ldk.KeysManager;
  private cm!: ldk.ChannelManager;
  private chainMonitor!: ldk.ChainMonitor;
  private om!: ldk.OnionMessenger;
  private pm!: ldk.PeerManager;
  private ldkLog!: ldk.Logger;
  private fees!: ldk.FeeEstimator;
  private broadcaster!: ldk.BroadcasterInterface;
  private persister!: ldk.Persist;
  private router!: ldk.Router;
  private messageRouter!: ldk.MessageRouter;
  private keepAlive: unknown[] = [];
  private customMessages!: CustomMessages;
  private eventHandler!: ldk.EventHandler;

  private syncedHeight = -1;
  private chainWork: Promise<void> = Promise.resolve();
  private unsubscribeChain: (() => void) | undefined;
  private kickScheduled = false;
  private armed = { cm: false, om: false, mon: false };
  /** The registered FutureCallbacks: LDK holds them until the future completes, so JS must too (else GC'd). */
  private readonly armedCallbacks: Record<'cm' | 'om' | 'mon', ldk.FutureCallback | undefined> = {
    cm: undefined,
    om: undefined,
    mon: undefined,
  };
  private forwardTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private started = false;
  private releaseGc: () => void = () => undefined;

  private constructor(private readonly opts: T.NodeOptions) {
    this.chain = opts.chain;
    this.clock = opts.clock ?? (() => new Date());
    this.random = opts.random ?? ((n: number) => crypto.getRandomValues(new Uint8Array(n)));
    this.name = opts.name ?? path.basename(opts.dataDir);
    this.logger = opts.logger ?? jsonLogger('info');
    this.store = new FileStore(opts.dataDir);
    this.trusted = new Set((opts.inboundChannels?.trustedZeroConfPeers ?? []).map((p) => p.toLowerCase()));
    this.manualAccept = !!opts.inboundChannels?.manualAccept || this.trusted.size > 0;
    this.tcp = new TcpTransport({
      peerManager: () => this.pm,
      kick: () => this.kick(),
      log: (level, msg, fields) => this.log(level, msg, fields),
    });
  }

  get address(): string | undefined {
    return this.listenPort === undefined
      ? undefined
      : `${this.nodeId}@${this.opts.listen?.host ?? '127.0.0.1'}:${this.listenPort}`;
  }

  private log(
    level: 'trace' | 'debug' | 'info' | 'warn' | 'error',
    msg: string,
    fields?: Record<string, unknown>,
  ): void {
    this.logger.log(level, msg, { node: this.name, ...fields });
  }

  // ---------------------------------------------------------------- start-up

  private async init(): Promise<void> {
    const opts = this.opts;
    const { seed, created } = loadOrCreateSeed(opts.seedFile ?? path.join(opts.dataDir, 'seed'), this.random);
    const nowMs = this.clock().getTime();
    this.km = ldk.KeysManager.constructor_new(seed, BigInt(Math.floor(nowMs / 1000)), (nowMs % 1000) * 1_000_000);
    seed.fill(0);
    this.ldkLog = ldkLogger(this.logger, opts.ldkLogLevel ?? 'warn', this.name);
    this.fees = ldk.FeeEstimator.new_impl({
      get_est_sat_per_1000_weight: (t: ldk.ConfirmationTarget) =>
        this.chain.feeRateSatPerKw(
          t === ldk.ConfirmationTarget.LDKConfirmationTarget_UrgentOnChainSweep
            ? 'urgent'
            : t === ldk.ConfirmationTarget.LDKConfirmationTarget_NonAnchorChannelFee ||
                t === ldk.ConfirmationTarget.LDKConfirmationTarget_ChannelCloseMinimum
              ? 'normal'
              : 'background',
        ),
    });
    this.broadcaster = ldk.BroadcasterInterface.new_impl({
      broadcast_transactions: (txs: Uint8Array[]) => this.onBroadcast(txs),
    });
    this.persister = makeMonitorPersister(this.store, (msg, fields) => this.log('error', msg, fields));
    this.chainMonitor = ldk.ChainMonitor.constructor_new(
      ldk.Option_FilterZ.constructor_none(),
      this.broadcaster,
      this.ldkLog,
      this.fees,
      this.persister,
    );

    const network = (
      {
        regtest: ldk.Network.LDKNetwork_Regtest,
        testnet: ldk.Network.LDKNetwork_Testnet,
        signet: ldk.Network.LDKNetwork_Signet,
        bitcoin: ldk.Network.LDKNetwork_Bitcoin,
      } as const
    )[this.chain.network];
    const graph = ldk.NetworkGraph.constructor_new(network, this.ldkLog);
    const scorer = ldk.ProbabilisticScorer.constructor_new(
      ldk.ProbabilisticScoringDecayParameters.constructor_default(),
      graph,
      this.ldkLog,
    );
    const score = ldk.MultiThreadedLockableScore.constructor_new(scorer.as_Score());
    const entropy = this.km.as_EntropySource();
    const defaultRouter = ldk.DefaultRouter.constructor_new(
      graph,
      this.ldkLog,
      entropy,
      score.as_LockableScore(),
      ldk.ProbabilisticScoringFeeParameters.constructor_default(),
    );
    const defaultMessageRouter = ldk.DefaultMessageRouter.constructor_new(graph, entropy);
    const ctx: T.RouterHookContext = {
      nodeId: (this.km.as_NodeSigner().get_node_id(ldk.Recipient.LDKRecipient_Node) as ldk.Result_PublicKeyNoneZ_OK)
        .res,
      defaultRouter: defaultRouter.as_Router(),
      defaultMessageRouter: defaultMessageRouter.as_MessageRouter(),
      keysManager: this.km,
      entropySource: entropy,
      nodeSigner: this.km.as_NodeSigner(),
      networkGraph: graph,
      bestHeight: () => this.syncedHeight,
      listChannels: () => this.listChannels(),
    };
    this.router = opts.routerHook ? opts.routerHook(ctx) : ctx.defaultRouter;
    this.messageRouter = opts.messageRouterHook ? opts.messageRouterHook(ctx) : ctx.defaultMessageRouter;
    this.keepAlive.push(graph, scorer, score, defaultRouter, defaultMessageRouter, ctx);

    const userConfig = defaultUserConfig(opts, this.manualAccept);
    const tip = await this.chain.tip();

    // Restore: monitors first, then the manager that references them (LDK's documented order).
    const monitors: ldk.ChannelMonitor[] = [];
    for (const file of this.store.list('monitors')) {
      const bytes = this.store.read(`monitors/${file}`);
      if (!bytes) continue;
      const res = ldk.UtilMethods.constructor_C2Tuple_ThirtyTwoBytesChannelMonitorZ_read(
        bytes,
        entropy,
        this.km.as_SignerProvider(),
      );
      if (!(res instanceof ldk.Result_C2Tuple_ThirtyTwoBytesChannelMonitorZDecodeErrorZ_OK)) {
        throw new Error(`Node/restore: monitors/${file} does not decode as a ChannelMonitor`);
      }
      monitors.push(res.res.get_b());
    }
    const managerBytes = this.store.read(MANAGER_FILE);
    if (managerBytes) {
      const res = ldk.UtilMethods.constructor_C2Tuple_ThirtyTwoBytesChannelManagerZ_read(
        managerBytes,
        entropy,
        this.km.as_NodeSigner(),
        this.km.as_SignerProvider(),
        this.fees,
        this.chainMonitor.as_Watch(),
        this.broadcaster,
        this.router,
        this.messageRouter,
        this.ldkLog,
        userConfig,
        monitors,
      );
      if (!(res instanceof ldk.Result_C2Tuple_ThirtyTwoBytesChannelManagerZDecodeErrorZ_OK)) {
        throw new Error(`Node/restore: ${MANAGER_FILE} does not decode as a ChannelManager (${errText(res)})`);
      }
      this.cm = res.res.get_b();
      // Bring every restored listener to the tip before the monitors are watched.
      for (const mon of monitors) {
        for (let h = mon.current_best_block().get_height() + 1; h <= tip.height; h++) {
          const b = await this.chain.blockAt(h);
          if (b) connectBlockToMonitor(mon, b, this.broadcaster, this.fees, this.ldkLog);
        }
      }
      const cmHeight = this.cm.current_best_block().get_height();
      for (let h = cmHeight + 1; h <= tip.height; h++) {
        const b = await this.chain.blockAt(h);
        if (b) connectBlock(this.cm.as_Confirm(), b);
      }
      for (const mon of monitors) {
        const res2 = this.chainMonitor.as_Watch().watch_channel(mon.get_funding_txo().get_a(), mon);
        if (!(res2 instanceof ldk.Result_ChannelMonitorUpdateStatusNoneZ_OK))
          throw new Error('Node/restore: watch_channel refused a monitor');
      }
      this.log('info', 'node restored', {
        channels: monitors.length,
        managerBytes: managerBytes.length,
        height: tip.height,
      });
    } else {
      if (monitors.length > 0)
        throw new Error('Node/restore: channel monitors exist but manager.bin is missing; refusing to start');
      const params = ldk.ChainParameters.constructor_new(
        network,
        ldk.BestBlock.constructor_new(blockHashBytes(tip.hash), tip.height),
      );
      this.cm = ldk.ChannelManager.constructor_new(
        this.fees,
        this.chainMonitor.as_Watch(),
        this.broadcaster,
        this.router,
        this.messageRouter,
        this.ldkLog,
        entropy,
        this.km.as_NodeSigner(),
        this.km.as_SignerProvider(),
        userConfig,
        params,
        Math.floor(nowMs / 1000),
      );
      this.persistManager();
    }
    this.syncedHeight = tip.height;
    this.nodeId = hex(this.cm.get_our_node_id());
    this.loadHeld();

    // Onion messages: the LSP's hook maps JIT SCIDs to clients before the ChannelManager's own lookup.
    const cmLookup = this.cm.as_NodeIdLookUp();
    const hook = opts.nodeIdLookup;
    const lookup = hook
      ? ldk.NodeIdLookUp.new_impl({
          next_node_id: (scid: bigint) => {
            const hit = hook(scid);
            return hit ? idBytes(hit, 33, 'nodeIdLookup result') : cmLookup.next_node_id(scid);
          },
        })
      : cmLookup;
    const omArgs = [
      entropy,
      this.km.as_NodeSigner(),
      this.ldkLog,
      lookup,
      this.messageRouter,
      this.cm.as_OffersMessageHandler(),
      this.cm.as_AsyncPaymentsMessageHandler(),
      this.cm.as_DNSResolverMessageHandler(),
      ldk.IgnoringMessageHandler.constructor_new().as_CustomOnionMessageHandler(),
    ] as const;
    this.om = opts.interceptOfflinePeerOnionMessages
      ? ldk.OnionMessenger.constructor_new_with_offline_peer_interception(...omArgs)
      : ldk.OnionMessenger.constructor_new(...omArgs);
    this.keepAlive.push(lookup, cmLookup, omArgs);

    this.customMessages = new CustomMessages(
      new Set([T.LSPS0_MESSAGE_TYPE]),
      {
        received: (peerNodeId, messageType, payload) =>
          this.enqueue({ type: 'customMessageReceived', peerNodeId, messageType, payload }),
        peerConnected: (peerNodeId, inbound, initFeatures) => {
          this.connected.set(peerNodeId, { inbound, initFeatures });
          const p = this.persistent.get(peerNodeId);
          if (p) p.backoffMs = this.backoff().min;
          this.enqueue({ type: 'peerConnected', peerNodeId, inbound });
        },
        peerDisconnected: (peerNodeId) => {
          this.connected.delete(peerNodeId);
          this.enqueue({ type: 'peerDisconnected', peerNodeId });
          this.scheduleReconnect(peerNodeId);
        },
      },
      !!opts.advertiseLsps0,
    );
    const ignorer = ldk.IgnoringMessageHandler.constructor_new();
    this.pm = ldk.PeerManager.constructor_new(
      this.cm.as_ChannelMessageHandler(),
      ignorer.as_RoutingMessageHandler(),
      this.om.as_OnionMessageHandler(),
      this.customMessages.handler,
      Math.floor(nowMs / 1000),
      this.random(32),
      this.ldkLog,
      this.km.as_NodeSigner(),
    );
    this.keepAlive.push(ignorer);
    this.durableTypes = new Set(opts.durableEvents ?? []);
    this.eventHandler = ldk.EventHandler.new_impl({
      handle_event: (ev: ldk.Event) => {
        try {
          const converted = convertEvent(ev);
          if (converted && this.durableTypes.has(converted.type as T.NodeEventType))
            return this.handleDurable(converted as T.NodeEvent);
          if (converted) this.queue.push(converted);
        } catch (err) {
          this.log('error', 'event conversion failed', { error: String(err) });
        }
        return ldk.Result_NoneReplayEventZ.constructor_ok();
      },
    });

    this.unsubscribeChain = this.chain.subscribe((b) => this.onBlock(b));
    this.onBlock(await this.chain.tip()); // blocks mined while starting

    if (opts.listen) this.listenPort = await this.tcp.listen(opts.listen.host ?? '127.0.0.1', opts.listen.port);
    this.interval(() => this.pm.timer_tick_occurred(), 10_000);
    this.interval(() => this.cm.timer_tick_occurred(), opts.managerTickIntervalMs ?? 60_000);
    this.releaseGc = retainPeriodicGc(opts.gcIntervalMs ?? 5_000);
    this.started = true;
    this.log('info', 'node started', {
      nodeId: this.nodeId,
      seedCreated: created,
      listen: this.address,
      chain: this.chain.kind,
      network: this.chain.network,
      height: tip.height,
    });
    for (const p of opts.peers ?? []) {
      const addr = parsePeerAddress(p);
      this.persistent.set(addr.nodeId, { addr, backoffMs: this.backoff().min });
      this.connect(addr).catch((err) =>
        this.log('warn', 'initial connect failed; retrying', { peer: addr.nodeId, error: String(err) }),
      );
    }
    this.kick();
  }

  private interval(fn: () => void, ms: number): void {
    const t = setInterval(() => {
      if (!this.stopped) {
        fn();
        this.kick();
      }
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  private backoff(): { min: number; max: number } {
    return this.opts.reconnectBackoffMs ?? { min: 250, max: 30_000 };
  }

  // ---------------------------------------------------------------- event loop

  /** Schedule one pass of the loop (coalesced; a real macrotask so finalizers and I/O get to run). */
  private kick(): void {
    if (this.kickScheduled || this.stopped || !this.pm) return;
    this.kickScheduled = true;
    setImmediate(() => {
      this.kickScheduled = false;
      if (!this.stopped) this.pass();
    });
  }

  private pass(): void {
    markLdkActivity();
    try {
      this.chainMonitor.as_EventsProvider().process_pending_events(this.eventHandler);
      // While a durable event's listeners work, LDK would only replay it (and wake us again at once: a busy
      // loop of ~600 passes a second was measured); their completion kicks the next pass instead.
      if (!this.durableInFlight()) this.cm.as_EventsProvider().process_pending_events(this.eventHandler);
      this.om.as_EventsProvider().process_pending_events(this.eventHandler);
      if (this.cm.get_and_clear_needs_persistence()) this.persistManager();
      this.pm.process_events();
    } catch (err) {
      this.log('error', 'event loop pass failed', { error: String(err) });
    }
    const batch = this.queue.splice(0);
    for (const ev of batch) this.dispatch(ev);
    this.arm();
  }

  /** Register one-shot callbacks on LDK's futures; each only schedules a pass. */
  private arm(): void {
    const register = (key: 'cm' | 'om' | 'mon', future: () => ldk.Future): void => {
      if (this.armed[key]) return;
      this.armed[key] = true;
      const cb = ldk.FutureCallback.new_impl({
        call: () => {
          this.armed[key] = false;
          // Leave LDK's stack first: a setImmediate scheduled from inside register_callback_fn (future already
          // complete) during an immediate was observed to wait for the next unrelated I/O before running.
          queueMicrotask(() => this.kick());
        },
      });
      this.armedCallbacks[key] = cb;
      future().register_callback_fn(cb);
    };
    register('cm', () => this.cm.get_event_or_persistence_needed_future());
    register('om', () => this.om.get_update_future());
    register('mon', () => this.chainMonitor.get_update_future());
  }

  private enqueue(ev: T.NodeEvent): void {
    this.queue.push(ev);
    this.kick();
  }

  private dispatch(ev: T.NodeEvent | InternalEvent): void {
    switch (ev.type) {
      case 'fundingGenerationReady':
        void this.fund(ev);
        return;
      case 'pendingHtlcsForwardable':
        if (this.forwardTimer) return;
        this.forwardTimer = setTimeout(() => {
          this.forwardTimer = undefined;
          if (this.stopped) return;
          this.cm.process_pending_htlc_forwards();
          this.kick();
        }, this.opts.forwardDelayMs ?? 0);
        return;
      case 'connectionNeeded': {
        const p = this.persistent.get(ev.nodeId);
        if (p && !this.connected.has(ev.nodeId)) this.connect(p.addr).catch(() => undefined);
        return;
      }
      case 'openChannelRequestRaw':
        this.onOpenChannelRequest(ev);
        return;
      case 'htlcIntercepted':
        this.emit(
          { ...ev, cltvExpiry: this.inboundHtlcExpiry(ev.paymentHash, ev.inboundAmountMsat) },
          this.durableKeyOf.get(ev),
        );
        return;
      default:
        this.emit(ev, this.durableKeyOf.get(ev));
    }
  }

  /**
   * A durable event (inside LDK's process_pending_events): dispatched the first time it is seen and replayed
   * (LDK keeps it, and the events after it) until its listeners finished, then acknowledged. LDK hands over
   * the same event content on every replay, so the content is its key.
   */
  private handleDurable(ev: T.NodeEvent): ldk.Result_NoneReplayEventZ {
    const key = eventKey(ev);
    const seen = this.durable.get(key);
    if (seen === 'handled') {
      this.durable.delete(key);
      return ldk.Result_NoneReplayEventZ.constructor_ok();
    }
    // Nobody to hand it to yet (the application subscribes after the node started): LDK keeps it.
    if (seen === undefined && this.listeners.size === 0)
      return ldk.Result_NoneReplayEventZ.constructor_err(ldk.ReplayEvent.constructor_new());
    if (seen === undefined) {
      this.durable.set(key, 'dispatched');
      this.durableKeyOf.set(ev, key);
      this.queue.push(ev);
    }
    return ldk.Result_NoneReplayEventZ.constructor_err(ldk.ReplayEvent.constructor_new());
  }

  private durableInFlight(): boolean {
    for (const v of this.durable.values()) if (v === 'dispatched') return true;
    return false;
  }

  /** Runs every listener; for a durable event (`key`), acknowledges it once their promises resolved. */
  private emit(ev: T.NodeEvent, key?: string): void {
    if (ev.type !== 'customMessageReceived' && ev.type !== 'onionMessageIntercepted')
      this.log('debug', 'event', { ...ev });
    const work: Promise<unknown>[] = [];
    for (const l of [...this.listeners]) {
      try {
        const r = l(ev);
        if (r instanceof Promise) work.push(r);
      } catch (err) {
        this.log('error', 'event listener threw', { event: ev.type, error: String(err) });
      }
    }
    if (key === undefined) return;
    Promise.all(work).then(
      () => {
        this.durable.set(key, 'handled');
        this.kick(); // LDK replays it: now acknowledged, and the events behind it come through
      },
      (err: unknown) => {
        // Not stored: deliver it again (LDK still holds it), after a pause rather than in a tight loop.
        this.log('error', 'durable event handling failed; retrying', { event: ev.type, error: String(err) });
        const t = setTimeout(() => {
          this.timers.delete(t);
          this.durable.delete(key);
          this.kick();
        }, 1000);
        this.timers.add(t);
      },
    );
  }

  private onOpenChannelRequest(ev: Extract<InternalEvent, { type: 'openChannelRequestRaw' }>): void {
    const req: T.OpenChannelRequest = {
      temporaryChannelId: ev.temporaryChannelId,
      counterpartyNodeId: ev.counterpartyNodeId,
      fundingSat: ev.fundingSat,
      pushMsat: ev.pushMsat,
    };
    let decision: T.InboundChannelDecision;
    try {
      decision =
        this.opts.inboundChannels?.decide?.(req) ??
        (this.trusted.has(req.counterpartyNodeId) ? 'accept-zero-conf' : 'accept');
    } catch (err) {
      this.log('warn', 'inbound channel policy threw; rejecting', { error: String(err) });
      decision = 'reject';
    }
    const tmp = ldk.ChannelId.constructor_new(idBytes(req.temporaryChannelId, 32, 'temporaryChannelId'));
    const peer = idBytes(req.counterpartyNodeId, 33, 'counterpartyNodeId');
    const userChannelId = randomBigint(this.random, 8);
    const res =
      decision === 'reject'
        ? this.cm.force_close_without_broadcasting_txn(tmp, peer, 'channel rejected by policy')
        : decision === 'accept-zero-conf'
          ? this.cm.accept_inbound_channel_from_trusted_peer_0conf(tmp, peer, userChannelId)
          : this.cm.accept_inbound_channel(tmp, peer, userChannelId);
    if (!res.is_ok()) this.log('warn', 'inbound channel decision failed', { decision, error: errText(res) });
    this.emit({ type: 'openChannelRequest', decision, ...req });
    this.kick();
  }

  private async fund(ev: Extract<InternalEvent, { type: 'fundingGenerationReady' }>): Promise<void> {
    const tmp = ldk.ChannelId.constructor_new(ev.temporaryChannelId);
    const peer = idBytes(ev.counterpartyNodeId, 33, 'counterpartyNodeId');
    try {
      const tx = await this.chain.fundTransaction(ev.outputScript, ev.valueSat);
      if (this.stopped) return;
      const txid = txidOf(tx);
      const temporaryChannelId = hex(ev.temporaryChannelId);
      const info = { counterpartyNodeId: ev.counterpartyNodeId, userChannelId: ev.userChannelId, temporaryChannelId };
      if (this.opts.holdFunding?.(info)) {
        this.held.set(txid, { txid, tx, ...info });
        this.saveHeld();
        this.emit({ type: 'fundingHeld', txid, ...info });
      }
      const res = this.cm.funding_transaction_generated(tmp, peer, tx);
      if (!res.is_ok()) this.log('warn', 'funding_transaction_generated failed', { error: errText(res) });
      else
        this.log('info', 'channel funded', {
          txid,
          valueSat: ev.valueSat,
          peer: ev.counterpartyNodeId,
          held: this.held.has(txid),
        });
    } catch (err) {
      this.log('error', 'funding failed; abandoning the channel', { error: String(err), peer: ev.counterpartyNodeId });
      if (!this.stopped) this.cm.force_close_without_broadcasting_txn(tmp, peer, 'funding failed');
    }
    this.kick();
  }

  private onBroadcast(txs: Uint8Array[]): void {
    for (const tx of txs) {
      let txid: string;
      try {
        txid = txidOf(tx);
      } catch (err) {
        this.log('warn', 'LDK asked to broadcast an undecodable transaction', { error: String(err) });
        continue;
      }
      if (this.held.has(txid)) continue; // bLIP-52 client_trusts_lsp: withheld until releaseFunding
      this.chain.broadcast(tx).catch((err) => this.log('warn', 'broadcast failed', { txid, error: String(err) }));
    }
  }

  private onBlock(b: { height: number }): void {
    const target = b.height;
    this.chainWork = this.chainWork
      .then(async () => {
        while (!this.stopped && this.syncedHeight < target) {
          const block: ChainBlock | undefined = await this.chain.blockAt(this.syncedHeight + 1);
          if (!block || this.stopped) return;
          connectBlock(this.chainMonitor.as_Confirm(), block);
          connectBlock(this.cm.as_Confirm(), block);
          this.syncedHeight = block.height;
        }
        this.kick();
      })
      .catch((err) => this.log('error', 'block sync failed', { error: String(err) }));
  }

  private persistManager(): void {
    this.store.writeAtomic(MANAGER_FILE, this.cm.write());
  }

  private loadHeld(): void {
    const bytes = this.store.read(HELD_FILE);
    if (!bytes) return;
    const list = JSON.parse(new TextDecoder().decode(bytes)) as {
      txid: string;
      txHex: string;
      counterpartyNodeId: string;
      userChannelId: string;
      temporaryChannelId: string;
    }[];
    for (const h of list) {
      this.held.set(h.txid, {
        txid: h.txid,
        tx: idBytes(h.txHex, h.txHex.length / 2, 'held tx'),
        counterpartyNodeId: h.counterpartyNodeId,
        userChannelId: BigInt(h.userChannelId),
        temporaryChannelId: h.temporaryChannelId,
      });
    }
  }

  private saveHeld(): void {
    const list = [...this.held.values()].map((h) => ({
      txid: h.txid,
      txHex: hex(h.tx),
      counterpartyNodeId: h.counterpartyNodeId,
      userChannelId: h.userChannelId.toString(),
      temporaryChannelId: h.temporaryChannelId,
    }));
    this.store.writeAtomic(HELD_FILE, JSON.stringify(list));
  }

  // ---------------------------------------------------------------- events API

  onEvent(handler: T.EventListener): () => void {
    this.listeners.add(handler);
    if (this.durableTypes?.size) this.kick(); // durable events LDK kept for a first listener
    return () => this.listeners.delete(handler);
  }

  on<K extends T.NodeEventType>(type: K, handler: (ev: T.NodeEventOf<K>) => unknown): () => void {
    return this.onEvent((ev) => (ev.type === type ? handler(ev as T.NodeEventOf<K>) : undefined));
  }

  waitFor<K extends T.NodeEventType>(
    type: K,
    pred?: (ev: T.NodeEventOf<K>) => boolean,
    timeoutMs = 30_000,
  ): Promise<T.NodeEventOf<K>> {
    return new Promise((resolve, reject) => {
      const waiter = {
        reject: (e: Error) => {
          waiter.cleanup();
          reject(e);
        },
        cleanup: () => {
          clearTimeout(timer);
          off();
          this.waiters.delete(waiter);
        },
      };
      const timer = setTimeout(
        () => waiter.reject(new Error(`Node/waitFor: no ${type} event within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const off = this.on(type, (ev) => {
        if (pred && !pred(ev)) return;
        waiter.cleanup();
        resolve(ev);
      });
      this.waiters.add(waiter);
    });
  }

  // ---------------------------------------------------------------- peers

  async connect(peer: T.PeerAddress | string, opts: { persistent?: boolean } = {}): Promise<void> {
    this.assertRunning();
    const addr = parsePeerAddress(peer);
    if (opts.persistent ?? true) {
      const p = this.persistent.get(addr.nodeId);
      if (p) p.addr = addr;
      else this.persistent.set(addr.nodeId, { addr, backoffMs: this.backoff().min });
    }
    if (this.connected.has(addr.nodeId)) return;
    const ready = this.waitFor('peerConnected', (e) => e.peerNodeId === addr.nodeId, 10_000);
    try {
      await this.tcp.connect(idBytes(addr.nodeId, 33, 'peer.nodeId'), addr.host, addr.port);
      this.kick();
      await ready;
    } catch (err) {
      ready.catch(() => undefined);
      this.scheduleReconnect(addr.nodeId);
      throw err;
    }
  }

  private scheduleReconnect(nodeId: string): void {
    const p = this.persistent.get(nodeId);
    if (!p || p.timer || this.stopped || this.connected.has(nodeId)) return;
    const delay = p.backoffMs;
    p.backoffMs = Math.min(p.backoffMs * 2, this.backoff().max);
    p.timer = setTimeout(() => {
      p.timer = undefined;
      this.timers.delete(t);
      if (this.stopped || this.connected.has(nodeId) || this.persistent.get(nodeId) !== p) return;
      this.log('debug', 'reconnecting', { peer: nodeId, delayMs: delay });
      this.connect(p.addr).catch((err) => this.log('debug', 'reconnect failed', { peer: nodeId, error: String(err) }));
    }, delay);
    const t = p.timer;
    this.timers.add(t);
  }

  disconnect(peer: T.IdInput): void {
    const id = hex(idBytes(peer, 33, 'peer'));
    const p = this.persistent.get(id);
    if (p?.timer) clearTimeout(p.timer);
    this.persistent.delete(id);
    this.pm.disconnect_by_node_id(idBytes(id, 33, 'peer'));
    this.kick();
  }

  listPeers(): T.PeerInfo[] {
    return [...this.connected.entries()].map(([nodeId, p]) => ({
      nodeId,
      inbound: p.inbound,
      initFeatures: Uint8Array.from(p.initFeatures),
      supportsLsps0: hasFeaturePair(p.initFeatures, LSPS0_FEATURE_BIT),
    }));
  }

  sendCustomMessage(peer: T.IdInput, payload: Uint8Array, messageType = T.LSPS0_MESSAGE_TYPE): void {
    this.assertRunning();
    const id = idBytes(peer, 33, 'peer');
    if (!this.connected.has(hex(id))) throw new Error(`Node/sendCustomMessage: peer ${hex(id)} is not connected`);
    if (!Number.isInteger(messageType) || messageType < 32768 || messageType > 65535) {
      throw new RangeError(
        `Node/sendCustomMessage.messageType: expected 32768..65535 (BOLT 1 custom range), got ${messageType}`,
      );
    }
    if (payload.length > 65531)
      throw new RangeError(`Node/sendCustomMessage.payload: expected <= 65531 bytes (BOLT 8), got ${payload.length}`);
    this.customMessages.enqueue(id, messageType, payload);
    this.kick();
  }

  // ---------------------------------------------------------------- channels and payments

  getInterceptScid(): bigint {
    this.assertRunning();
    return this.cm.get_intercept_scid();
  }

  async openChannel(o: T.OpenChannelOptions): Promise<{ temporaryChannelId: T.Hex32; userChannelId: bigint }> {
    this.assertRunning();
    const peer = idBytes(o.peer, 33, 'openChannel.peer');
    if (o.capacitySat <= 0n) throw new RangeError(`Node/openChannel.capacitySat: expected > 0, got ${o.capacitySat}`);
    const userChannelId = o.userChannelId ?? randomBigint(this.random, 8);
    const cfg = outboundChannelConfig(this.opts, this.manualAccept, o);
    const res = this.cm.create_channel(peer, o.capacitySat, o.pushMsat ?? 0n, userChannelId, null, cfg);
    if (!(res instanceof ldk.Result_ChannelIdAPIErrorZ_OK)) throw new Error(`Node/openChannel: ${errText(res)}`);
    this.kick();
    return { temporaryChannelId: hex(res.res.get_a()), userChannelId };
  }

  acceptInboundChannel(
    temporaryChannelId: T.IdInput,
    peer: T.IdInput,
    zeroConf: boolean,
    userChannelId?: bigint,
  ): void {
    this.assertRunning();
    const tmp = ldk.ChannelId.constructor_new(idBytes(temporaryChannelId, 32, 'temporaryChannelId'));
    const p = idBytes(peer, 33, 'peer');
    const uid = userChannelId ?? randomBigint(this.random, 8);
    const res = zeroConf
      ? this.cm.accept_inbound_channel_from_trusted_peer_0conf(tmp, p, uid)
      : this.cm.accept_inbound_channel(tmp, p, uid);
    if (!res.is_ok()) throw new Error(`Node/acceptInboundChannel: ${errText(res)}`);
    this.kick();
  }

  forwardInterceptedHtlc(
    interceptId: T.IdInput,
    channelId: T.IdInput,
    peer: T.IdInput,
    amountToForwardMsat: bigint,
  ): void {
    this.assertRunning();
    const res = this.cm.forward_intercepted_htlc(
      idBytes(interceptId, 32, 'interceptId'),
      ldk.ChannelId.constructor_new(idBytes(channelId, 32, 'channelId')),
      idBytes(peer, 33, 'peer'),
      amountToForwardMsat,
    );
    if (!res.is_ok()) throw new Error(`Node/forwardInterceptedHtlc: ${errText(res)}`);
    this.kick();
  }

  failInterceptedHtlc(interceptId: T.IdInput): void {
    this.assertRunning();
    const res = this.cm.fail_intercepted_htlc(idBytes(interceptId, 32, 'interceptId'));
    if (!res.is_ok()) throw new Error(`Node/failInterceptedHtlc: ${errText(res)}`);
    this.kick();
  }

  forwardOnionMessage(message: Uint8Array, peer: T.IdInput): void {
    this.assertRunning();
    const decoded = ldk.OnionMessage.constructor_read(message);
    if (!(decoded instanceof ldk.Result_OnionMessageDecodeErrorZ_OK))
      throw new TypeError('Node/forwardOnionMessage.message: expected a serialized onion_message (BOLT 4)');
    const res = this.om.forward_onion_message(decoded.res, idBytes(peer, 33, 'peer'));
    if (!res.is_ok()) throw new Error(`Node/forwardOnionMessage: ${errText(res)}`);
    this.kick();
  }

  /**
   * The CLTV expiry of an intercepted HTLC, from the pending inbound HTLCs of every channel (an intercepted
   * HTLC is irrevocably committed on its inbound channel). Matched by payment hash and inbound amount; several
   * matches (equal MPP parts) give the earliest expiry, the safe side for a deadline.
   */
  private inboundHtlcExpiry(paymentHash: string, amountMsat: bigint): number | null {
    let best: number | null = null;
    for (const c of this.cm.list_channels()) {
      for (const h of pendingHtlcs(c)) {
        if (h.direction !== 'inbound' || h.amountMsat !== amountMsat || h.paymentHash !== paymentHash) continue;
        if (best === null || h.cltvExpiry < best) best = h.cltvExpiry;
      }
    }
    return best;
  }

  listChannels(): T.ChannelInfo[] {
    const opt64 = (o: ldk.Option_u64Z): bigint | undefined => (o instanceof ldk.Option_u64Z_Some ? o.some : undefined);
    return this.cm.list_channels().map((c) => {
      const txo = c.get_funding_txo();
      const conf = c.get_confirmations();
      return {
        channelId: hex(c.get_channel_id().get_a()),
        userChannelId: u128FromLdk(c.get_user_channel_id()),
        counterpartyNodeId: hex(c.get_counterparty().get_node_id()),
        capacitySat: c.get_channel_value_satoshis(),
        outboundCapacityMsat: c.get_outbound_capacity_msat(),
        inboundCapacityMsat: c.get_inbound_capacity_msat(),
        isOutbound: Boolean(c.get_is_outbound()),
        isReady: Boolean(c.get_is_channel_ready()),
        isUsable: Boolean(c.get_is_usable()),
        isAnnounced: Boolean(c.get_is_announced()),
        scidPrivacy: Boolean(c.get_channel_type()?.supports_scid_privacy()),
        shortChannelId: opt64(c.get_short_channel_id()),
        inboundPaymentScid: opt64(c.get_inbound_payment_scid()),
        outboundPaymentScid: opt64(c.get_outbound_payment_scid()),
        fundingTxid: txo ? hex(Uint8Array.from(txo.get_txid()).reverse()) : undefined,
        confirmations: conf instanceof ldk.Option_u32Z_Some ? conf.some : undefined,
        pendingHtlcs: pendingHtlcs(c),
      };
    });
  }

  closeChannel(channelId: T.IdInput, peer: T.IdInput, opts: { force?: boolean } = {}): void {
    this.assertRunning();
    const cid = ldk.ChannelId.constructor_new(idBytes(channelId, 32, 'channelId'));
    const p = idBytes(peer, 33, 'peer');
    const res = opts.force
      ? this.cm.force_close_broadcasting_latest_txn(cid, p, 'closed by operator')
      : this.cm.close_channel(cid, p);
    if (!res.is_ok()) throw new Error(`Node/closeChannel: ${errText(res)}`);
    this.kick();
  }

  async releaseFunding(txid: T.IdInput): Promise<boolean> {
    const id = typeof txid === 'string' ? txid.toLowerCase() : hex(txid);
    const h = this.held.get(id);
    if (!h) return false;
    this.held.delete(id);
    this.saveHeld();
    await this.chain.broadcast(h.tx);
    this.log('info', 'held funding released', { txid: id });
    return true;
  }

  claimFunds(preimage: T.IdInput): void {
    this.assertRunning();
    this.cm.claim_funds(idBytes(preimage, 32, 'preimage'));
    this.kick();
  }

  createOffer(opts: { absoluteExpirySecs?: bigint } = {}): { offer: string; offerId: T.Hex32 } {
    this.assertRunning();
    const expiry =
      opts.absoluteExpirySecs === undefined
        ? ldk.Option_u64Z.constructor_none()
        : ldk.Option_u64Z.constructor_some(opts.absoluteExpirySecs);
    const builder = this.cm.create_offer_builder(expiry);
    if (!(builder instanceof ldk.Result_OfferWithDerivedMetadataBuilderBolt12SemanticErrorZ_OK)) {
      throw new Error(
        `Node/createOffer: ${errText(builder, ldk.Bolt12SemanticError as unknown as Record<number, string>)}`,
      );
    }
    const built = builder.res.build();
    if (!(built instanceof ldk.Result_OfferBolt12SemanticErrorZ_OK)) {
      throw new Error(
        `Node/createOffer: ${errText(built, ldk.Bolt12SemanticError as unknown as Record<number, string>)}`,
      );
    }
    return { offer: built.res.to_str(), offerId: hex(built.res.id().get_a()) };
  }

  payOffer(offer: string, amountMsat: bigint, opts: { paymentId?: T.IdInput; retries?: number } = {}): T.Hex32 {
    this.assertRunning();
    const parsed = ldk.Offer.constructor_from_str(offer);
    if (!(parsed instanceof ldk.Result_OfferBolt12ParseErrorZ_OK))
      throw new TypeError('Node/payOffer.offer: expected a BOLT 12 offer (lno1...)');
    if (amountMsat <= 0n) throw new RangeError(`Node/payOffer.amountMsat: expected > 0, got ${amountMsat}`);
    const paymentId = opts.paymentId === undefined ? this.random(32) : idBytes(opts.paymentId, 32, 'paymentId');
    const res = this.cm.pay_for_offer(
      parsed.res,
      ldk.Option_u64Z.constructor_none(),
      ldk.Option_u64Z.constructor_some(amountMsat),
      ldk.Option_StrZ.constructor_none(),
      paymentId,
      ldk.Retry.constructor_attempts(opts.retries ?? 3),
      ldk.Option_u64Z.constructor_none(),
    );
    if (!res.is_ok())
      throw new Error(`Node/payOffer: ${errText(res, ldk.Bolt12SemanticError as unknown as Record<number, string>)}`);
    this.kick();
    return hex(paymentId);
  }

  memoryStats(): T.MemoryStats {
    return { wasmBytes: wasmMemoryBytes(), rssBytes: process.memoryUsage.rss() };
  }

  private assertRunning(): void {
    if (this.stopped || !this.started) throw new Error(`Node/${this.name}: not running`);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.releaseGc();
    this.unsubscribeChain?.();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const p of this.persistent.values()) if (p.timer) clearTimeout(p.timer);
    if (this.forwardTimer) clearTimeout(this.forwardTimer);
    await this.chainWork;
    if (this.pm) this.pm.disconnect_all_peers();
    await this.tcp.close();
    if (this.cm) {
      try {
        this.persistManager();
      } catch (err) {
        this.log('error', 'final manager write failed', { error: String(err) });
      }
    }
    for (const w of [...this.waiters]) w.reject(new Error(`Node/${this.name}: stopped`));
    this.listeners.clear();
    this.log('info', 'node stopped', { nodeId: this.nodeId });
  }
}

/** A channel's unresolved HTLCs, both directions. */
function pendingHtlcs(c: ldk.ChannelDetails): T.PendingHtlc[] {
  const of = (
    direction: T.PendingHtlc['direction'],
    h: ldk.InboundHTLCDetails | ldk.OutboundHTLCDetails,
  ): T.PendingHtlc => ({
    direction,
    paymentHash: hex(h.get_payment_hash()),
    amountMsat: h.get_amount_msat(),
    cltvExpiry: h.get_cltv_expiry(),
  });
  return [
    ...c.get_pending_inbound_htlcs().map((h) => of('inbound', h)),
    ...c.get_pending_outbound_htlcs().map((h) => of('outbound', h)),
  ];
}

/** A durable event's identity: its whole content (LDK replays an event unchanged). */
function eventKey(ev: T.NodeEvent): string {
  return JSON.stringify(ev, (_k, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? hex(v) : v,
  );
}

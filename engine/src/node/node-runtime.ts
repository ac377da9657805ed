/**
 * The running part of a {@link LightningNode}: the parts it is made of (assembly.ts builds the LDK objects,
 * event-loop.ts drives them, event-router.ts routes their events), its start, the event API and an ordered
 * stop. The commands are the facade's, in node.ts.
 */
import type * as ldk from 'lightningdevkit';
import type { Logger } from '@jitlsp/shared/log';
import * as path from 'node:path';
import { toHex } from '@jitlsp/shared/crypto';
import { assembleNode, MANAGER_FILE, type LdkObjects } from './assembly.js';
import { FollowerChainSync, type ChainSync } from './chain-sync.js';
import { DurableEvents } from './durable-events.js';
import { EventLoop, type EventLoopHost } from './event-loop.js';
import { EventRouter } from './event-router.js';
import { Timers, type NodeContext } from './context.js';
import { Funding } from './funding.js';
import { InboundChannelPolicy } from './inbound-channels.js';
import { Listeners } from './listeners.js';
import { jsonLogger } from './logger.js';
import { Peers } from './peers.js';
import { FileStore } from './store.js';
import { isOnchainWallet } from '../chain/types.js';
import { TcpTransport } from './tcp.js';
import * as T from './types.js';
import { retainPeriodicGc } from './wasm.js';
import type { LightningNode } from './node.js';

export abstract class NodeRuntime {
  nodeId: T.NodeIdHex = '';
  listenPort: number | undefined;

  protected readonly ctx: NodeContext;
  protected readonly logger: Logger;
  protected readonly name: string;
  protected readonly tcp: TcpTransport;
  protected readonly listeners: Listeners;
  protected readonly durable: DurableEvents;
  protected readonly loop: EventLoop;
  protected readonly inbound: InboundChannelPolicy;
  protected readonly funding: Funding;
  protected readonly peers: Peers;
  protected readonly router: EventRouter;
  protected readonly timers = new Timers();
  /** The LDK objects, kept referenced for the node's lifetime (set by `init`). */
  protected ldkObjects: LdkObjects | undefined;
  protected sync: ChainSync | undefined;
  protected unsubscribeChain: (() => void) | undefined;
  protected stopped = false;
  protected started = false;
  protected releaseGc: () => void = () => undefined;

  protected constructor(protected readonly opts: T.NodeOptions) {
    this.name = opts.name ?? path.basename(opts.dataDir);
    this.logger = opts.logger ?? jsonLogger('info');
    const ctx: NodeContext = (this.ctx = {
      chain: opts.chain,
      wallet: opts.wallet ?? (isOnchainWallet(opts.chain) ? opts.chain : undefined),
      store: new FileStore(opts.dataDir),
      random: opts.random ?? ((n: number) => crypto.getRandomValues(new Uint8Array(n))),
      isStopped: () => this.stopped,
      kick: () => this.loop.kick(),
      later: (fn, ms) => this.timers.later(fn, ms),
      log: (level, msg, fields) => this.logger.log(level, msg, { node: this.name, ...fields }),
    });
    this.tcp = new TcpTransport({ peerManager: () => this.parts.pm, kick: ctx.kick, log: ctx.log });
    this.listeners = new Listeners(ctx.log);
    this.durable = new DurableEvents(opts.durableEvents ?? [], ctx, {
      hasListeners: () => this.listeners.size > 0,
      queue: (ev) => this.loop.push(ev),
    });
    const persistManager = (): void => this.persistManager();
    const dispatch = (ev: Parameters<EventLoopHost['dispatch']>[0]): void => this.router.dispatch(ev);
    this.loop = new EventLoop(
      ctx,
      { persistManager, dispatch, forwardDelayMs: opts.forwardDelayMs ?? 0 },
      this.durable,
    );
    this.inbound = new InboundChannelPolicy(opts.inboundChannels, ctx);
    this.funding = new Funding(ctx, opts.holdFunding, (ev) => this.router.emit(ev));
    this.peers = new Peers(ctx, {
      tcp: this.tcp,
      backoff: opts.reconnectBackoffMs ?? { min: 250, max: 30_000 },
      waitConnected: (id, ms) => this.waitFor('peerConnected', (e) => e.peerNodeId === id, ms),
      disconnectByNodeId: (id) => this.parts.pm.disconnect_by_node_id(id),
    });
    const { funding, peers, inbound, durable, listeners } = this;
    this.router = new EventRouter({ ctx, cm: () => this.parts.cm, funding, peers, inbound, durable, listeners });
  }

  get address(): string | undefined {
    return this.listenPort === undefined
      ? undefined
      : `${this.nodeId}@${this.opts.listen?.host ?? '127.0.0.1'}:${this.listenPort}`;
  }

  /** The LDK objects; only valid once assembled. */
  protected get parts(): LdkObjects {
    return this.ldkObjects!;
  }

  protected async init(): Promise<void> {
    const opts = this.opts;
    const parts = await assembleNode({
      opts,
      chain: this.ctx.chain,
      store: this.ctx.store,
      logger: this.logger,
      name: this.name,
      random: this.ctx.random,
      nowMs: (opts.clock ?? (() => new Date()))().getTime(),
      manualAccept: this.inbound.manualAccept,
      broadcast: (txs) => this.funding.broadcast(txs),
      customMessageSink: this.peers.sink((ev) => this.loop.enqueue(ev)),
      onionSink: (ev) => this.loop.enqueue(ev),
      bestHeight: () => this.sync?.height ?? -1,
      listChannels: () => this.listChannels(),
      log: this.ctx.log,
      kick: () => this.ctx.kick(),
    });
    this.ldkObjects = parts;
    this.nodeId = toHex(parts.cm.get_our_node_id());
    this.funding.load();
    this.loop.attach(parts);
    const confirmListeners = [parts.chainMonitor.as_Confirm(), parts.cm.as_Confirm()];
    this.sync = new FollowerChainSync(this.ctx, confirmListeners, () => parts.cm.current_best_block(), this.name);
    this.unsubscribeChain = this.ctx.chain.subscribe((b) => this.sync!.tipChanged(b));
    this.sync.tipChanged(await this.ctx.chain.tip()); // blocks mined while starting

    if (opts.listen) this.listenPort = await this.tcp.listen(opts.listen.host ?? '127.0.0.1', opts.listen.port);
    this.every(() => parts.pm.timer_tick_occurred(), 10_000);
    this.every(() => parts.cm.timer_tick_occurred(), opts.managerTickIntervalMs ?? 60_000);
    this.releaseGc = retainPeriodicGc(opts.gcIntervalMs ?? 5_000);
    this.started = true;
    this.ctx.log('info', 'node started', {
      nodeId: this.nodeId,
      seedCreated: parts.seedCreated,
      listen: this.address,
      chain: this.ctx.chain.kind,
      network: this.ctx.chain.network,
      height: parts.tipHeight,
    });
    this.peers.keepConnected(opts.peers ?? []);
    this.ctx.kick();
  }

  /** Runs an LDK timer and a pass after it, every `ms`. */
  protected every(fn: () => void, ms: number): void {
    this.timers.every(() => {
      if (this.stopped) return;
      fn();
      this.ctx.kick();
    }, ms);
  }

  protected persistManager(): void {
    this.ctx.store.writeAtomic(MANAGER_FILE, this.parts.cm.write());
  }

  // ---------------------------------------------------------------- events

  onEvent(handler: T.EventListener): () => void {
    const off = this.listeners.add(handler);
    if (this.durable.enabled) this.ctx.kick(); // durable events LDK kept for a first listener
    return off;
  }

  on<K extends T.NodeEventType>(type: K, handler: (ev: T.NodeEventOf<K>) => unknown): () => void {
    return this.onEvent((ev) => (ev.type === type ? handler(ev as T.NodeEventOf<K>) : undefined));
  }

  waitFor<K extends T.NodeEventType>(
    type: K,
    pred?: (ev: T.NodeEventOf<K>) => boolean,
    timeoutMs = 30_000,
  ): Promise<T.NodeEventOf<K>> {
    return this.listeners.waitFor(type, pred, timeoutMs);
  }

  /** Runs one command against the ChannelManager, then schedules a pass so LDK sends what it queued. */
  protected command<R>(fn: (cm: ldk.ChannelManager) => R): R {
    this.assertRunning();
    const r = fn(this.parts.cm);
    this.ctx.kick();
    return r;
  }

  protected assertRunning(): void {
    if (this.stopped || !this.started) throw new Error(`Node/${this.name}: not running`);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.releaseGc();
    this.unsubscribeChain?.();
    this.timers.clear();
    this.peers.stop();
    this.loop.stop();
    await this.sync?.stop();
    if (this.ldkObjects) this.ldkObjects.pm.disconnect_all_peers();
    await this.tcp.close();
    await this.ldkObjects?.monitors?.close();
    if (this.ldkObjects) {
      try {
        this.persistManager();
      } catch (err) {
        this.ctx.log('error', 'final manager write failed', { error: String(err) });
      }
    }
    this.listeners.close(new Error(`Node/${this.name}: stopped`));
    this.ctx.log('info', 'node stopped', { nodeId: this.nodeId });
  }

  abstract listChannels(): T.ChannelInfo[];
}

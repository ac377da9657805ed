/**
 * LightningNode: one LDK node (`lightningdevkit` 0.1.0) talking BOLT 8 over TCP, persisting to files,
 * following a {@link ChainSource}. A facade: assembly.ts builds and restores the LDK objects; event-loop.ts
 * drives them; durable-events.ts replays events until handled; inbound-channels.ts, funding.ts, peers.ts and
 * chain-sync.ts do one job each; channels.ts, payments.ts, onion-messages.ts hold the commands.
 */
import * as ldk from 'lightningdevkit';
import type { Logger } from '@jitlsp/shared/log';
import * as path from 'node:path';
import { toHex } from '@jitlsp/shared/crypto';
import { assembleNode, MANAGER_FILE, type LdkObjects } from './assembly.js';
import { FollowerChainSync, type ChainSync } from './chain-sync.js';
import * as channels from './channels.js';
import { DurableEvents } from './durable-events.js';
import { EventLoop, type EventLoopHost } from './event-loop.js';
import { Timers, type NodeContext } from './context.js';
import { Funding } from './funding.js';
import { idBytes, randomBigint } from './ids.js';
import { InboundChannelPolicy } from './inbound-channels.js';
import { Listeners } from './listeners.js';
import { jsonLogger } from './logger.js';
import { channelInfo, inboundHtlcExpiry } from './mappers.js';
import { forwardOnionMessage } from './onion-messages.js';
import * as offers from './offers-commands.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import * as payments from './payments.js';
import { Peers } from './peers.js';
import { FileStore } from './store.js';
import { isOnchainWallet } from '../chain/types.js';
import { TcpTransport } from './tcp.js';
import * as T from './types.js';
import type { LightningNodeApi } from './api.js';
import { initLdk, retainPeriodicGc, wasmMemoryBytes } from './wasm.js';

export class LightningNode implements LightningNodeApi {
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

  private readonly ctx: NodeContext;
  private readonly logger: Logger;
  private readonly name: string;
  private readonly tcp: TcpTransport;
  private readonly listeners: Listeners;
  private readonly durable: DurableEvents;
  private readonly loop: EventLoop;
  private readonly inbound: InboundChannelPolicy;
  private readonly funding: Funding;
  private readonly peers: Peers;
  private readonly timers = new Timers();
  /** The LDK objects, kept referenced for the node's lifetime (set by `init`). */
  private ldkObjects: LdkObjects | undefined;
  private sync: ChainSync | undefined;
  private unsubscribeChain: (() => void) | undefined;
  private stopped = false;
  private started = false;
  private releaseGc: () => void = () => undefined;

  private constructor(private readonly opts: T.NodeOptions) {
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
    const dispatch = (ev: Parameters<EventLoopHost['dispatch']>[0]): void => this.dispatch(ev);
    this.loop = new EventLoop(
      ctx,
      { persistManager, dispatch, forwardDelayMs: opts.forwardDelayMs ?? 0 },
      this.durable,
    );
    this.inbound = new InboundChannelPolicy(opts.inboundChannels, ctx);
    this.funding = new Funding(ctx, opts.holdFunding, (ev) => this.emit(ev));
    this.peers = new Peers(ctx, {
      tcp: this.tcp,
      backoff: opts.reconnectBackoffMs ?? { min: 250, max: 30_000 },
      waitConnected: (id, ms) => this.waitFor('peerConnected', (e) => e.peerNodeId === id, ms),
      disconnectByNodeId: (id) => this.parts.pm.disconnect_by_node_id(id),
    });
  }

  get address(): string | undefined {
    return this.listenPort === undefined
      ? undefined
      : `${this.nodeId}@${this.opts.listen?.host ?? '127.0.0.1'}:${this.listenPort}`;
  }

  /** The LDK objects; only valid once assembled. */
  private get parts(): LdkObjects {
    return this.ldkObjects!;
  }

  private async init(): Promise<void> {
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
  private every(fn: () => void, ms: number): void {
    this.timers.every(() => {
      if (this.stopped) return;
      fn();
      this.ctx.kick();
    }, ms);
  }

  private persistManager(): void {
    this.ctx.store.writeAtomic(MANAGER_FILE, this.parts.cm.write());
  }

  /** Acts on one event after LDK returned: engine-internal work, or the listeners. */
  private dispatch(ev: Parameters<EventLoopHost['dispatch']>[0]): void {
    switch (ev.type) {
      case 'fundingGenerationReady':
        void this.funding.fund(this.parts.cm, ev);
        return;
      case 'connectionNeeded':
        this.peers.connectionNeeded(ev.nodeId);
        return;
      case 'openChannelRequestRaw':
        this.emit(this.inbound.apply(this.parts.cm, ev));
        this.ctx.kick();
        return;
      case 'htlcIntercepted': {
        const expiry = inboundHtlcExpiry(this.parts.cm.list_channels(), ev.paymentHash, ev.inboundAmountMsat);
        this.emit({ ...ev, cltvExpiry: expiry }, this.durable.keyFor(ev));
        return;
      }
      default:
        this.emit(ev, this.durable.keyFor(ev));
    }
  }

  /** Runs every listener; for a durable event (`key`), acknowledges it once their promises resolved. */
  private emit(ev: T.NodeEvent, key?: string): void {
    const work = this.listeners.emit(ev);
    if (key !== undefined) this.durable.settle(key, ev.type, work);
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

  // ---------------------------------------------------------------- peers and messages

  async connect(peer: T.PeerAddress | string, opts: { persistent?: boolean } = {}): Promise<void> {
    this.assertRunning();
    await this.peers.connect(peer, opts);
  }

  disconnect(peer: T.IdInput): void {
    this.peers.disconnect(peer);
  }

  listPeers(): T.PeerInfo[] {
    return this.peers.list();
  }

  /**
   * bLIP-50 `LSPS0.ln_signature` of `message` by this node's key (LND `signmessage`, LDK's
   * `UtilMethods.constructor_sign`): LSPS5 signs its webhook notifications with it. The key stays in here.
   */
  signMessage(message: Uint8Array): string {
    const key = this.parts.km.get_node_secret_key();
    try {
      return ldk.UtilMethods.constructor_sign(message, key);
    } finally {
      key.fill(0);
    }
  }

  sendCustomMessage(peer: T.IdInput, payload: Uint8Array, messageType = T.LSPS0_MESSAGE_TYPE): void {
    this.assertRunning();
    const id = idBytes(peer, 33, 'peer');
    if (!this.peers.isConnected(toHex(id)))
      throw new Error(`Node/sendCustomMessage: peer ${toHex(id)} is not connected`);
    this.parts.customMessages.send(id, messageType, payload);
    this.ctx.kick();
  }

  forwardOnionMessage(message: Uint8Array, peer: T.IdInput): void {
    this.assertRunning();
    forwardOnionMessage(this.parts.om, message, peer);
    this.ctx.kick();
  }

  // ---------------------------------------------------------------- channels and payments

  /** Runs one command against the ChannelManager, then schedules a pass so LDK sends what it queued. */
  private command<R>(fn: (cm: ldk.ChannelManager) => R): R {
    this.assertRunning();
    const r = fn(this.parts.cm);
    this.ctx.kick();
    return r;
  }

  getInterceptScid(): bigint {
    this.assertRunning();
    return this.parts.cm.get_intercept_scid();
  }

  async openChannel(o: T.OpenChannelOptions): Promise<{ temporaryChannelId: T.Hex32; userChannelId: bigint }> {
    const blocker = this.ctx.chain.openBlocker?.();
    if (blocker !== undefined) throw new Error(`Node/openChannel: refused: ${blocker}`);
    return this.command((cm) => channels.openChannel(cm, this.opts, this.inbound.manualAccept, o, this.ctx.random));
  }

  acceptInboundChannel(tmpChannelId: T.IdInput, peer: T.IdInput, zeroConf: boolean, userChannelId?: bigint): void {
    const uid = userChannelId ?? randomBigint(this.ctx.random, 8);
    this.command((cm) => channels.acceptInboundChannel(cm, tmpChannelId, peer, zeroConf, uid));
  }

  closeChannel(channelId: T.IdInput, peer: T.IdInput, opts: { force?: boolean } = {}): void {
    this.command((cm) => channels.closeChannel(cm, channelId, peer, !!opts.force));
  }

  listChannels(): T.ChannelInfo[] {
    return this.parts.cm.list_channels().map(channelInfo);
  }

  forwardInterceptedHtlc(interceptId: T.IdInput, channelId: T.IdInput, peer: T.IdInput, amountMsat: bigint): void {
    this.command((cm) => payments.forwardInterceptedHtlc(cm, interceptId, channelId, peer, amountMsat));
  }

  failInterceptedHtlc(interceptId: T.IdInput): void {
    this.command((cm) => payments.failInterceptedHtlc(cm, interceptId));
  }

  async releaseFunding(txid: T.IdInput): Promise<boolean> {
    return this.funding.release(txid);
  }

  claimFunds(preimage: T.IdInput): void {
    this.command((cm) => payments.claimFunds(cm, preimage));
  }

  failClaimablePayment(
    paymentHash: T.IdInput,
    code: T.ClaimableFailureCode = 'incorrect_or_unknown_payment_details',
  ): void {
    this.command((cm) => payments.failClaimablePayment(cm, paymentHash, code));
  }

  createOffer(opts: { absoluteExpirySecs?: bigint } = {}): { offer: string; offerId: T.Hex32 } {
    this.assertRunning();
    return payments.createOffer(this.parts.cm, opts.absoluteExpirySecs);
  }

  payOffer(offer: string, amountMsat: bigint, opts: { paymentId?: T.IdInput; retries?: number } = {}): T.Hex32 {
    return this.command((cm) => payments.payOffer(cm, offer, amountMsat, opts, this.ctx.random));
  }

  payKeysend(
    payee: T.IdInput,
    amountMsat: bigint,
    opts: { paymentId?: T.IdInput; retries?: number; routeHints?: payments.RouteHintHop[][] } = {},
  ): T.Hex32 {
    return this.command((cm) => payments.payKeysend(cm, payee, amountMsat, opts, this.ctx.random));
  }

  sendOnionMessage(type: bigint, bytes: Uint8Array, to: T.OnionMessageTarget): void {
    this.assertRunning();
    if (type < 64n)
      throw new RangeError(`Node/sendOnionMessage.type: expected >= 64 (BOLT 4 onionmsg_tlv), got ${type}`);
    this.parts.customOutbox.send(type, Uint8Array.from(bytes), to);
    this.ctx.kick();
  }

  createInboundPayment(amountMsat: bigint | undefined, expirySecs: number) {
    this.assertRunning();
    return offers.createInboundPayment(this.parts.cm, amountMsat, expirySecs);
  }

  inboundPaymentKeys(): T.InboundPaymentKeys {
    return this.parts.inboundKeys;
  }

  applicationSecret(label: string): Uint8Array {
    if (typeof label !== 'string' || label.length === 0)
      throw new TypeError('Node/applicationSecret.label: expected a non-empty string');
    return hmac(sha256, this.parts.appSecret, new TextEncoder().encode(label));
  }

  setPayerRoute(paymentId: T.IdInput, route: T.PayerRoute): void {
    if (route.kind === 'share' && !(route.shareMsat > 0n && route.shareMsat <= route.totalMsat))
      throw new RangeError(
        `Node/setPayerRoute: expected 0 < share <= total, got ${route.shareMsat} of ${route.totalMsat}`,
      );
    this.parts.payerRoutes.set(toHex(idBytes(paymentId, 32, 'paymentId')), route);
  }

  clearPayerRoute(paymentId: T.IdInput): void {
    this.parts.payerRoutes.delete(toHex(idBytes(paymentId, 32, 'paymentId')));
  }

  payBlindedPaths(p: offers.BlindedPayment): T.Hex32 {
    return this.command((cm) => offers.payBlindedPaths(cm, this.parts.payerRoutes, p, this.ctx.random));
  }

  /** Where the node's LDK listeners stand on the chain, and the reorganisations they followed. */
  chainStatus(): { height: number; reorgs: number } {
    return { height: this.sync?.height ?? -1, reorgs: this.sync?.reorgs ?? 0 };
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
}

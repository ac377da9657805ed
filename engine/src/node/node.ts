/**
 * LightningNode: one LDK node (`lightningdevkit` 0.1.0) talking BOLT 8 over TCP, persisting to files,
 * following a {@link ChainSource}. A facade: node-runtime.ts holds its parts, its start, its events and its
 * stop (assembly.ts builds and restores the LDK objects; event-loop.ts drives them; event-router.ts routes their
 * events; durable-events.ts replays events until handled; inbound-channels.ts, funding.ts, peers.ts and
 * chain-sync.ts do one job each); channels.ts, payments.ts, offers-commands.ts, onion-messages.ts and
 * node-secrets.ts hold the commands.
 */
import { toHex } from '@jitlsp/shared/crypto';
import * as channels from './channels.js';
import { applicationSecret, signWithNodeKey } from './node-secrets.js';
import { idBytes, randomBigint } from './ids.js';
import { channelInfo } from './mappers.js';
import { forwardOnionMessage, sendOnionMessage } from './onion-messages.js';
import * as offers from './offers-commands.js';
import * as payments from './payments.js';
import * as T from './types.js';
import type { LightningNodeApi } from './api.js';
import { NodeRuntime } from './node-runtime.js';
import { initLdk, wasmMemoryBytes } from './wasm.js';

export class LightningNode extends NodeRuntime implements LightningNodeApi {
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

  private constructor(opts: T.NodeOptions) {
    super(opts);
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
    return signWithNodeKey(this.parts.km, message);
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
    sendOnionMessage(this.parts.customOutbox, type, bytes, to);
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
    return applicationSecret(this.parts.appSecret, label);
  }

  setPayerRoute(paymentId: T.IdInput, route: T.PayerRoute): void {
    offers.setPayerRoute(this.parts.payerRoutes, paymentId, route);
  }

  clearPayerRoute(paymentId: T.IdInput): void {
    offers.clearPayerRoute(this.parts.payerRoutes, paymentId);
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
}

/** The public surface of the Lightning engine: what the service and the client code against. */
import type {
  ChannelInfo,
  ClaimableFailureCode,
  InboundPaymentKeys,
  OnionMessageTarget,
  PayerRoute,
  RawBlindedPath,
  EventListener,
  Hex32,
  IdInput,
  MemoryStats,
  NodeEventOf,
  NodeEventType,
  NodeIdHex,
  OpenChannelOptions,
  PeerAddress,
  PeerInfo,
} from './types.js';
import type { RouteHintHop } from './payments.js';

/** The public surface of {@link LightningNode} (what the service and the client code against). */
export interface LightningNodeApi {
  readonly nodeId: NodeIdHex;
  /** Bound TCP port when listening. */
  readonly listenPort: number | undefined;
  /** `nodeId@host:port` when listening. */
  readonly address: string | undefined;

  /** Subscribe to every event; returns an unsubscribe function. Handlers run after LDK returned (never inside it). */
  onEvent(handler: EventListener): () => void;
  /** Subscribe to one event type. */
  on<T extends NodeEventType>(type: T, handler: (ev: NodeEventOf<T>) => unknown): () => void;
  /** Resolve on the first future event of `type` matching `pred`; rejects after `timeoutMs` (default 30 s) or on stop. */
  waitFor<T extends NodeEventType>(
    type: T,
    pred?: (ev: NodeEventOf<T>) => boolean,
    timeoutMs?: number,
  ): Promise<NodeEventOf<T>>;

  /** Connect to `pubkey@host:port` (or a PeerAddress); resolves when the BOLT 1 init exchange is done. */
  connect(peer: PeerAddress | string, opts?: { persistent?: boolean }): Promise<void>;
  /** Drop the connection (and stop reconnecting to it). */
  disconnect(peer: IdInput): void;
  listPeers(): PeerInfo[];

  /** bLIP-50 `LSPS0.ln_signature` of `message` by the node key (zbase32, LND `signmessage`). */
  signMessage(message: Uint8Array): string;

  /** Send a BOLT 8 custom message (default type 37913, LSPS0). Throws if the peer is not connected. */
  sendCustomMessage(peer: IdInput, payload: Uint8Array, messageType?: number): void;

  /** A fresh intercept SCID (HTLCs to it raise `htlcIntercepted`). Persisted state keeps them valid across restarts. */
  getInterceptScid(): bigint;
  openChannel(opts: OpenChannelOptions): Promise<{ temporaryChannelId: Hex32; userChannelId: bigint }>;
  /** Accept a pending inbound channel (when `decide` was not given and manual accept is on). */
  acceptInboundChannel(temporaryChannelId: IdInput, peer: IdInput, zeroConf: boolean, userChannelId?: bigint): void;
  /** Forward an intercepted HTLC over `channelId` to `peer` with `amountToForwardMsat` (less = skim). */
  forwardInterceptedHtlc(interceptId: IdInput, channelId: IdInput, peer: IdInput, amountToForwardMsat: bigint): void;
  failInterceptedHtlc(interceptId: IdInput): void;
  /** Forward a previously intercepted onion message (bytes from `onionMessageIntercepted`) to `peer`. */
  forwardOnionMessage(message: Uint8Array, peer: IdInput): void;
  listChannels(): ChannelInfo[];
  closeChannel(channelId: IdInput, peer: IdInput, opts?: { force?: boolean }): void;
  /** Broadcast a funding tx withheld by `holdFunding`. Returns false if unknown. */
  releaseFunding(txid: IdInput): Promise<boolean>;
  /** Claim a claimable payment with its preimage. */
  claimFunds(preimage: IdInput): void;
  /**
   * Fail a claimable payment back to the payer now (every part of it), with a BOLT 4 failure code (default
   * `incorrect_or_unknown_payment_details`). Use it for every `paymentClaimable` that will not be claimed.
   */
  failClaimablePayment(paymentHash: IdInput, code?: ClaimableFailureCode): void;

  /** A BOLT 12 offer (amountless in 0.1: the builder setters are no-ops). Returns the bech32 `lno1...` string. */
  createOffer(opts?: { absoluteExpirySecs?: bigint }): { offer: string; offerId: Hex32 };
  /** Pay a BOLT 12 offer; returns the payment id. Watch `paymentSent` / `paymentFailed` with it. */
  payOffer(offer: string, amountMsat: bigint, opts?: { paymentId?: IdInput; retries?: number }): Hex32;
  /** A spontaneous (keysend) payment; `routeHints` name last hops the payer cannot see (unannounced channels). */
  payKeysend(
    payee: IdInput,
    amountMsat: bigint,
    opts?: { paymentId?: IdInput; retries?: number; routeHints?: RouteHintHop[][] },
  ): Hex32;

  /**
   * Sends an onion message of `type` (BOLT 4 `onionmsg_tlv`, >= 64) with value `bytes`: over a reply path
   * (`Responder` bytes from an event, which survive a restart), a blinded path, or to a node id. Offers
   * messages go out this way too (64/66/68; LDK 0.1 reads `invoice_error` values length-prefixed).
   */
  sendOnionMessage(type: bigint, bytes: Uint8Array, to: OnionMessageTarget): void;
  /** A payment hash and secret from LDK (`create_inbound_payment`): LDK derives the preimage on receipt. */
  createInboundPayment(
    amountMsat: bigint | undefined,
    expirySecs: number,
  ): { paymentHash: Hex32; paymentSecret: Uint8Array };
  /** LDK's inbound-payment keys, recomputed from the seed (`inbound-keys.ts`). Secrets: never log them. */
  inboundPaymentKeys(): InboundPaymentKeys;
  /** A 32-byte secret for `label`, derived from the node seed (e.g. a wallet's BOLT 12 keys). Never logged. */
  applicationSecret(label: string): Uint8Array;
  /** Payer router extension for one payment id: a share of the amount, or a route to raw blinded paths. */
  setPayerRoute(paymentId: IdInput, route: PayerRoute): void;
  clearPayerRoute(paymentId: IdInput): void;
  /**
   * Pays `amountMsat` over one of `paths` (blinded payment paths the caller decoded, e.g. from an invoice
   * LDK 0.1 cannot parse) through a channel to its introduction node. No automatic retry. Returns the id.
   */
  payBlindedPaths(p: {
    paymentId?: IdInput;
    paymentHash: IdInput;
    amountMsat: bigint;
    payeeNodeId: Uint8Array;
    paths: RawBlindedPath[];
  }): Hex32;

  memoryStats(): MemoryStats;
  /** Stop: close sockets and timers, persist the ChannelManager. The node cannot be restarted; start a new one. */
  stop(): Promise<void>;
}

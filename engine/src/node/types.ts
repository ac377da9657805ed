/**
 * Public types of the Lightning engine: one real LDK node (`lightningdevkit` 0.1.0 WASM bindings) in the
 * process, speaking BOLT 8 over TCP, persisting to a data directory, fed by a {@link ChainSource}.
 *
 * Conventions (for the service and the client coding against this file):
 * - 32/33-byte identifiers (node ids, channel ids, payment hashes/preimages, intercept ids) are lower-case
 *   hex strings in events and return values, so they can be Map keys and log fields. Methods accept either
 *   hex or bytes ({@link IdInput}).
 * - Amounts are `bigint` with the unit in the name. SCIDs and user channel ids are `bigint` (u64 / u128).
 * - Message payloads (custom messages, onion messages) are raw `Uint8Array`.
 * - Events are plain objects copied out of LDK's `Event`s; no LDK object is retained (memory discipline,
 *   see docs/ldk-pitfalls.md, "Memory").
 */
import type {
  ChannelDetails,
  EntropySource,
  KeysManager,
  MessageRouter,
  NetworkGraph,
  NodeSigner,
  Router,
} from 'lightningdevkit';
import type { Logger, LogLevel } from '@jitlsp/shared/log';
import type { ChainSource, OnchainWallet } from '../chain/types.js';
import type { OffersHook } from './onion-hooks.js';
import type { EventListener, NodeEventType } from './event-types.js';

export type {
  CustomOnionMessageIn,
  OffersContextInfo,
  OffersHook,
  OffersMessageIn,
  OffersMessageKind,
  OnionMessageTarget,
  ReplyContext,
  TakenOffersMessage,
} from './onion-hooks.js';
export type { PayerRoute, RawBlindedPath } from './payer-routes.js';
export type {
  ClaimableFailureCode,
  EventListener,
  FailedHtlcDestination,
  NodeEvent,
  NodeEventOf,
  NodeEventType,
  PaymentPurposeKind,
} from './event-types.js';
export type { InboundPaymentKeys, PaymentSecretContents } from './inbound-keys.js';

/** Lower-case hex of a 33-byte compressed public key (a node id). */
export type NodeIdHex = string;
/** Lower-case hex of 32 bytes (channel id, payment hash, preimage, payment id, intercept id, txid). */
export type Hex32 = string;
/** An identifier given either as hex or as raw bytes. */
export type IdInput = string | Uint8Array;

/** `pubkey@host:port` parsed. */
export interface PeerAddress {
  nodeId: NodeIdHex;
  host: string;
  port: number;
}

/** What the caller's router hooks receive: the node's defaults and key material. */
export interface RouterHookContext {
  /** Our node id. */
  nodeId: Uint8Array;
  /** LDK's `DefaultRouter` as a `Router`: delegate `find_route*` to it. */
  defaultRouter: Router;
  /** LDK's `DefaultMessageRouter` as a `MessageRouter`. */
  defaultMessageRouter: MessageRouter;
  keysManager: KeysManager;
  entropySource: EntropySource;
  nodeSigner: NodeSigner;
  networkGraph: NetworkGraph;
  /** Current chain height (for CLTV computations in blinded paths). */
  bestHeight(): number;
  /** The node's live channel list (e.g. to find an LSP channel's inbound SCID). Not callable during startup. */
  listChannels(): ChannelInfo[];
  /** LDK's usable channels, as `create_blinded_payment_paths` takes them. Not callable during startup. */
  usableChannels(): ChannelDetails[];
}

/** Decision on an inbound `open_channel` (BOLT 2) when channels are accepted manually. */
export type InboundChannelDecision = 'accept' | 'accept-zero-conf' | 'reject';

/** An inbound channel request as seen by {@link NodeOptions.inboundChannels}'s `decide`. */
export interface OpenChannelRequest {
  temporaryChannelId: Hex32;
  counterpartyNodeId: NodeIdHex;
  fundingSat: bigint;
  pushMsat: bigint;
}

/** A funding transaction the node was asked to broadcast while a hold applied. */
export interface HeldFunding {
  txid: Hex32;
  /** Raw transaction bytes. */
  tx: Uint8Array;
  counterpartyNodeId: NodeIdHex;
  userChannelId: bigint;
  temporaryChannelId: Hex32;
}

/** Options to start a node. Only `dataDir` and `chain` are required. */
export interface NodeOptions {
  /** Directory holding this node's state (created if absent). One node per directory. */
  dataDir: string;
  /** 32-byte seed file; created with mode 0600 on first start. Default `<dataDir>/seed`. */
  seedFile?: string;
  /** The chain backend (SandboxChain in tests and the demo). Shared by every node of a process. */
  chain: ChainSource;
  /**
   * The on-chain wallet that funds outbound channels. Default: the chain source itself when it carries a
   * wallet (the sandbox); otherwise opening a channel fails at funding with a clear error.
   */
  wallet?: OnchainWallet;
  /** TCP listen address; `port: 0` asks the OS for a free port. Omit to not listen. */
  listen?: { host?: string; port: number };
  /** Peers to keep connected (reconnect with exponential backoff). */
  peers?: (PeerAddress | string)[];
  /** Injected clock (header timestamps, ChannelManager time, KeysManager start). Default `() => new Date()`. */
  clock?: () => Date;
  /** Injected randomness (peer-manager ephemeral keys, payment ids). Default crypto.getRandomValues. */
  random?: (n: number) => Uint8Array;
  /** Structured logger. Default: JSON lines to stderr at `info` and above. */
  logger?: Logger;
  /** Name in log lines (e.g. 'lsp', 'client'). */
  name?: string;
  /** LDK log level forwarded to `logger` (default 'warn'; LDK 'trace'/'gossip' are very chatty). */
  ldkLogLevel?: LogLevel;

  /** LSP: let HTLCs to intercept SCIDs raise `htlcIntercepted` (UserConfig.accept_intercept_htlcs). */
  acceptInterceptHtlcs?: boolean;
  /**
   * Events LDK keeps until the application has finished with them (see {@link EventListener}), so that a
   * process killed before its listeners stored what the event told them gets it again after the restart.
   * Without this, LDK drops an event as soon as the synchronous handler returns and persists the
   * ChannelManager without it: an HTLCIntercepted or ChannelReady lost that way leaves an HTLC held until its
   * CLTV expiry. The price: LDK hands over its next events only once the earlier one is finished with.
   */
  durableEvents?: readonly NodeEventType[];
  /** LSP: hold onion messages for offline peers and raise `onionMessageIntercepted` (all-or-nothing in 0.1). */
  interceptOfflinePeerOnionMessages?: boolean;
  /** Inbound channel policy. Default: accept automatically (LDK's default), no zero-conf. */
  inboundChannels?: {
    /** Accept manually: raise `openChannelRequest` and apply `decide` (or the trusted-peer rule). */
    manualAccept: boolean;
    /** Peers whose channels are accepted as zero-conf (accept_inbound_channel_from_trusted_peer_0conf). */
    trustedZeroConfPeers?: NodeIdHex[];
    /** Custom decision; default: trusted peers -> 'accept-zero-conf', others -> 'accept'. */
    decide?: (req: OpenChannelRequest) => InboundChannelDecision;
  };
  /**
   * Client: channels opened BY these peers accept HTLCs that pay less than the onion says
   * (ChannelConfig.accept_underpaying_htlcs, so an LSP can skim its opening fee, bLIP-52).
   */
  acceptUnderpayingHtlcsFrom?: NodeIdHex[];

  /** Replace the node's Router (client: the LSPS2 BOLT12 router wrapper). */
  routerHook?: (ctx: RouterHookContext) => Router;
  /** Replace the node's MessageRouter (client: blinded message paths via the LSP). */
  messageRouterHook?: (ctx: RouterHookContext) => MessageRouter;
  /**
   * SCID -> node id lookup for onion-message forwarding (BOLT 4 `next_short_channel_id`), consulted before
   * the ChannelManager's own lookup. The LSP maps JIT intercept SCIDs to clients. Return undefined if unknown.
   */
  nodeIdLookup?: (scid: bigint) => NodeIdHex | undefined;
  /**
   * Funding hold (bLIP-52 client_trusts_lsp): called when an outbound channel's funding tx is created. Return
   * true to withhold broadcasting it; the node emits `fundingHeld` and broadcasts only on `releaseFunding`.
   */
  holdFunding?: (info: { counterpartyNodeId: NodeIdHex; userChannelId: bigint; temporaryChannelId: Hex32 }) => boolean;
  /** Delay before `process_pending_htlc_forwards` after `PendingHTLCsForwardable` (default 0 ms; LDK suggests a short random delay). */
  forwardDelayMs?: number;
  /**
   * With `--expose-gc`: run a full GC this often (ms) while nodes run, so LDK's WASM objects held by JS wrappers
   * are freed (default 5000; 0 disables). Without `--expose-gc` this does nothing.
   */
  gcIntervalMs?: number;
  /**
   * How often `ChannelManager.timer_tick_occurred` runs (ms; default 60000, LDK's recommendation). LDK keeps
   * completed outbound payments for 7 ticks (its idempotency window), so this bounds that memory too.
   */
  managerTickIntervalMs?: number;
  /**
   * How channel monitors reach the disk. 'incremental' (default): each update appended to the channel's log off
   * the event loop, `InProgress` until it is durable, the full monitor rewritten every `monitorConsolidateEvery`
   * updates (LDK's MonitorUpdatingPersister design). 'full-sync': the whole monitor written and fsynced on the
   * event loop for every update (the former behaviour; the benchmarks' baseline).
   */
  monitorPersistence?: 'incremental' | 'full-sync';
  /**
   * HTLCs a peer may have pending towards us on one channel (BOLT 2 max_accepted_htlcs; LDK's default 50, at most
   * 483). Set on the channels this node opens or accepts; an LSP forwarding many payments at once needs more than
   * 50 (LDK's router reports RouteNotFound for the payments past the limit).
   */
  maxAcceptedHtlcs?: number;
  /** Full monitor every this many updates with 'incremental' persistence (default 64). */
  monitorConsolidateEvery?: number;
  /**
   * Test seam for crash tests: awaited after a batch of monitor writes is durable and before LDK is told
   * (`channel_monitor_updated`). Production code leaves it unset.
   */
  beforeMonitorUpdateCompleted?: () => void | Promise<void>;
  /**
   * Hold bursts of onion messages in JS instead of LDK's 256 KiB per-peer buffer, which drops BOLT 12 invoices
   * past the eighth (default true; false only for the benchmarks' baseline). See onion-outbox.ts.
   */
  onionOutbox?: boolean;
  /**
   * Sees every BOLT 12 offers message (invoice_request, invoice, invoice_error) with the context of the
   * blinded path it came by, before LDK's handler. Runs inside LDK: decide only. `take` keeps the message
   * from LDK and raises `offersMessage` (its reply path as persistable `Responder` bytes) for the
   * application to answer with `sendOnionMessage`; `pass` hands it to LDK unchanged.
   */
  offersMessageHook?: OffersHook;
  /** Custom onion-message types (BOLT 4 `onionmsg_tlv`) read and raised as `customOnionMessage`. */
  customOnionMessageTypes?: readonly bigint[];
  /** Reconnect backoff bounds in ms (default 250 .. 30000). */
  reconnectBackoffMs?: { min: number; max: number };
  /**
   * LSP only: advertise LSPS0 support with feature bit 729 (optional) in our `init` and node features
   * (bLIP-50: an LSP MAY set it; clients MUST NOT). Default false.
   */
  advertiseLsps0?: boolean;
  /**
   * `ChannelHandshakeConfig.our_to_self_delay` for every channel (BOLT 2 `to_self_delay` we ask of the peer's
   * funds, in blocks). Default LDK's 144 (LDK never uses less than 144).
   */
  ourToSelfDelay?: number;
}

/** Options for an outbound channel. */
export interface OpenChannelOptions {
  peer: IdInput;
  capacitySat: bigint;
  pushMsat?: bigint;
  /** Caller's id for the channel (u128), echoed in channel events. Default: random. */
  userChannelId?: bigint;
  /** Ask for a zero-conf channel (the peer must trust us). Only affects what we expect, the acceptor decides. */
  zeroConf?: boolean;
  /** Announce for forwarding (gossip). Default false: JIT channels are private. */
  announce?: boolean;
  /**
   * Negotiate the `option_scid_alias` channel type (BOLT 2; LDK `negotiate_scid_privacy`): the channel is only
   * ever referred to by its aliases (bLIP-52 requires it of JIT channels). Needs `announce: false`; if the peer
   * does not support it LDK retries without it.
   */
  scidAlias?: boolean;
  /**
   * Refuse the channel when the peer's `to_self_delay` (what it imposes on our funds) exceeds this many blocks
   * (`ChannelHandshakeLimits.their_to_self_delay`; bLIP-52: the client's `to_self_delay` <=
   * `max_client_to_self_delay`). Default LDK's 2016.
   */
  maxPeerToSelfDelay?: number;
  /** Per-channel overrides of the node's defaults. */
  config?: {
    forwardingFeeBaseMsat?: number;
    forwardingFeeProportionalMillionths?: number;
    cltvExpiryDelta?: number;
    /** `ChannelHandshakeConfig.minimum_depth` we require of the peer's funding (not for our own funding). */
    minimumDepth?: number;
    /** `max_inbound_htlc_value_in_flight_percent_of_channel` (1..100). */
    maxInboundHtlcValueInFlightPercent?: number;
  };
}

/** A channel as listed by {@link LightningNodeApi.listChannels}. */
export interface ChannelInfo {
  channelId: Hex32;
  userChannelId: bigint;
  counterpartyNodeId: NodeIdHex;
  capacitySat: bigint;
  outboundCapacityMsat: bigint;
  inboundCapacityMsat: bigint;
  isOutbound: boolean;
  isReady: boolean;
  isUsable: boolean;
  isAnnounced: boolean;
  /** The negotiated channel type has `option_scid_alias` (BOLT 2 channel type, bit 46/47). */
  scidPrivacy: boolean;
  /** Real SCID once confirmed. */
  shortChannelId?: bigint;
  /** The SCID the counterparty should use to route to us (for blinded payment paths). */
  inboundPaymentScid?: bigint;
  /** The SCID we use for outbound forwards. */
  outboundPaymentScid?: bigint;
  fundingTxid?: Hex32;
  confirmations?: number;
  /** HTLCs not yet resolved on this channel, both directions (LDK `pending_inbound_htlcs`/`_outbound_`). */
  pendingHtlcs: PendingHtlc[];
}

export interface PendingHtlc {
  direction: 'inbound' | 'outbound';
  paymentHash: Hex32;
  amountMsat: bigint;
  /** Block height at which the HTLC expires. */
  cltvExpiry: number;
}

export interface PeerInfo {
  nodeId: NodeIdHex;
  address?: string;
  inbound: boolean;
  /** The `features` bytes of the peer's BOLT 1 `init` (big-endian bit field). */
  initFeatures: Uint8Array;
  /** The peer set feature bit 728/729 in its `init` (bLIP-50: it is an LSP speaking LSPS0). */
  supportsLsps0: boolean;
}

export interface MemoryStats {
  /** Size of the LDK WASM linear memory in bytes (never shrinks). */
  wasmBytes: number;
  /** Process resident set size in bytes. */
  rssBytes: number;
}

/** The LSPS0 custom message type (bLIP-50): the only one the engine reads by default. */
export const LSPS0_MESSAGE_TYPE = 37913;

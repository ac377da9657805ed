/**
 * The shape of the service configuration: the networks and chain sources the service accepts and the typed
 * settings {@link loadConfig} returns, each with its unit in the name (bLIP-52 for LSPS2, bLIP-55 for LSPS5).
 */
import type { LogLevel } from '../log.js';
import type { DatabaseTarget } from './database-url.js';
import type { FeeTier } from './fee-tiers.js';
import type { Secret } from './secret.js';
import type { loadConfig } from './config.js';

export const NETWORKS = ['regtest', 'testnet', 'testnet4', 'signet', 'bitcoin'] as const;
export type Network = (typeof NETWORKS)[number];
export const CHAIN_SOURCES = ['sandbox', 'bitcoind'] as const;
export type ChainSourceKind = (typeof CHAIN_SOURCES)[number];

/** Who trusts whom during the JIT open (bLIP-52 `client_trusts_lsp`). */
export type TrustModel = 'lsp-trusts-client' | 'client-trusts-lsp';

export interface ServiceConfig {
  network: Network;
  /** Chain backend: the in-process regtest sandbox, or a bitcoind JSON-RPC node. */
  chain: ChainSourceKind;
  /** With `chain: 'bitcoind'`: the RPC endpoint (the URL may carry the password, hence a Secret). */
  bitcoind: { rpcUrl: Secret; cookieFile: string | undefined; pollSeconds: number } | undefined;
  /** Absolute path of the data directory (node state, SQLite file, promise secret). */
  dataDir: string;
  database: DatabaseTarget;
  p2p: { host: string; port: number };
  http: { host: string; port: number };
  lsps2: {
    /** The get_info menu, strictly increasing (checked). */
    feeTiers: FeeTier[];
    /** get_info token policy: undefined = no token needed; otherwise the accepted tokens. */
    getInfoTokens: string[] | undefined;
    /** bLIP-52 `lsp_cltv_expiry_delta` answered to buy. */
    lspCltvExpiryDeltaBlocks: number;
    /** bLIP-52 `client_trusts_lsp` answered to buy: the funding tx is withheld until the payment is claimed. */
    clientTrustsLsp: boolean;
    trustModel: TrustModel;
    /** MPP mode: how long parts are collected before they are failed (bLIP-52 suggests 90 s). */
    mppCollectTimeoutSeconds: number;
    /** Held HTLCs are failed this many blocks before their CLTV expiry, whatever the session state. */
    htlcCltvSafetyMarginBlocks: number;
    /** Unexpired JIT sessions one peer may hold at once. */
    maxSessionsPerPeer: number;
  };
  channel: {
    /** Added to `payment_size - opening_fee` when sizing the channel (inbound liquidity for later payments). */
    overprovisioningSat: bigint;
    /** Added as parts per million of `payment_size - opening_fee`. */
    overprovisioningPpm: number;
    /** Channels are never smaller than this. */
    minChannelSizeSat: bigint;
    /** Nor larger than this (buys that would need more are refused by the payment-size bounds). */
    maxChannelSizeSat: bigint;
  };
  limits: {
    /** bLIP-50 LSPS0 requests one peer may have in flight. */
    maxPendingRequestsPerPeer: number;
    /** LSPS0 requests in flight over all peers. */
    maxPendingRequestsTotal: number;
    /** Largest LSPS0 message accepted (bytes of JSON). */
    maxMessageBytes: number;
  };
  onionMailbox: {
    maxMessagesPerPeer: number;
    maxMessagesTotal: number;
    ttlSeconds: number;
  };
  /** LSPS5 webhooks (bLIP-55). */
  lsps5: {
    maxWebhooksPerClient: number;
    /** No two notifications of one method to an offline client within this window. */
    cooldownSeconds: number;
    /** Webhooks of a client with no channel are kept this long after its last sign of life (at least 8). */
    retentionDays: number;
    /** Tests only: webhooks may reach loopback addresses (logged loudly at start when on). */
    allowLocalWebhooks: boolean;
    /** NODE_EXTRA_CA_CERTS: a PEM file of CAs trusted for webhooks besides Node's bundled roots. */
    extraCaCertsFile: string | undefined;
    deliveryTimeoutSeconds: number;
    maxQueuedNotifications: number;
    maxConcurrentDeliveries: number;
  };
  logLevel: LogLevel;
  /** Bearer token for the admin API; undefined disables the admin API (every call answers 401). */
  adminToken: Secret | undefined;
  /** 32-byte promise key from JITLSP_PROMISE_SECRET (hex); undefined = read/generate `<dataDir>/promise-secret`. */
  promiseSecret: Secret<Uint8Array> | undefined;
  shutdownTimeoutSeconds: number;
}

/**
 * The service configuration: every setting comes from the environment, is validated here (at the boundary)
 * and is typed with its unit in the name. `.env.example` at the repository root documents each variable
 * with its default; a test checks that it lists every variable read here.
 */
import { isAbsolute, resolve } from 'node:path';
import { LOG_LEVELS } from '../log.js';
import { ConfigError } from './config-error.js';
import { parseDatabaseUrl } from './database-url.js';
import { type Env, EnvReader, U64_MAX } from './env-reader.js';
import { parseFeeTiers } from './fee-tiers.js';
import { Secret } from './secret.js';
import { MAX_PENDING_REQUESTS_PER_PEER, MAX_PENDING_REQUESTS_TOTAL, MAX_REQUEST_BYTES } from '../lsps0/limits.js';
import { DEFAULT_JIT_POLICY } from '../jit/pure/machine.js';
import { DEFAULT_HELD_TTL_MS, MAX_HELD_PER_PEER, MAX_HELD_TOTAL } from '../jit/pure/mailbox.js';
import { DEFAULT_DELIVERY_LIMITS } from '../lsps5/delivery.js';
import {
  DEFAULT_MAX_WEBHOOKS_PER_CLIENT,
  DEFAULT_NOTIFICATION_COOLDOWN_MS,
  DEFAULT_WEBHOOK_RETENTION_MS,
} from '../lsps5/policy.js';
import { CHAIN_SOURCES, NETWORKS, type ServiceConfig } from './service-config.js';

export { CHAIN_SOURCES, NETWORKS } from './service-config.js';
export type { ChainSourceKind, Network, ServiceConfig, TrustModel } from './service-config.js';

export const DEFAULTS = {
  dataDir: './jitlsp-data',
  p2pHost: '127.0.0.1',
  p2pPort: 9735,
  httpHost: '127.0.0.1',
  httpPort: 9736,
  feeTiers: '2000000:5000',
  feeParamsValiditySeconds: 3600,
  minLifetimeBlocks: 1008,
  maxClientToSelfDelayBlocks: 2016,
  minPaymentSizeMsat: 10_000_000n,
  maxPaymentSizeMsat: 10_000_000_000n,
  lspCltvExpiryDeltaBlocks: 144,
  // The protocol code's own defaults (one source; .env.example repeats them and a test checks it does).
  mppCollectTimeoutSeconds: DEFAULT_JIT_POLICY.mppCollectTimeoutMs / 1000,
  htlcCltvSafetyMarginBlocks: DEFAULT_JIT_POLICY.cltvSafetyMarginBlocks,
  maxSessionsPerPeer: 10,
  overprovisioningSat: DEFAULT_JIT_POLICY.overprovisioningSat,
  overprovisioningPpm: DEFAULT_JIT_POLICY.overprovisioningPpm,
  minChannelSizeSat: DEFAULT_JIT_POLICY.minChannelSizeSat,
  maxChannelSizeSat: 16_777_215n,
  maxPendingRequestsPerPeer: MAX_PENDING_REQUESTS_PER_PEER,
  maxPendingRequestsTotal: MAX_PENDING_REQUESTS_TOTAL,
  maxMessageBytes: MAX_REQUEST_BYTES,
  onionMaxMessagesPerPeer: MAX_HELD_PER_PEER,
  onionMaxMessagesTotal: MAX_HELD_TOTAL,
  onionTtlSeconds: DEFAULT_HELD_TTL_MS / 1000,
  shutdownTimeoutSeconds: 10,
  lsps5MaxWebhooksPerClient: DEFAULT_MAX_WEBHOOKS_PER_CLIENT,
  lsps5CooldownSeconds: DEFAULT_NOTIFICATION_COOLDOWN_MS / 1000,
  lsps5RetentionDays: DEFAULT_WEBHOOK_RETENTION_MS / (24 * 3600_000),
  lsps5DeliveryTimeoutSeconds: DEFAULT_DELIVERY_LIMITS.timeoutMs / 1000,
  lsps5MaxQueuedNotifications: DEFAULT_DELIVERY_LIMITS.maxQueued,
  lsps5MaxConcurrentDeliveries: DEFAULT_DELIVERY_LIMITS.maxConcurrent,
  chainPollSeconds: 2,
} as const;

/** The smallest admin token we accept: shorter ones are guessable. */
export const MIN_ADMIN_TOKEN_LENGTH = 16;

/**
 * The directory the user started from, which a relative JITLSP_DATA_DIR is resolved against. npm runs a
 * workspace script inside the workspace folder (`service/`) and records the directory it was invoked from in
 * INIT_CWD: without it, `npm start` at the repository root would put the node seed and the promise secret in
 * `service/jitlsp-data/` instead of the `./jitlsp-data` that `.env.example` and `.gitignore` name.
 */
export function startDirectory(env: Env, cwd = process.cwd()): string {
  const initCwd = env.INIT_CWD?.trim();
  return initCwd && isAbsolute(initCwd) ? initCwd : cwd;
}

/**
 * Reads and validates the whole configuration. Throws one {@link ConfigError} listing every problem.
 * `cwd` resolves a relative data directory (default: {@link startDirectory}).
 */
export function loadConfig(env: Env = process.env, cwd = startDirectory(env)): ServiceConfig {
  return readConfig(env, cwd).config;
}

/** As {@link loadConfig}, also returning the variable names read (for the documentation test). */
export function readConfig(env: Env, cwd = startDirectory(env)): { config: ServiceConfig; names: Set<string> } {
  const r = new EnvReader(env);
  const dataDirRaw = r.string('JITLSP_DATA_DIR', DEFAULTS.dataDir);
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);

  const network = r.oneOf('JITLSP_NETWORK', NETWORKS, 'regtest');
  const chain = r.oneOf('JITLSP_CHAIN', CHAIN_SOURCES, 'sandbox');
  if (chain === 'sandbox' && network !== 'regtest') {
    r.problem('JITLSP_NETWORK', `the sandbox chain (JITLSP_CHAIN=sandbox) runs on regtest only, got ${network}`);
  }

  const rpcUrl = r.optionalString('JITLSP_BITCOIND_RPC_URL');
  const cookieFileRaw = r.optionalString('JITLSP_BITCOIND_RPC_COOKIE_FILE');
  const cookieFile = cookieFileRaw === undefined ? undefined : resolve(cwd, cookieFileRaw);
  const chainPollSeconds = r.int('JITLSP_CHAIN_POLL_SECONDS', DEFAULTS.chainPollSeconds, 1, 3600);
  if (chain === 'bitcoind') {
    // The URL may carry the password: messages describe it, never echo it.
    let url: URL | undefined;
    try {
      url = rpcUrl === undefined ? undefined : new URL(rpcUrl);
    } catch {
      r.problem('JITLSP_BITCOIND_RPC_URL', 'is not a URL (expected http://user:password@host:port)');
    }
    if (rpcUrl === undefined) {
      r.problem(
        'JITLSP_BITCOIND_RPC_URL',
        'is required with JITLSP_CHAIN=bitcoind (e.g. http://user:password@127.0.0.1:8332)',
      );
    } else if (url && url.protocol !== 'http:' && url.protocol !== 'https:') {
      r.problem('JITLSP_BITCOIND_RPC_URL', `expected http:// or https://, got ${url.protocol}`);
    } else if (url && url.password === '' && cookieFile === undefined) {
      r.problem(
        'JITLSP_BITCOIND_RPC_URL',
        'has no password: put user:password in it or set JITLSP_BITCOIND_RPC_COOKIE_FILE',
      );
    }
  }

  const db = parseDatabaseUrl(r.raw('DATABASE_URL'), dataDir);
  if (typeof db === 'string') r.problem('DATABASE_URL', db);

  const validForSeconds = r.int(
    'JITLSP_FEE_PARAMS_VALIDITY_SECONDS',
    DEFAULTS.feeParamsValiditySeconds,
    1,
    365 * 24 * 3600,
  );
  const minLifetimeBlocks = r.int('JITLSP_MIN_LIFETIME_BLOCKS', DEFAULTS.minLifetimeBlocks, 0, 0xffff_ffff);
  const maxClientToSelfDelayBlocks = r.int(
    'JITLSP_MAX_CLIENT_TO_SELF_DELAY_BLOCKS',
    DEFAULTS.maxClientToSelfDelayBlocks,
    0,
    0xffff,
  );
  const minPaymentSizeMsat = r.amount('JITLSP_MIN_PAYMENT_SIZE_MSAT', DEFAULTS.minPaymentSizeMsat, 1n);
  const maxPaymentSizeMsat = r.amount('JITLSP_MAX_PAYMENT_SIZE_MSAT', DEFAULTS.maxPaymentSizeMsat, 1n);
  if (minPaymentSizeMsat > maxPaymentSizeMsat) {
    r.problem(
      'JITLSP_MIN_PAYMENT_SIZE_MSAT',
      `${minPaymentSizeMsat} is above JITLSP_MAX_PAYMENT_SIZE_MSAT ${maxPaymentSizeMsat}`,
    );
  }
  const tiersParsed = parseFeeTiers('JITLSP_FEE_TIERS', r.string('JITLSP_FEE_TIERS', DEFAULTS.feeTiers), {
    minLifetimeBlocks,
    maxClientToSelfDelayBlocks,
    minPaymentSizeMsat,
    maxPaymentSizeMsat,
    validForSeconds,
  });
  r.problems.push(...tiersParsed.problems);

  const tokensRaw = r.optionalString('JITLSP_GET_INFO_TOKENS');
  const getInfoTokens = tokensRaw
    ?.split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');

  const clientTrustsLsp = r.bool('JITLSP_CLIENT_TRUSTS_LSP', false);

  const overprovisioningSat = r.amount('JITLSP_CHANNEL_OVERPROVISIONING_SAT', DEFAULTS.overprovisioningSat);
  const minChannelSizeSat = r.amount('JITLSP_MIN_CHANNEL_SIZE_SAT', DEFAULTS.minChannelSizeSat, 1n);
  const maxChannelSizeSat = r.amount('JITLSP_MAX_CHANNEL_SIZE_SAT', DEFAULTS.maxChannelSizeSat, 1n, U64_MAX / 1000n);
  if (minChannelSizeSat > maxChannelSizeSat) {
    r.problem(
      'JITLSP_MIN_CHANNEL_SIZE_SAT',
      `${minChannelSizeSat} is above JITLSP_MAX_CHANNEL_SIZE_SAT ${maxChannelSizeSat}`,
    );
  }
  for (const [i, t] of tiersParsed.tiers.entries()) {
    // The channel carries at least payment_size - fee; a tier allowing more than the largest channel would
    // sell channels the LSP refuses to open.
    if (t.maxPaymentSizeMsat > maxChannelSizeSat * 1000n) {
      r.problem(
        'JITLSP_FEE_TIERS',
        `tier ${i}: max_payment_size_msat ${t.maxPaymentSizeMsat} exceeds JITLSP_MAX_CHANNEL_SIZE_SAT ${maxChannelSizeSat} (x1000)`,
      );
    }
  }

  const adminTokenRaw = r.optionalString('JITLSP_ADMIN_TOKEN');
  if (adminTokenRaw !== undefined && adminTokenRaw.length < MIN_ADMIN_TOKEN_LENGTH) {
    r.problem(
      'JITLSP_ADMIN_TOKEN',
      `expected at least ${MIN_ADMIN_TOKEN_LENGTH} characters, got ${adminTokenRaw.length}`,
    );
  }
  const secretHex = r.optionalString('JITLSP_PROMISE_SECRET');
  let promiseSecret: Secret<Uint8Array> | undefined;
  if (secretHex !== undefined) {
    // Never echo the value: the message names the variable and the shape only.
    if (!/^[0-9a-fA-F]{64}$/.test(secretHex))
      r.problem('JITLSP_PROMISE_SECRET', `expected 64 hex characters (32 bytes), got ${secretHex.length} characters`);
    else promiseSecret = new Secret(Uint8Array.from(Buffer.from(secretHex, 'hex')));
  }

  const config: ServiceConfig = {
    network,
    chain,
    bitcoind:
      chain === 'bitcoind' && rpcUrl !== undefined
        ? { rpcUrl: new Secret(rpcUrl), cookieFile, pollSeconds: chainPollSeconds }
        : undefined,
    dataDir,
    database: typeof db === 'string' ? { kind: 'sqlite', path: '' } : db,
    p2p: {
      host: r.string('JITLSP_P2P_HOST', DEFAULTS.p2pHost),
      port: r.int('JITLSP_P2P_PORT', DEFAULTS.p2pPort, 0, 65535),
    },
    http: {
      host: r.string('JITLSP_HTTP_HOST', DEFAULTS.httpHost),
      port: r.int('JITLSP_HTTP_PORT', DEFAULTS.httpPort, 0, 65535),
    },
    lsps2: {
      feeTiers: tiersParsed.tiers,
      getInfoTokens: getInfoTokens && getInfoTokens.length > 0 ? getInfoTokens : undefined,
      lspCltvExpiryDeltaBlocks: r.int('JITLSP_CLTV_EXPIRY_DELTA_BLOCKS', DEFAULTS.lspCltvExpiryDeltaBlocks, 18, 2016),
      clientTrustsLsp,
      trustModel: clientTrustsLsp ? 'client-trusts-lsp' : 'lsp-trusts-client',
      mppCollectTimeoutSeconds: r.int('JITLSP_MPP_COLLECT_TIMEOUT_SECONDS', DEFAULTS.mppCollectTimeoutSeconds, 1, 3600),
      htlcCltvSafetyMarginBlocks: r.int(
        'JITLSP_HTLC_CLTV_SAFETY_MARGIN_BLOCKS',
        DEFAULTS.htlcCltvSafetyMarginBlocks,
        1,
        1008,
      ),
      maxSessionsPerPeer: r.int('JITLSP_MAX_SESSIONS_PER_PEER', DEFAULTS.maxSessionsPerPeer, 1, 1_000_000),
    },
    channel: {
      overprovisioningSat,
      overprovisioningPpm: r.int('JITLSP_CHANNEL_OVERPROVISIONING_PPM', DEFAULTS.overprovisioningPpm, 0, 100_000_000),
      minChannelSizeSat,
      maxChannelSizeSat,
    },
    limits: {
      maxPendingRequestsPerPeer: r.int(
        'JITLSP_MAX_PENDING_REQUESTS_PER_PEER',
        DEFAULTS.maxPendingRequestsPerPeer,
        1,
        1_000_000,
      ),
      maxPendingRequestsTotal: r.int(
        'JITLSP_MAX_PENDING_REQUESTS_TOTAL',
        DEFAULTS.maxPendingRequestsTotal,
        1,
        100_000_000,
      ),
      // BOLT 1: a message is at most 65535 bytes including its 2-byte type.
      maxMessageBytes: r.int('JITLSP_MAX_MESSAGE_BYTES', DEFAULTS.maxMessageBytes, 64, 65_533),
    },
    onionMailbox: {
      maxMessagesPerPeer: r.int('JITLSP_ONION_MAILBOX_MAX_PER_PEER', DEFAULTS.onionMaxMessagesPerPeer, 1, 1_000_000),
      maxMessagesTotal: r.int('JITLSP_ONION_MAILBOX_MAX_TOTAL', DEFAULTS.onionMaxMessagesTotal, 1, 100_000_000),
      ttlSeconds: r.int('JITLSP_ONION_MAILBOX_TTL_SECONDS', DEFAULTS.onionTtlSeconds, 1, 30 * 24 * 3600),
    },
    lsps5: {
      maxWebhooksPerClient: r.int('JITLSP_LSPS5_MAX_WEBHOOKS', DEFAULTS.lsps5MaxWebhooksPerClient, 1, 1000),
      cooldownSeconds: r.int('JITLSP_LSPS5_COOLDOWN_SECONDS', DEFAULTS.lsps5CooldownSeconds, 0, 24 * 3600),
      // bLIP-55 keeps webhooks at least 7 days after the last channel; the mark is refreshed daily (+1 day).
      retentionDays: r.int('JITLSP_LSPS5_RETENTION_DAYS', DEFAULTS.lsps5RetentionDays, 8, 3650),
      allowLocalWebhooks: r.bool('JITLSP_LSPS5_ALLOW_LOCAL_WEBHOOKS', false),
      extraCaCertsFile: r.optionalString('NODE_EXTRA_CA_CERTS'),
      deliveryTimeoutSeconds: r.int('JITLSP_LSPS5_TIMEOUT_SECONDS', DEFAULTS.lsps5DeliveryTimeoutSeconds, 1, 300),
      maxQueuedNotifications: r.int(
        'JITLSP_LSPS5_MAX_QUEUED_NOTIFICATIONS',
        DEFAULTS.lsps5MaxQueuedNotifications,
        1,
        10_000_000,
      ),
      maxConcurrentDeliveries: r.int(
        'JITLSP_LSPS5_MAX_CONCURRENT_DELIVERIES',
        DEFAULTS.lsps5MaxConcurrentDeliveries,
        1,
        1024,
      ),
    },
    logLevel: r.oneOf('JITLSP_LOG_LEVEL', LOG_LEVELS, 'info'),
    adminToken: adminTokenRaw !== undefined ? new Secret(adminTokenRaw) : undefined,
    promiseSecret,
    shutdownTimeoutSeconds: r.int('JITLSP_SHUTDOWN_TIMEOUT_SECONDS', DEFAULTS.shutdownTimeoutSeconds, 1, 3600),
  };
  if (config.lsps2.getInfoTokens === undefined && tokensRaw !== undefined) {
    r.problem('JITLSP_GET_INFO_TOKENS', 'expected a comma-separated list of tokens, got only separators');
  }
  if (config.onionMailbox.maxMessagesPerPeer > config.onionMailbox.maxMessagesTotal) {
    r.problem('JITLSP_ONION_MAILBOX_MAX_PER_PEER', 'is above JITLSP_ONION_MAILBOX_MAX_TOTAL');
  }
  if (config.limits.maxPendingRequestsPerPeer > config.limits.maxPendingRequestsTotal) {
    r.problem('JITLSP_MAX_PENDING_REQUESTS_PER_PEER', 'is above JITLSP_MAX_PENDING_REQUESTS_TOTAL');
  }
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return { config, names: r.names };
}

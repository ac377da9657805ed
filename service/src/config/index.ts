/** Service configuration: every setting from the environment, validated at the boundary. */
export * from './config.js';
export { ConfigError } from './config-error.js';
export { type DatabaseTarget, parseDatabaseUrl, redactDatabaseUrl, DEFAULT_SQLITE_FILE } from './database-url.js';
export { type Env, EnvReader, parseU64, U64_MAX } from './env-reader.js';
export { type FeeTier, type FeeTierDefaults, parseFeeTiers, checkTiers } from './fee-tiers.js';
export { resolvePromiseSecret, PROMISE_SECRET_FILE } from './promise-secret.js';
export { Secret } from './secret.js';

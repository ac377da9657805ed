/**
 * Builds the typeorm DataSource for a {@link DatabaseTarget}: a SQLite file (default; WAL journal and a busy
 * timeout) or Postgres (`DATABASE_URL=postgres://...`). The schema comes only from the hand-written
 * migrations (`synchronize: false`, `migrationsRun: true`), the same ones on both databases.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { DatabaseTarget } from '../config/database-url.js';
import type { Dialect } from './columns.js';
import { FundingHashEntity } from './entities/funding-hash.entity.js';
import { heldOnionMessageEntity } from './entities/held-onion-message.entity.js';
import { JitSessionEntity } from './entities/jit-session.entity.js';
import { WebhookEntity } from './entities/webhook.entity.js';
import { MIGRATIONS } from './migrations/index.js';
import { walletEntities } from './entities/wallet.entities.js';

/** How long a SQLite statement waits for a lock held by another process before failing. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;
/** The table recording which migrations ran. */
export const MIGRATIONS_TABLE = 'jitlsp_migrations';

/**
 * The sqlite3 module for typeorm, minus long stack traces. typeorm calls `sqlite3.verbose()`, which wraps
 * every Database/Statement call to capture a stack (`new Error()`) and `util.inspect` each argument (the
 * SQL and every bound value: whole session JSON on the buy path) in case the query fails. That is a
 * debugging aid only, and it was the most expensive JavaScript on the buy path. Errors still carry the
 * SQLite message and code (what `isUniqueViolation` reads); only the extra "--> in Database#all" frames go.
 */
function sqlite3WithoutLongStackTraces(): unknown {
  const sqlite3 = createRequire(import.meta.url)('sqlite3') as Record<string, unknown>;
  return { ...sqlite3, verbose: () => sqlite3 };
}

export interface DataSourceExtras {
  /** Postgres schema to use instead of the server's default (tests isolate runs with it). */
  postgresSchema?: string;
  /** Postgres connection pool size (default 10). */
  poolSize?: number;
  /** SQLite file: WAL frames past which a checkpoint makes the WAL restart (default SQLITE_WAL_RESTART_FRAMES). */
  walRestartFrames?: number;
}

export function dialectOf(target: DatabaseTarget): Dialect {
  return target.kind;
}

/**
 * A second connection to a SQLite file, for reads only (no migrations: the main connection ran them). In
 * WAL mode readers do not wait for the writer: each read sees the last COMMIT, never the group commit in
 * progress on the main connection, so reads need not queue behind writes.
 */
export function createSqliteReader(path: string): DataSource {
  return new DataSource({
    type: 'sqlite',
    database: path,
    driver: sqlite3WithoutLongStackTraces(),
    enableWAL: true,
    busyTimeout: SQLITE_BUSY_TIMEOUT_MS,
    entities: [
      JitSessionEntity,
      FundingHashEntity,
      heldOnionMessageEntity('sqlite'),
      WebhookEntity,
      ...walletEntities('sqlite'),
    ],
    migrationsRun: false,
    synchronize: false,
    logging: false,
  });
}

export function createDataSource(target: DatabaseTarget, extras: DataSourceExtras = {}): DataSource {
  const dialect = dialectOf(target);
  const common = {
    entities: [
      JitSessionEntity,
      FundingHashEntity,
      heldOnionMessageEntity(dialect),
      WebhookEntity,
      ...walletEntities(dialect),
    ],
    migrations: MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsRun: true,
    // Each migration in its own transaction: a crash mid-migration leaves the previous schema intact.
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: false,
  } satisfies Partial<DataSourceOptions>;
  let options: DataSourceOptions;
  if (target.kind === 'sqlite') {
    if (target.path !== ':memory:') mkdirSync(dirname(target.path), { recursive: true });
    options = {
      type: 'sqlite',
      database: target.path,
      driver: sqlite3WithoutLongStackTraces(),
      enableWAL: true,
      busyTimeout: SQLITE_BUSY_TIMEOUT_MS,
      ...common,
    };
  } else {
    options = {
      type: 'postgres',
      url: target.url,
      schema: extras.postgresSchema,
      // Raw SQL (health checks, operator queries) resolves unqualified names in that schema too.
      extra: extras.postgresSchema ? { options: `-c search_path="${extras.postgresSchema}"` } : undefined,
      poolSize: extras.poolSize ?? 10,
      // Fail fast at start when the server is unreachable instead of hanging.
      connectTimeoutMS: 10_000,
      ...common,
    };
  }
  return new DataSource(options);
}

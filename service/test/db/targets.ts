/**
 * The databases the persistence tests run against: a SQLite file in a fresh temp dir, and Postgres in a
 * fresh schema. Postgres is found through JITLSP_TEST_DATABASE_URL, else the URL `.ci/postgres.sh` writes to
 * /tmp/jitlsp-pg-url, else postgres://jitlsp:jitlsp@127.0.0.1:5432/jitlsp_test. When no server answers the
 * Postgres run is skipped with the reason in its title, except in CI (`CI` set), where it fails instead.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { DatabaseTarget } from '../../src/config/database-url.js';
import { Database } from '../../src/db/database.js';
import type { DataSourceExtras } from '../../src/db/data-source.js';

export const PG_URL_FILE = '/tmp/jitlsp-pg-url';
export const PG_DEFAULT_URL = 'postgres://jitlsp:jitlsp@127.0.0.1:5432/jitlsp_test';

export function postgresTestUrl(): string {
  const env = process.env.JITLSP_TEST_DATABASE_URL?.trim();
  if (env) return env;
  if (existsSync(PG_URL_FILE)) {
    const fromFile = readFileSync(PG_URL_FILE, 'utf8').trim();
    if (fromFile) return fromFile;
  }
  return PG_DEFAULT_URL;
}

/** An isolated place to open databases: a temp dir (SQLite) or a schema (Postgres). */
export interface TestDatabaseSite {
  readonly dialect: 'sqlite' | 'postgres';
  readonly target: DatabaseTarget;
  readonly extras: DataSourceExtras;
  open(): Promise<Database>;
  /** Removes everything created (temp dir / schema). */
  destroy(): Promise<void>;
}

export async function sqliteSite(extras: DataSourceExtras = {}): Promise<TestDatabaseSite> {
  const dir = mkdtempSync(join(tmpdir(), 'jitlsp-db-'));
  const target: DatabaseTarget = { kind: 'sqlite', path: join(dir, 'test.sqlite') };
  return {
    dialect: 'sqlite',
    target,
    extras,
    open: () => Database.open(target, extras),
    destroy: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function postgresSite(url = postgresTestUrl()): Promise<TestDatabaseSite> {
  const schema = 't_' + randomBytes(6).toString('hex');
  await withPlainPostgres(url, (ds) => ds.query(`CREATE SCHEMA "${schema}"`));
  const target: DatabaseTarget = { kind: 'postgres', url };
  const extras: DataSourceExtras = { postgresSchema: schema, poolSize: 4 };
  return {
    dialect: 'postgres',
    target,
    extras,
    open: () => Database.open(target, extras),
    destroy: async () => {
      await withPlainPostgres(url, (ds) => ds.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    },
  };
}

/** Whether a Postgres server answers at `url` (within 3 s). */
export async function postgresReachable(
  url = postgresTestUrl(),
): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await withPlainPostgres(url, (ds) => ds.query('SELECT 1'));
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}

/** Runs `fn` on a bare connection to `url` (no entities, no migrations). */
export async function withPlainPostgres<T>(url: string, fn: (ds: DataSource) => Promise<T>): Promise<T> {
  const ds = new DataSource({ type: 'postgres', url, poolSize: 1, connectTimeoutMS: 3000 });
  await ds.initialize();
  try {
    return await fn(ds);
  } finally {
    await ds.destroy();
  }
}

export interface SiteFactory {
  name: string;
  /** undefined: run; a string: skip with this reason. */
  skipReason: string | undefined;
  create(): Promise<TestDatabaseSite>;
}

/**
 * The factories to parametrise a suite over. Top-level await in the test file resolves this before mocha
 * builds the suites, so a skipped Postgres run shows its reason in the test titles.
 */
export async function databaseSiteFactories(): Promise<SiteFactory[]> {
  const url = postgresTestUrl();
  const probe = await postgresReachable(url);
  let skipReason: string | undefined;
  if (!probe.ok) {
    const redacted = url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
    if (process.env.CI) {
      // In CI Postgres is installed by .ci/postgres.sh: its absence is a failure, not a skip.
      skipReason = undefined;
    } else {
      skipReason = `no PostgreSQL at ${redacted} (${probe.reason}); run .ci/postgres.sh or set JITLSP_TEST_DATABASE_URL`;
    }
  }
  return [
    { name: 'sqlite', skipReason: undefined, create: sqliteSite },
    { name: 'postgres', skipReason, create: () => postgresSite(url) },
  ];
}

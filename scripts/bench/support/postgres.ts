/**
 * Postgres for the benchmarks: the URL (DATABASE_URL, else the file `.ci/postgres.sh` writes), a reachability
 * check, and a throw-away schema per run (dropped at the end) so a benchmark never touches real data.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';

export const PG_URL_FILE = '/tmp/jitlsp-pg-url';

/** The Postgres URL to benchmark against, or undefined when none is configured. */
export function benchPostgresUrl(): string | undefined {
  const env = process.env.DATABASE_URL?.trim();
  if (env && /^postgres(ql)?:\/\//.test(env)) return env;
  if (existsSync(PG_URL_FILE)) return readFileSync(PG_URL_FILE, 'utf8').trim() || undefined;
  return undefined;
}

/** Runs `fn` on a bare connection (no entities, no migrations). */
async function withClient<T>(url: string, fn: (c: DataSource) => Promise<T>): Promise<T> {
  const ds = new DataSource({ type: 'postgres', url, poolSize: 1, connectTimeoutMS: 3000 });
  await ds.initialize();
  try {
    return await fn(ds);
  } finally {
    await ds.destroy();
  }
}

/** Creates a fresh schema; resolves its name and a function dropping it. Rejects when unreachable. */
export async function scratchSchema(url: string): Promise<{ schema: string; drop: () => Promise<void> }> {
  const schema = 'bench_' + randomBytes(6).toString('hex');
  await withClient(url, (c) => c.query(`CREATE SCHEMA "${schema}"`));
  return {
    schema,
    drop: () => withClient(url, (c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)).then(() => undefined),
  };
}

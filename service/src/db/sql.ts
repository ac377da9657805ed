/**
 * Raw SQL for the hot paths (the buy path's session insert and per-client read): typeorm's query builders
 * cost more JavaScript per statement than the statement itself costs SQLite. The SQL here is the common
 * subset of SQLite and Postgres; only placeholders differ (`?` vs `$n`). Unqualified table names resolve in
 * the configured Postgres schema through the connection's search_path (data-source.ts).
 */
import type { EntityManager, QueryResult } from 'typeorm';
import type { Dialect } from './columns.js';

/** `count` placeholders starting after `offset` ones: `?, ?` (SQLite) or `$3, $4` (Postgres). */
export function placeholders(dialect: Dialect, count: number, offset = 0): string[] {
  return Array.from({ length: count }, (_, i) => (dialect === 'postgres' ? `$${offset + i + 1}` : '?'));
}

/**
 * Runs one writing statement with a RETURNING clause; resolves the returned rows (the rows it changed).
 * The SQL must not start with "INSERT ", "UPDATE " or "DELETE ": typeorm runs those through sqlite3's
 * run(), which drops returned rows; start it with a comment (`/* ... *\/ INSERT ...`) so that all() runs it.
 */
export async function returning<R>(m: EntityManager, sql: string, params: unknown[]): Promise<R[]> {
  if (/^(INSERT|UPDATE|DELETE) /.test(sql))
    throw new Error('sql/returning: start the statement with a comment (see the doc comment)');
  // The manager's own query runner inside a transaction; otherwise a pooled one, released as
  // EntityManager.query does. The structured result has the rows on both drivers.
  const qr = m.queryRunner ?? m.connection.createQueryRunner();
  try {
    const r = (await qr.query(sql, params, true)) as QueryResult;
    return (r.records ?? []) as R[];
  } finally {
    if (m.queryRunner === undefined) await qr.release();
  }
}

/** Runs one reading statement; resolves its rows. */
export function select<R>(m: EntityManager, sql: string, params: unknown[]): Promise<R[]> {
  return m.query(sql, params) as Promise<R[]>;
}

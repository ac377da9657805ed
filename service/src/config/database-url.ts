/**
 * Where the service keeps its state. `DATABASE_URL` unset means a SQLite file in the data directory;
 * `postgres://` / `postgresql://` URLs select PostgreSQL; `sqlite:<path>` (or `file:<path>`) names another
 * SQLite file, relative paths being taken from the data directory.
 */
import { isAbsolute, join } from 'node:path';

export type DatabaseTarget = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

export const DEFAULT_SQLITE_FILE = 'jitlsp.sqlite';

/** Parses the URL; returns a problem text (without the variable name) when it is not understood. */
export function parseDatabaseUrl(url: string | undefined, dataDir: string): DatabaseTarget | string {
  if (url === undefined) return { kind: 'sqlite', path: join(dataDir, DEFAULT_SQLITE_FILE) };
  if (/^postgres(ql)?:\/\//i.test(url)) {
    try {
      const u = new URL(url);
      if (u.hostname === '') return 'expected a host in the postgres:// URL';
    } catch {
      return 'expected a valid postgres://user:password@host:port/database URL';
    }
    return { kind: 'postgres', url };
  }
  const m = /^(?:sqlite|file):(?:\/\/)?(.+)$/i.exec(url);
  if (m) {
    const path = m[1]!;
    return { kind: 'sqlite', path: path === ':memory:' || isAbsolute(path) ? path : join(dataDir, path) };
  }
  return `expected postgres://..., postgresql://... or sqlite:<path>, got a URL with scheme ${JSON.stringify(url.split(':')[0])}`;
}

/** The URL with its password replaced, for logs. */
export function redactDatabaseUrl(target: DatabaseTarget): string {
  if (target.kind === 'sqlite') return `sqlite:${target.path}`;
  try {
    const u = new URL(target.url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://***';
  }
}

/**
 * The service's structured logger: one JSON object per line (`ts`, `level`, `msg`, then fields), filtered by
 * level. Secrets are redacted on the way out whatever the caller passes: fields whose name says they hold a
 * secret (token, secret, password, authorization, seed, preimage, private key), {@link Secret} values, and
 * passwords inside URLs. bigint becomes a decimal string, bytes become hex, errors keep name and message.
 *
 * It also satisfies the shared `Logger` (`@jitlsp/shared/log`), so the LDK node logs through it.
 */
import { Secret } from './config/secret.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

const RANK: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, silent: 99 };
const SECRET_KEY = /(token|secret|passw(or)?d|authori[sz]ation|cookie|seed|preimage|priv(ate)?_?key|mnemonic)/i;
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)[^@\s]+@/gi;

export interface Logger {
  readonly level: LogLevel;
  log(level: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields): void;
  trace(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `bindings` to every line (e.g. `{ component: 'http' }`). */
  child(bindings: LogFields): Logger;
  isEnabled(level: LogLevel): boolean;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go (default: stdout). Tests capture lines here. */
  sink?: (line: string) => void;
  clock?: () => Date;
  bindings?: LogFields;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? 'info';
  const sink = opts.sink ?? ((line: string) => process.stdout.write(line + '\n'));
  const clock = opts.clock ?? (() => new Date());
  const bindings = opts.bindings ?? {};
  const enabled = (l: LogLevel) => l !== 'silent' && RANK[l] >= RANK[level];
  const write = (l: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields) => {
    if (!enabled(l)) return;
    const entry = { ts: clock().toISOString(), level: l, msg: redactString(msg), ...bindings, ...fields };
    let line: string;
    try {
      line = JSON.stringify(sanitise(entry, '', new WeakSet()));
    } catch {
      line = JSON.stringify({ ts: entry.ts, level: l, msg: entry.msg, logError: 'fields could not be serialised' });
    }
    sink(line);
  };
  return {
    level,
    log: write,
    trace: (m, f) => write('trace', m, f),
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (more) => createLogger({ level, sink, clock, bindings: { ...bindings, ...more } }),
    isEnabled: enabled,
  };
}

function redactString(s: string): string {
  return s.replace(URL_PASSWORD, '$1***@');
}

/** A JSON-safe copy of `value` with secrets removed. */
function sanitise(value: unknown, key: string, seen: WeakSet<object>): unknown {
  if (value instanceof Secret) return '[redacted]';
  // Booleans and numbers cannot carry a secret (`seedCreated: true` stays readable).
  if (
    key !== '' &&
    SECRET_KEY.test(key) &&
    value !== undefined &&
    value !== null &&
    value !== '' &&
    typeof value !== 'boolean' &&
    typeof value !== 'number'
  ) {
    return '[redacted]';
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object')
    return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof Error) {
    const out: LogFields = { name: value.name, message: redactString(value.message) };
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out.code = sanitise(code, 'code', seen);
    if (value.stack) out.stack = redactString(value.stack);
    return out;
  }
  if (seen.has(value)) return '[circular]';
  seen.add(value); // ancestors only: removed again below, so a value shared by two fields is printed twice
  let out: unknown;
  if (Array.isArray(value)) out = value.map((v) => sanitise(v, '', seen));
  else {
    const o: LogFields = {};
    for (const [k, v] of Object.entries(value)) o[k] = sanitise(v, k, seen);
    out = o;
  }
  seen.delete(value);
  return out;
}

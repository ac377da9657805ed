/**
 * The one logger interface of the project: structured logging, one message and its fields per call. The
 * engine, the client and the service all log through it; each application chooses the sink (JSON lines to
 * stderr, the service's leveled logger, a test's quiet logger). Callers never pass secrets (seeds, keys,
 * the promise secret, tokens) in `msg` or `fields`.
 */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** Values of a log line; `bigint`s are written as decimal strings by the sinks. */
export type LogFields = Record<string, unknown>;

export interface Logger {
  log(level: LogLevel, msg: string, fields?: LogFields): void;
}

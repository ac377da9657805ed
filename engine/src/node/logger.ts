/** Structured logging for the engine (JSON lines) and the adapter that forwards LDK's own log records. */
import * as ldk from 'lightningdevkit';
import type { Logger, LogLevel as Level } from '@jitlsp/shared/log';
const ORDER: Record<Level, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

/** JSON lines to stderr at `min` and above. */
export function jsonLogger(min: Level = 'info', base: Record<string, unknown> = {}): Logger {
  return {
    log(level, msg, fields) {
      if (ORDER[level] < ORDER[min]) return;
      process.stderr.write(
        JSON.stringify({ time: new Date().toISOString(), level, ...base, msg, ...fields }, bigintJson) + '\n',
      );
    },
  };
}

export function bigintJson(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}

function ldkLevel(l: ldk.Level): Level {
  switch (l) {
    case ldk.Level.LDKLevel_Error:
      return 'error';
    case ldk.Level.LDKLevel_Warn:
      return 'warn';
    case ldk.Level.LDKLevel_Info:
      return 'info';
    case ldk.Level.LDKLevel_Debug:
      return 'debug';
    default:
      return 'trace';
  }
}

/** An LDK `Logger` forwarding records at `min` and above. */
export function ldkLogger(logger: Logger, min: Level, name: string): ldk.Logger {
  return ldk.Logger.new_impl({
    log(record: ldk.Record) {
      const level = ldkLevel(record.get_level());
      if (ORDER[level] < ORDER[min]) return;
      logger.log(level, record.get_args(), { node: name, source: 'ldk', module: record.get_module_path() });
    },
  });
}

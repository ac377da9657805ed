/** @jitlsp/service: the LSP daemon core (start it in-process with `Daemon.start`). */
export { Daemon, type DaemonOptions, DEFAULT_TICK_INTERVAL_MS, SERVICE_VERSION } from './daemon.js';
export { loadConfig, type ServiceConfig } from './config/index.js';
export { createLogger, type Logger } from './log.js';
export { ServiceMetrics } from './metrics/index.js';

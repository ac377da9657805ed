/** Prometheus metrics of the service (prom-client, prefix `jitlsp_`). */
export * from './metrics.js';
export * from './dispatch-results.js';
export * from './chain-metrics.js';

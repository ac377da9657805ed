/** Test and benchmark helpers for the engine (not used by the node itself). */
export * from './confirmed-channel.js';
export * from './via-peer-router.js';
export * from './jit-client-options.js';
export * from './test-net.js';
export * from './bcoin.js';

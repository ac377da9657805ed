/**
 * The LSPS2 (bLIP-52) request side: get_info/buy handlers, the session and its persistence contract. The JIT
 * sessions sold here are run by `../jit` (pure machine and routing in `jit/pure`, I/O in `jit/io`).
 */
export * from './session.js';
export * from './store.js';
export * from './session-codec.js';
export * from './memory-store.js';
export * from './menu.js';
export * from './get-info-handler.js';
export * from './buy-handler.js';
export * from './server.js';
export type * from './node-port.js';

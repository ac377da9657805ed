/**
 * The LSPS2 (bLIP-52) service core: get_info/buy handlers, the pure JIT channel state machine, the pure
 * onion-message mailbox, the persistence contract, and the shell that runs them against the node.
 */
export * from './session.js';
export * from './store.js';
export * from './session-codec.js';
export * from './memory-store.js';
export * from './jit-channel.js';
export * from './fee-split.js';
export * from './onion-mailbox.js';
export * from './onion-registry.js';
export * from './menu.js';
export * from './get-info-handler.js';
export * from './buy-handler.js';
export * from './server.js';
export * from './shell.js';
export type * from './node-port.js';

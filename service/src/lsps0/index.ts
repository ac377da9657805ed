/**
 * The LSP's LSPS0 server (bLIP-50): the 37913 dispatcher and its limits.
 */
export * from './dispatcher.js';
export * from './limits.js';

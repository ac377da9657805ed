/**
 * The LSP's own on-chain wallet, pure: BIP 84 keys, the UTXO set as a state machine fed by blocks (with undo for
 * reorganisations), reservations, and transaction building. The I/O shell is `service/src/wallet`.
 */
export * from './errors.js';
export * from './network.js';
export * from './keys.js';
export * from './transaction.js';
export * from './state.js';
export * from './blocks.js';
export * from './own-transactions.js';
export * from './reservations.js';
export * from './build.js';
export * from './changes.js';

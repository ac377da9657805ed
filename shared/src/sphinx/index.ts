/**
 * BOLT 4 Sphinx: onion packet construction and peeling shared by payment onions and onion messages.
 */
export * from './onion-error.js';
export * from './keys.js';
export * from './hop-secrets.js';
export * from './filler.js';
export * from './packet.js';
export * from './construct.js';
export * from './peel.js';
export * from './tlv-errors.js';
export * from './tlv-records.js';
export * from './guards.js';
export * from './point.js';

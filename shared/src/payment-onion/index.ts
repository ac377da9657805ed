/**
 * BOLT 4 payment onions for blinded routes: the hop `payload` TLVs, building the onion for a
 * partially blinded route, and peeling one hop.
 */
export * from './payload.js';
export * from './build.js';
export * from './peel.js';

/**
 * Wire subtypes shared by BOLT 4 and BOLT 12 messages:
 * - `sciddir-or-pubkey.ts`: BOLT 1 `sciddir_or_pubkey`
 * - `blinded-path.ts`: BOLT 4 `blinded_path` / `blinded_path_hop`
 * - `blinded-payinfo.ts`: BOLT 12 `blinded_payinfo`
 */
export * from './blinded-path.js';
export * from './blinded-payinfo.js';
export * from './sciddir-or-pubkey.js';

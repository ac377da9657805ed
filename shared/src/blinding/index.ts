/**
 * BOLT 4 route blinding: building and unblinding blinded paths, the typed `encrypted_data_tlv` for
 * payments and messages, and `blinded_payinfo` arithmetic.
 */
export * from './encrypted-recipient-data.js';
export * from './payment-relay.js';
export * from './encrypted-data-tlv.js';
export * from './padding.js';
export * from './blind-path.js';
export * from './unblind.js';
export * from './data-rules.js';
export * from './advance-path.js';
export * from './payinfo.js';
export * from './payment-path.js';
export * from './message-path.js';

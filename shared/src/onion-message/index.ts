/**
 * BOLT 4 onion messages: `onionmsg_tlv` payloads, the `onion_message` (type 513) framing, building a
 * message along a path that may join an existing blinded path, and peeling one layer.
 */
export * from './onionmsg-tlv.js';
export * from './onion-message-wire.js';
export * from './build.js';
export * from './peel.js';

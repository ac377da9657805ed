import { toHex } from '../../src/crypto/hex.js';
import { encodeOnionPacket, type OnionPacket } from '../../src/sphinx/index.js';
export * from '../../src/onion-message/index.js';
export const encodeOnionPacketHex = (p: OnionPacket): string => toHex(encodeOnionPacket(p));

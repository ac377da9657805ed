/** Conversions between the engine's hex identifiers and LDK's byte arrays, checked at the boundary. */
import { fromHex, toHex } from '@jitlsp/shared/crypto';
import type { IdInput, PeerAddress } from './types.js';

/** Bytes of an id given as hex or bytes, with its expected length; throws `Node/<field>: expected ...`. */
export function idBytes(id: IdInput, length: number, field: string): Uint8Array {
  let bytes: Uint8Array;
  if (typeof id === 'string') {
    bytes = fromHex(id, `Node/${field}`);
  } else if (id instanceof Uint8Array) {
    bytes = id;
  } else {
    throw new TypeError(`Node/${field}: expected hex string or Uint8Array, got ${typeof id}`);
  }
  if (bytes.length !== length) throw new RangeError(`Node/${field}: expected ${length} bytes, got ${bytes.length}`);
  return bytes;
}

/** Display-order (reversed) hex of an internal-order txid. */
export const txidHex = (internal: Uint8Array): string => toHex(Uint8Array.from(internal).reverse());

/** Parse `pubkey@host:port` (IPv6 hosts in brackets). */
export function parsePeerAddress(s: PeerAddress | string): PeerAddress {
  if (typeof s !== 'string') {
    idBytes(s.nodeId, 33, 'peer.nodeId');
    return { nodeId: s.nodeId.toLowerCase(), host: s.host, port: s.port };
  }
  const m = /^([0-9a-fA-F]{66})@(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(s);
  if (!m) throw new TypeError(`Node/peer: expected pubkey@host:port, got ${JSON.stringify(s.slice(0, 120))}`);
  const port = Number(m[3]);
  if (port < 1 || port > 65535) throw new RangeError(`Node/peer.port: expected 1..65535, got ${port}`);
  return { nodeId: m[1].toLowerCase(), host: m[2].replace(/^\[|\]$/g, ''), port };
}

/**
 * u128 values coming OUT of the 0.1.0 bindings are byte-swapped: `encodeUint128` writes little-endian but
 * `decodeUint128` reads big-endian (bindings.mjs). Values going in are correct, so every u128 read from LDK
 * (user_channel_id) passes through this to get back what was given.
 */
export function u128FromLdk(v: bigint): bigint {
  let out = 0n;
  for (let i = 0; i < 16; i++) {
    out = (out << 8n) | (v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** A random unsigned integer of `bytes` bytes (user channel ids) from the injected randomness. */
export const randomBigint = (random: (n: number) => Uint8Array, bytes: number): bigint =>
  random(bytes).reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);

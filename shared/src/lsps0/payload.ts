/**
 * bLIP-50 "Message Payload Format": the payload of BOLT 8 message 37913 is the UTF-8 text of
 * exactly one complete JSON object, with optional leading/trailing whitespace (space, tab, LF,
 * CR), nothing else, and no 0 bytes. There is no length prefix.
 *
 * A payload that fails these checks is a "bad message format": the LSP answers -32700 with
 * `id: null`, the client ignores it.
 */
import { isJsonObject } from './guards.js';

/** BOLT 8 messages carry at most 65535 bytes; 2 go to the message type. */
export const LSPS0_MAX_PAYLOAD_BYTES = 65533;

// fatal: invalid UTF-8 is an error, not U+FFFD. ignoreBOM: a BOM stays in the text, and
// JSON.parse then rejects it, since bLIP-50 allows only space, tab, LF and CR around the object.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

export type DecodedPayload = { ok: true; object: Record<string, unknown> } | { ok: false; reason: string };

/**
 * Decodes a 37913 payload (bytes, or text already decoded by the transport) into its one JSON
 * object, or says which bLIP-50 format rule it broke.
 */
export function decodePayload(payload: Uint8Array | string): DecodedPayload {
  let text: string;
  if (typeof payload === 'string') {
    text = payload;
    if (text.includes('\u0000')) return { ok: false, reason: 'payload: expected no NUL characters, got one' };
  } else {
    if (payload.includes(0)) return { ok: false, reason: 'payload: expected no 0 bytes, got one' };
    try {
      text = decoder.decode(payload);
    } catch {
      return { ok: false, reason: 'payload: expected UTF-8 text, got invalid UTF-8' };
    }
  }
  let value: unknown;
  try {
    // JSON.parse accepts exactly one JSON text with JSON whitespace (the four characters bLIP-50
    // allows) around it, and rejects a second value or any trailing junk.
    value = JSON.parse(text);
  } catch (e) {
    return {
      ok: false,
      reason: `payload: expected one complete JSON object, got invalid JSON (${(e as Error).message})`,
    };
  }
  if (!isJsonObject(value)) {
    const got = Array.isArray(value) ? 'an array (batches are not allowed)' : value === null ? 'null' : typeof value;
    return { ok: false, reason: `payload: expected one JSON object, got ${got}` };
  }
  return { ok: true, object: value };
}

/** The UTF-8 bytes of a JSON text, for the 37913 message payload. */
export function encodePayload(json: string): Uint8Array {
  return encoder.encode(json);
}

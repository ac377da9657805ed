/**
 * What the node's keys give the application without leaving the engine: a bLIP-50 `LSPS0.ln_signature`
 * by the node key, and secrets derived per label from the node's application secret (HMAC-SHA256).
 */
import * as ldk from 'lightningdevkit';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

/** `LSPS0.ln_signature` of `message` (LND `signmessage`, LDK's `UtilMethods.constructor_sign`). */
export function signWithNodeKey(km: ldk.KeysManager, message: Uint8Array): string {
  const key = km.get_node_secret_key();
  try {
    return ldk.UtilMethods.constructor_sign(message, key);
  } finally {
    key.fill(0);
  }
}

/** The secret for `label`, derived from the node's application secret. */
export function applicationSecret(appSecret: Uint8Array, label: string): Uint8Array {
  if (typeof label !== 'string' || label.length === 0)
    throw new TypeError('Node/applicationSecret.label: expected a non-empty string');
  return hmac(sha256, appSecret, new TextEncoder().encode(label));
}

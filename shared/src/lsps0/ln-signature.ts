/**
 * bLIP-50 `LSPS0.ln_signature`: a node's signature over a message, as LND's `signmessage` makes it and as a
 * JSON string holding `zbase32(SigRec(SHA256(SHA256("Lightning Signed Message:" + msg))))`, where `SigRec` is
 * one byte `31 + recovery id` followed by the 64-byte compact signature. LDK's `UtilMethods.constructor_sign`
 * and `constructor_verify` produce and check the same strings.
 *
 * zbase32 is Phil Zimmermann's human-oriented base 32 (lower case only). 65 bytes are exactly 104 letters, so
 * no padding question arises; anything else is not a signature.
 */
import { bech32 } from '@scure/base';
import { ecdsaRecover, ecdsaSignRecoverable, equalBytes, sha256 } from '../crypto/index.js';

const ZBASE32_ALPHABET = 'ybndrfg8ejkmcpqxot1uwisza345h769';
const ZBASE32_INDEX = new Map([...ZBASE32_ALPHABET].map((c, i) => [c, i]));
const PREFIX = new TextEncoder().encode('Lightning Signed Message:');
/** zbase32 letters of a 65-byte `SigRec`. */
export const LN_SIGNATURE_LENGTH = 104;

/** zbase32 of `bytes` (whole 5-bit groups; the last one zero-padded). */
export function zbase32Encode(bytes: Uint8Array): string {
  return bech32
    .toWords(bytes)
    .map((w) => ZBASE32_ALPHABET[w])
    .join('');
}

/** The bytes of a zbase32 string; null for a letter outside the (lower-case) alphabet or bad padding. */
export function zbase32Decode(text: string): Uint8Array | null {
  const words: number[] = [];
  for (const c of text) {
    const w = ZBASE32_INDEX.get(c);
    if (w === undefined) return null;
    words.push(w);
  }
  try {
    return Uint8Array.from(bech32.fromWords(words));
  } catch {
    return null;
  }
}

/** The 32 bytes a Lightning node signs for `message`. */
export function lnMessageDigest(message: Uint8Array): Uint8Array {
  const buf = new Uint8Array(PREFIX.length + message.length);
  buf.set(PREFIX, 0);
  buf.set(message, PREFIX.length);
  return sha256(sha256(buf));
}

/** Signs `message` with a node secret key (tests, and tools holding the key; the LSP signs in its engine). */
export function lnSign(message: Uint8Array, nodeSecretKey: Uint8Array): string {
  const { signature, recoveryId } = ecdsaSignRecoverable(lnMessageDigest(message), nodeSecretKey);
  const rec = new Uint8Array(65);
  rec[0] = 31 + recoveryId;
  rec.set(signature, 1);
  return zbase32Encode(rec);
}

/**
 * The compressed node id that signed `message`, or null if `signature` is not a well-formed
 * `LSPS0.ln_signature` (104 lower-case zbase32 letters, header 31..34, a valid signature).
 */
export function lnRecoverNodeId(message: Uint8Array, signature: string): Uint8Array | null {
  if (typeof signature !== 'string' || signature.length !== LN_SIGNATURE_LENGTH) return null;
  const rec = zbase32Decode(signature);
  if (rec === null || rec.length !== 65) return null;
  // LND writes 31 + recid (compressed keys); 27 + recid (uncompressed) is not what bLIP-50 specifies.
  const header = rec[0]!;
  if (header < 31 || header > 34) return null;
  return ecdsaRecover(rec.subarray(1), lnMessageDigest(message), header - 31);
}

/** Whether `signature` is `nodeId`'s `LSPS0.ln_signature` over `message`. */
export function lnVerify(message: Uint8Array, signature: string, nodeId: Uint8Array): boolean {
  const signer = lnRecoverNodeId(message, signature);
  return signer !== null && nodeId.length === 33 && equalBytes(signer, nodeId);
}

/**
 * BOLT 4 "Route Blinding", writer of a `blinded_path`:
 *   E_0 = e_0 * G;  ss_i = SHA256(e_i * N_i);  rho_i = HMAC256("rho", ss_i)
 *   B_i = HMAC256("blinded_node_id", ss_i) * N_i
 *   e_{i+1} = SHA256(E_i || ss_i) * e_i;  E_{i+1} = e_{i+1} * G
 * and `encrypted_recipient_data[i]` = ChaCha20-Poly1305(rho_i, encrypted_data_tlv[i]).
 */
import { getPublicKey, privateMultiply } from '../crypto/secp256k1.js';
import { hmacSha256 } from '../crypto/hashes.js';
import type { BlindedPath } from '../wire/blinded-path.js';
import { OnionError } from '../sphinx/onion-error.js';
import { blindingFactor } from '../sphinx/hop-secrets.js';
import { generateKey } from '../sphinx/keys.js';
import { checkPrivkey } from '../sphinx/guards.js';
import { decompressPoint, ecdhPoint, multiply } from '../sphinx/point.js';
import { encryptRecipientData } from './encrypted-recipient-data.js';

const BLINDED_NODE_ID = new TextEncoder().encode('blinded_node_id');

/** HMAC256("blinded_node_id", ss): the factor that turns N_i into B_i (and k_i into b_i). */
export function blindedNodeIdTweak(sharedSecret: Uint8Array): Uint8Array {
  return hmacSha256(BLINDED_NODE_ID, sharedSecret);
}

export interface BlindingHopInput {
  /** the real node id N_i */
  nodeId: Uint8Array;
  /** the serialized `encrypted_data_tlv[i]` (see `encodeEncryptedDataTlv`) */
  data: Uint8Array;
}

/** The per-hop values of the construction, exposed for tests and for callers that join paths. */
export interface BlindedHopSecrets {
  pathPrivkey: Uint8Array;
  pathKey: Uint8Array;
  sharedSecret: Uint8Array;
  rho: Uint8Array;
  blindedNodeId: Uint8Array;
  encryptedRecipientData: Uint8Array;
  /** e_{i+1} as derived (ignores any `next_path_key_override` the data carries) */
  nextPathPrivkey: Uint8Array;
}

/**
 * Blinds a route `hops[0] -> ... -> hops[n-1]` (the last hop is the recipient) with `sessionKey` (e_0).
 * The introduction node is `hops[0].nodeId`.
 * @example const { path } = blindPath(randomBytes(32), [{ nodeId: lsp, data: fwd }, { nodeId: me, data: recv }])
 */
export function blindPath(
  sessionKey: Uint8Array,
  hops: readonly BlindingHopInput[],
): { path: BlindedPath; hops: BlindedHopSecrets[] } {
  checkPrivkey(sessionKey, 'blinded_path/sessionKey');
  if (hops.length === 0)
    throw new OnionError('invalid-argument', 'blinded_path/hops: expected at least one hop, got 0');
  if (hops.length > 255)
    throw new OnionError('invalid-argument', `blinded_path/hops: expected at most 255 hops, got ${hops.length}`);
  let e = sessionKey;
  let E = safe(() => getPublicKey(e), 'invalid-argument', 'blinded_path/sessionKey: not a valid private key');
  const out: BlindedHopSecrets[] = [];
  for (let i = 0; i < hops.length; i++) {
    const N = decompressPoint(hops[i].nodeId, `blinded_path/hops[${i}].nodeId`, 'invalid-argument');
    const ss = ecdhPoint(e, N);
    const rho = generateKey('rho', ss);
    const blindedNodeId = multiply(N, blindedNodeIdTweak(ss));
    const encryptedRecipientData = encryptRecipientData(rho, hops[i].data);
    const nextPathPrivkey = privateMultiply(e, blindingFactor(E, ss));
    out.push({
      pathPrivkey: e,
      pathKey: E,
      sharedSecret: ss,
      rho,
      blindedNodeId,
      encryptedRecipientData,
      nextPathPrivkey,
    });
    e = nextPathPrivkey;
    if (i + 1 < hops.length) E = getPublicKey(e);
  }
  return {
    path: {
      introduction: { kind: 'nodeId', nodeId: hops[0].nodeId },
      firstPathKey: out[0].pathKey,
      hops: out.map((h) => ({ blindedNodeId: h.blindedNodeId, encryptedRecipientData: h.encryptedRecipientData })),
    },
    hops: out,
  };
}

function safe<T>(fn: () => T, code: 'invalid-argument', message: string): T {
  try {
    return fn();
  } catch (cause) {
    throw new OnionError(code, message, { cause });
  }
}

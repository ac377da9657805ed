/** Transaction ids (BIP 141): double SHA-256 of the serialization without witnesses, shown byte-reversed. */
import { sha256 } from '@noble/hashes/sha2.js';
import { RawTx } from '@scure/btc-signer';
import { toHex } from '@jitlsp/shared/crypto';

export function txidOf(raw: Uint8Array): string {
  const tx = RawTx.decode(raw);
  const stripped = RawTx.encode({ ...tx, segwitFlag: false, witnesses: undefined });
  return toHex(sha256(sha256(stripped)).reverse());
}

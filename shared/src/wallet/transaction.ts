/**
 * Reading raw transactions: txids (double SHA-256 of the serialization without witness, BIP 144, shown
 * byte-reversed) and outpoints (`txid:vout`, the one spelling the wallet uses for an output).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { RawTx } from '@scure/btc-signer';

export type Outpoint = `${string}:${number}`;

export type DecodedTx = ReturnType<typeof RawTx.decode>;

export function outpointOf(txid: string, vout: number): Outpoint {
  return `${txid}:${vout}`;
}

/** The txid (display order hex) of a decoded transaction. */
export function txidOfDecoded(tx: DecodedTx): string {
  const stripped = RawTx.encode({ ...tx, segwitFlag: false, witnesses: undefined });
  return bytesToHex(sha256(sha256(stripped)).reverse());
}

/** The txid of a raw transaction: a transaction without witness is hashed as it is, without re-encoding. */
export function txidOfRaw(raw: Uint8Array, tx: DecodedTx): string {
  return tx.segwitFlag ? txidOfDecoded(tx) : bytesToHex(sha256(sha256(raw)).reverse());
}

/** BIP 141 virtual size: weight / 4 rounded up, weight = 3 * stripped size + total size. */
export function vsizeOf(raw: Uint8Array): number {
  const tx = RawTx.decode(raw);
  const stripped = RawTx.encode({ ...tx, segwitFlag: false, witnesses: undefined }).length;
  return Math.ceil((stripped * 3 + raw.length) / 4);
}

/** A coinbase has one input spending the null outpoint. */
export function isCoinbase(tx: DecodedTx): boolean {
  return tx.inputs.length === 1 && tx.inputs[0].index === 0xffffffff && tx.inputs[0].txid.every((b: number) => b === 0);
}

/** The outpoint an input spends (RawTx decodes input txids in display order). */
export function spentOutpoint(input: DecodedTx['inputs'][number]): Outpoint {
  return outpointOf(bytesToHex(input.txid), input.index);
}

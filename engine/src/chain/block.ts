/**
 * Raw blocks and headers as a bitcoind-style node serves them (`getblock <hash> 0`, `getblockheader <hash>
 * false`), split and verified: the header hashes to the hash we asked for, and the transactions hash to the
 * header's merkle root (BIP 141: txids exclude witnesses), so a node cannot slip in transactions that the
 * block does not commit to.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import { CompactSize, RawTx } from '@scure/btc-signer';
import * as P from 'micro-packed';
import { ChainDataError, MalformedAnswerError } from './errors.js';

const dsha256 = (b: Uint8Array): Uint8Array => sha256(sha256(b));
const HEX = /^(?:[0-9a-f]{2})*$/i;
const HASH = /^[0-9a-f]{64}$/;

const BlockCoder = P.struct({ header: P.bytes(80), txs: P.array(CompactSize, RawTx) });

export interface ParsedBlock {
  hash: string;
  prevHash: string;
  header: Uint8Array;
  /** Raw transactions in block order (segwit serialization when they carry witnesses). */
  txs: Uint8Array[];
  /** Display-order txids, same order. */
  txids: string[];
}

/** True when `s` is a 64-character lowercase hex hash (RPC display order). */
export function isBlockHash(s: unknown): s is string {
  return typeof s === 'string' && HASH.test(s);
}

/** The display-order hash of an 80-byte header. */
export function headerHash(header: Uint8Array): string {
  return bytesToHex(dsha256(header).reverse());
}

/** The parent hash a header names, display order. */
export function prevHashOf(header: Uint8Array): string {
  return bytesToHex(Uint8Array.from(header.subarray(4, 36)).reverse());
}

/** Decodes hex from an RPC answer, naming `what` when it is not hex. */
export function hexField(value: unknown, what: string): Uint8Array {
  if (typeof value !== 'string' || !HEX.test(value)) throw new MalformedAnswerError(`${what}: expected hex`);
  return hexToBytes(value);
}

/** A raw header checked against the hash it was fetched by. */
export function parseHeader(raw: Uint8Array, expectedHash: string): { header: Uint8Array; prevHash: string } {
  if (raw.length !== 80) throw new MalformedAnswerError(`header ${expectedHash}: ${raw.length} bytes, expected 80`);
  const hash = headerHash(raw);
  if (hash !== expectedHash) throw new ChainDataError(`header asked for ${expectedHash} hashes to ${hash}`);
  return { header: raw, prevHash: prevHashOf(raw) };
}

/** A raw block checked against the hash it was fetched by and against its merkle root. */
export function parseBlock(raw: Uint8Array, expectedHash: string): ParsedBlock {
  let decoded: { header: Uint8Array; txs: P.UnwrapCoder<typeof RawTx>[] };
  try {
    decoded = BlockCoder.decode(raw);
  } catch (err) {
    throw new MalformedAnswerError(`block ${expectedHash} does not decode: ${(err as Error).message}`);
  }
  const { header, prevHash } = parseHeader(decoded.header, expectedHash);
  if (decoded.txs.length === 0) throw new ChainDataError(`block ${expectedHash} has no transactions`);
  const txs = decoded.txs.map((t) => RawTx.encode(t));
  const internal = decoded.txs.map((t) => dsha256(RawTx.encode({ ...t, segwitFlag: false, witnesses: undefined })));
  if (bytesToHex(merkleRoot(internal)) !== bytesToHex(header.subarray(36, 68))) {
    throw new ChainDataError(`block ${expectedHash}: transactions do not match the header's merkle root`);
  }
  return {
    hash: expectedHash,
    prevHash,
    header,
    txs,
    txids: internal.map((h) => bytesToHex(Uint8Array.from(h).reverse())),
  };
}

/** Bitcoin merkle root over internal-order txids (odd levels duplicate the last hash). */
export function merkleRoot(hashes: Uint8Array[]): Uint8Array {
  let level = hashes;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(dsha256(concatBytes(level[i], level[i + 1] ?? level[i])));
    level = next;
  }
  return level[0];
}

/**
 * Test chains for the wallet core: blocks of real (unsigned where the wallet does not care) transactions paying
 * to the wallet's scripts, with hashes chained by `previousHash` so forks can be built.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { RawTx } from '@scure/btc-signer';
import {
  WalletKeys,
  blockConnected,
  initialWalletState,
  txidOfDecoded,
  type WalletBlock,
  type WalletState,
} from '../../src/wallet/index.js';

export const SEED = hexToBytes('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
export const keys = (): WalletKeys => WalletKeys.fromSeed(SEED, 'regtest');

/** A script that is not ours. */
export const FOREIGN = hexToBytes('0014' + '11'.repeat(20));

export interface TxSpec {
  inputs?: { txid: string; vout: number }[];
  outputs: { script: Uint8Array; amountSat: bigint }[];
  coinbase?: boolean;
  /** Makes otherwise identical transactions distinct. */
  tag?: number;
}

export function makeTx(spec: TxSpec): { raw: Uint8Array; txid: string } {
  const inputs = spec.coinbase
    ? [{ txid: new Uint8Array(32), index: 0xffffffff, finalScriptSig: Uint8Array.of(1, spec.tag ?? 0), sequence: 0 }]
    : (spec.inputs ?? [{ txid: bytesToHex(sha256(Uint8Array.of(spec.tag ?? 0))), vout: 0 }]).map((i) => ({
        txid: hexToBytes(i.txid),
        index: i.vout,
        finalScriptSig: new Uint8Array(0),
        sequence: 0xfffffffd,
      }));
  const decoded = {
    version: 2,
    segwitFlag: false,
    inputs,
    outputs: spec.outputs.map((o) => ({ amount: o.amountSat, script: o.script })),
    witnesses: undefined,
    lockTime: 0,
  };
  const raw = RawTx.encode(decoded);
  return { raw, txid: txidOfDecoded(RawTx.decode(raw)) };
}

/** A block at `height` on top of `previousHash`, its hash derived from its content and a branch tag. */
export function makeBlock(height: number, previousHash: string, txs: Uint8Array[], branch = 'a'): WalletBlock {
  const hash = bytesToHex(sha256(new TextEncoder().encode(`${branch}:${height}:${previousHash}:${txs.length}`)));
  return { height, hash, previousHash, txs };
}

/** Connects blocks of the given transactions (one block per entry) from the state's tip. */
export function connectAll(state: WalletState, k: WalletKeys, blocks: Uint8Array[][], branch = 'a'): WalletState {
  let s = state;
  for (const txs of blocks) {
    const height = s.tip === undefined ? s.birthdayHeight : s.tip.height + 1;
    s = blockConnected(s, k, makeBlock(height, s.tip?.hash ?? '00'.repeat(32), txs, branch));
  }
  return s;
}

export function emptyWallet(over: Partial<Parameters<typeof initialWalletState>[0]> = {}): WalletState {
  return initialWalletState({ network: 'regtest', birthdayHeight: 100, ...over });
}

/** The UTXO set as comparable plain rows. */
export function utxoRows(s: WalletState): string[] {
  return [...s.utxos.values()]
    .map((u) => `${u.outpoint} ${u.amountSat} ${u.branch}/${u.index} h=${u.height} cb=${u.coinbase} by=${u.spentBy}`)
    .sort();
}

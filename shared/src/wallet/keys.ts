/**
 * The wallet's keys: BIP 84 (P2WPKH accounts), `m / 84' / coin_type' / 0' / branch / index`, with branch 0 the
 * receive addresses and branch 1 the change (BIP 44 "change" level).
 *
 * The master key is the BIP 32 master of the node's seed. LDK's `KeysManager` derives its node, channel,
 * destination and shutdown keys from the same master at the hardened children 0' to 6', so the purpose level
 * 84' keeps the wallet's keys disjoint from every key LDK uses while one seed backs up both.
 */
import { HDKey } from '@scure/bip32';
import { bytesToHex } from '@noble/hashes/utils.js';
import { p2wpkh } from '@scure/btc-signer';
import { coinType, scriptToAddress, type WalletNetwork } from './network.js';

export type Branch = 'receive' | 'change';
export const BRANCHES: readonly Branch[] = ['receive', 'change'];

const BRANCH_NUMBER: Record<Branch, number> = { receive: 0, change: 1 };
const HARDENED = 0x80000000;

export interface WalletKey {
  branch: Branch;
  index: number;
  publicKey: Uint8Array;
  /** The P2WPKH output script paying to this key. */
  script: Uint8Array;
}

/** Where a script of ours sits in the tree. */
export interface KeyPath {
  branch: Branch;
  index: number;
}

/**
 * The account's key tree with a cache: each key is derived once, and every derived script can be looked up by
 * its hex (the block scan asks "is this output ours?" for every output it sees).
 */
export class WalletKeys {
  private readonly branches: Record<Branch, HDKey>;
  private readonly derived: Record<Branch, WalletKey[]> = { receive: [], change: [] };
  private readonly byScript = new Map<string, KeyPath>();

  private constructor(
    account: HDKey,
    readonly network: WalletNetwork,
  ) {
    this.branches = {
      receive: account.deriveChild(BRANCH_NUMBER.receive),
      change: account.deriveChild(BRANCH_NUMBER.change),
    };
  }

  /** Account 0 of the BIP 32 master of `seed` (16 to 64 bytes; the node's 32-byte seed in production). */
  static fromSeed(seed: Uint8Array, network: WalletNetwork): WalletKeys {
    if (seed.length < 16 || seed.length > 64)
      throw new RangeError(`wallet seed must be 16-64 bytes, got ${seed.length}`);
    const master = HDKey.fromMasterSeed(seed);
    const account = master
      .deriveChild(84 + HARDENED)
      .deriveChild(coinType(network) + HARDENED)
      .deriveChild(0 + HARDENED);
    return new WalletKeys(account, network);
  }

  /** The derivation path of a key, as BIP 32 writes it. */
  path(branch: Branch, index: number): string {
    return `m/84'/${coinType(this.network)}'/0'/${BRANCH_NUMBER[branch]}/${index}`;
  }

  key(branch: Branch, index: number): WalletKey {
    this.ensure(branch, index + 1);
    return this.derived[branch][index];
  }

  address(branch: Branch, index: number): string {
    return scriptToAddress(this.key(branch, index).script, this.network);
  }

  /** The private key of a derived key (for signing only; never logged or stored). */
  privateKey(branch: Branch, index: number): Uint8Array {
    const node = this.branches[branch].deriveChild(index);
    if (!node.privateKey) throw new Error('wallet keys: no private key');
    return node.privateKey;
  }

  /** Derives keys `0 .. count - 1` of `branch` if not yet derived. */
  ensure(branch: Branch, count: number): void {
    const list = this.derived[branch];
    for (let index = list.length; index < count; index++) {
      const publicKey = this.branches[branch].deriveChild(index).publicKey;
      if (!publicKey) throw new Error('wallet keys: no public key');
      const script = p2wpkh(publicKey).script;
      list.push({ branch, index, publicKey, script });
      this.byScript.set(bytesToHex(script), { branch, index });
    }
  }

  /** The path of an output script of ours among the first `limit[branch]` keys of each branch, if any. */
  lookup(scriptHex: string, limit: Record<Branch, number>): KeyPath | undefined {
    for (const branch of BRANCHES) this.ensure(branch, limit[branch]);
    const path = this.byScript.get(scriptHex);
    return path !== undefined && path.index < limit[path.branch] ? path : undefined;
  }
}

/**
 * Wallet shell fixtures: a SandboxChain that funds the wallet (its blocks are real transactions), and
 * `ForkableChain`, which serves the sandbox's blocks and can replace the top ones with another branch.
 *
 * ForkableChain is a stand-in: the sandbox does not reorganise. The alternative branch is made of the same real
 * transactions in other blocks (headers rebuilt and chained by hash), which is all the wallet reads.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { SandboxChain, type ChainBlock, type ChainTip } from '@jitlsp/engine/chain';
import { addressToScript } from '@jitlsp/shared/wallet';
import { createLogger } from '../../src/log.js';
import type { WalletBlockSource } from '../../src/wallet/index.js';
import type { OnChainWallet } from '../../src/wallet/index.js';

export const SEED = hexToBytes('11'.repeat(32));
export const quietLogger = () => createLogger({ level: 'silent' });

export class ForkableChain implements WalletBlockSource {
  private readonly blocks: ChainBlock[] = [];
  private forks = 0;

  constructor(readonly sandbox: SandboxChain) {}

  /** Takes every sandbox block not yet seen (call after mining). */
  async pull(): Promise<void> {
    for (let h = this.blocks.length; h <= this.sandbox.height; h++) this.blocks.push((await this.sandbox.blockAt(h))!);
  }

  async tip(): Promise<ChainTip> {
    const b = this.blocks[this.blocks.length - 1];
    return { height: b.height, hash: b.hash, header: b.header };
  }

  async blockAt(height: number): Promise<ChainBlock | undefined> {
    return this.blocks[height];
  }

  /**
   * Replaces the top `depth` blocks with `branch.length` new ones whose transactions are picked from the
   * replaced blocks' (`branch[i]` lists [block offset from the fork, transaction index] pairs; coinbases stay).
   */
  reorg(depth: number, branch: [number, number][][]): void {
    const fork = this.blocks.length - depth;
    const old = this.blocks.splice(fork, depth);
    this.forks++;
    branch.forEach((picks, i) => {
      const prev = this.blocks[this.blocks.length - 1];
      const height = prev.height + 1;
      const coinbase = old[Math.min(i, old.length - 1)].txs[0].tx;
      const txs = [coinbase, ...picks.map(([b, t]) => old[b].txs[t].tx)];
      const header = Uint8Array.from(old[Math.min(i, old.length - 1)].header);
      header.set(hexToBytes(prev.hash).reverse(), 4);
      new DataView(header.buffer).setUint32(76, 0x80000000 + this.forks * 1000 + i, true); // another nonce
      const hash = bytesToHex(sha256(sha256(header)).reverse());
      this.blocks.push({ height, hash, header, txs: txs.map((tx, index) => ({ index, tx })) });
    });
  }
}

/** Pays `amountSat` from the sandbox's own wallet to `address` and mines it. */
export async function deposit(sandbox: SandboxChain, address: string, amountSat: bigint): Promise<string> {
  const raw = await sandbox.fundTransaction(addressToScript(address, 'regtest'), amountSat);
  const txid = await sandbox.broadcast(raw);
  await sandbox.mine(1);
  return txid;
}

/** Deposits to fresh wallet addresses, each in its own block. */
export async function depositAll(sandbox: SandboxChain, wallet: OnChainWallet, amounts: bigint[]): Promise<void> {
  for (const a of amounts) await deposit(sandbox, await wallet.newAddress(), a);
}

/**
 * SandboxChain: an in-process regtest chain (stub; implementation follows).
 */
import type { ChainBlock, ChainSource, ChainTip } from './types.js';

export interface SandboxChainOptions {
  clock?: () => Date;
  random?: (n: number) => Uint8Array;
  /** Structured log sink; default JSON lines to stderr. */
  log?: (level: 'debug' | 'info' | 'warn', msg: string, fields?: Record<string, unknown>) => void;
  /** Fee rate reported to LDK (sat per 1000 weight units). Default 1000. */
  feeRateSatPerKw?: number;
  /** Coinbase outputs the wallet matures at creation (each 50 BTC). Default 10. */
  initialCoins?: number;
}

export class SandboxChain implements ChainSource {
  readonly kind = 'sandbox';
  readonly network = 'regtest' as const;
  static async create(_opts: SandboxChainOptions = {}): Promise<SandboxChain> {
    throw new Error('not implemented');
  }
  /** Mine `n` blocks; the first confirms every broadcast, unconfirmed transaction. */
  async mine(_n = 1): Promise<ChainBlock[]> {
    throw new Error('not implemented');
  }
  /** Confirmations of a txid (0 = in mempool, undefined = unknown). */
  confirmations(_txid: string): number | undefined {
    throw new Error('not implemented');
  }
  async tip(): Promise<ChainTip> {
    throw new Error('not implemented');
  }
  async blockAt(_height: number): Promise<ChainBlock | undefined> {
    throw new Error('not implemented');
  }
  subscribe(_listener: (block: ChainBlock) => void): () => void {
    throw new Error('not implemented');
  }
  async broadcast(_tx: Uint8Array): Promise<string> {
    throw new Error('not implemented');
  }
  async fundTransaction(_outputScript: Uint8Array, _valueSat: bigint): Promise<Uint8Array> {
    throw new Error('not implemented');
  }
  feeRateSatPerKw(_target: 'urgent' | 'normal' | 'background'): number {
    return 1000;
  }
  async close(): Promise<void> {}
}

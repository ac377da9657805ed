/**
 * The chain backend seen by the Lightning engine. The node only uses this interface, so a bitcoind-RPC or
 * Esplora source can be added beside {@link SandboxChain} without touching `engine/src/node/`.
 *
 * The model is block-based (LDK `Confirm`): the node catches up by reading blocks from its best height to the
 * tip and then follows new blocks through `subscribe`. Reorganisations are reported as `disconnected` heights
 * (the sandbox never reorganises; a real source must).
 */

/** Networks we can run on (the sandbox is always regtest). */
export type ChainNetwork = 'regtest' | 'testnet' | 'signet' | 'bitcoin';

/** One block: its 80-byte header and raw transactions (only those relevant is allowed for filtered sources). */
export interface ChainBlock {
  height: number;
  /** Block hash in display (RPC) byte order, hex. */
  hash: string;
  /** The serialized 80-byte header. */
  header: Uint8Array;
  /** Raw (segwit-serialized) transactions in block order, with their index in the block. */
  txs: { index: number; tx: Uint8Array }[];
}

export interface ChainTip {
  height: number;
  /** Display-order hex. */
  hash: string;
  header: Uint8Array;
}

/** What a chain source must offer the node. */
export interface ChainSource {
  /** 'sandbox' | 'bitcoind' | 'esplora' ...; logged at node start. */
  readonly kind: string;
  readonly network: ChainNetwork;
  /** The current best block. */
  tip(): Promise<ChainTip>;
  /** The block at `height` on the best chain, or undefined above the tip. */
  blockAt(height: number): Promise<ChainBlock | undefined>;
  /** Called for every new best block, in order. Returns an unsubscribe function. */
  subscribe(listener: (block: ChainBlock) => void): () => void;
  /**
   * Broadcast a raw transaction. MUST be idempotent: LDK re-broadcasts a zero-conf funding tx on every monitor
   * update until it confirms (docs/ldk-pitfalls.md, "Re-broadcast of zero-conf funding"). Resolves to the txid (display hex).
   */
  broadcast(tx: Uint8Array): Promise<string>;
  /**
   * Wallet: a signed segwit transaction paying `valueSat` to `outputScript` (the channel funding output), with
   * change back to the wallet. Not broadcast: LDK broadcasts it when the channel is ready for it.
   */
  fundTransaction(outputScript: Uint8Array, valueSat: bigint): Promise<Uint8Array>;
  /** Fee rate in sat per 1000 weight units for LDK's synchronous FeeEstimator (>= 253). */
  feeRateSatPerKw(target: 'urgent' | 'normal' | 'background'): number;
  /** Release timers/listeners. */
  close(): Promise<void>;
}

/**
 * The chain backend seen by the Lightning engine, and the on-chain wallet that funds channels: two separate
 * things. A chain source tells where the best chain is (tip, blocks and headers by hash, the hash at a height),
 * broadcasts and estimates fees; a wallet holds keys and builds funding transactions. The sandbox plays both;
 * `BitcoindRpcChain` is only a chain source.
 *
 * Consumers do not trust heights alone: each one follows the chain with a {@link ChainFollower}, which links
 * blocks by hash and so sees reorganisations (lightning-block-sync's model).
 */

/** Networks we can run on (the sandbox is always regtest). */
export type ChainNetwork = 'regtest' | 'testnet' | 'testnet4' | 'signet' | 'bitcoin';

/** A block header with its place in the chain. */
export interface ChainHeader {
  height: number;
  /** Block hash in display (RPC) byte order, hex. */
  hash: string;
  /** The parent's hash, display order. */
  prevHash: string;
  /** The serialized 80-byte header. */
  header: Uint8Array;
}

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

/**
 * What a fee rate is for: LDK's `ConfirmationTarget` variants, by name (lightning/src/chain/chaininterface.rs),
 * so the chain module needs no LDK import.
 */
export const FEE_TARGETS = [
  'MaximumFeeEstimate',
  'UrgentOnChainSweep',
  'MinAllowedAnchorChannelRemoteFee',
  'MinAllowedNonAnchorChannelRemoteFee',
  'AnchorChannelFee',
  'NonAnchorChannelFee',
  'ChannelCloseMinimum',
  'OutputSpendingFee',
] as const;
export type FeeTarget = (typeof FEE_TARGETS)[number];

/** Structured log sink shared by the chain sources. */
export type ChainLog = (
  level: 'debug' | 'info' | 'warn' | 'error',
  msg: string,
  fields?: Record<string, unknown>,
) => void;

/** Default chain log: JSON lines to stderr, info and above. */
export function stderrChainLog(component: string): ChainLog {
  return (level, msg, fields) => {
    if (level !== 'debug') process.stderr.write(JSON.stringify({ level, component, msg, ...fields }) + '\n');
  };
}

/** What the follower reads: the best chain, linked by hash. */
export interface BlockSource {
  /** The current best block. */
  tip(): Promise<ChainTip>;
  /** The hash of the best chain's block at `height`, or undefined above the tip. */
  hashAt(height: number): Promise<string | undefined>;
  /** A header by hash, on the best chain or not (bitcoind keeps stale blocks). */
  headerByHash(hash: string): Promise<ChainHeader>;
  /** A whole block by hash, checked against the hash; `height` is where the caller found it. */
  blockByHash(hash: string, height: number): Promise<ChainBlock>;
}

/** What a chain source must offer the node. */
export interface ChainSource extends BlockSource {
  /** 'sandbox' | 'bitcoind' | 'esplora' ...; logged at node start. */
  readonly kind: string;
  readonly network: ChainNetwork;
  /** The block at `height` on the best chain, or undefined above the tip. */
  blockAt(height: number): Promise<ChainBlock | undefined>;
  /** Called when the best block changes (new block or reorganisation). Returns an unsubscribe function. */
  subscribe(listener: (tip: ChainTip) => void): () => void;
  /**
   * Broadcast a raw transaction. MUST be idempotent: LDK re-broadcasts a zero-conf funding tx on every monitor
   * update until it confirms (docs/ldk-pitfalls.md, "Re-broadcast of zero-conf funding"). Resolves to the txid (display hex).
   */
  broadcast(tx: Uint8Array): Promise<string>;
  /** Fee rate in sat per 1000 weight units for LDK's synchronous FeeEstimator (>= 253). */
  feeRateSatPerKw(target: FeeTarget): number;
  /**
   * Why channels must not be opened now (not synced yet; on mainnet, no real fee estimate), or undefined.
   * Absent: always allowed.
   */
  openBlocker?(): string | undefined;
  /** Release timers/listeners. */
  close(): Promise<void>;
}

/** The on-chain wallet that funds channel opens. */
export interface OnchainWallet {
  /**
   * A signed segwit transaction paying `valueSat` to `outputScript` (the channel funding output), with change
   * back to the wallet, at about `feeRateSatPerKw`. Not broadcast: LDK broadcasts it when the channel is ready.
   */
  fundTransaction(outputScript: Uint8Array, valueSat: bigint, feeRateSatPerKw?: number): Promise<Uint8Array>;
}

/** True when `x` can fund channels (the sandbox chain carries its built-in wallet). */
export function isOnchainWallet(x: unknown): x is OnchainWallet {
  return typeof (x as Partial<OnchainWallet> | null)?.fundTransaction === 'function';
}

/**
 * Fee rates for LDK's synchronous `FeeEstimator`, from bitcoind's `estimatesmartfee`. LDK asks from inside its
 * own calls and cannot wait for an RPC, so answers come from a cache refreshed on every new tip and every few
 * minutes.
 *
 * Each `ConfirmationTarget` maps to a confirmation target in blocks (the ones ldk-node uses: 1 for the maximum
 * LDK accepts from a peer, 6 for urgent sweeps, 12 for channel and sweep transactions, 144 for the cooperative
 * close floor, 1008 for the lowest rates LDK accepts from peers and for anchor channels). Rates are in sat per
 * 1000 weight units: bitcoind's BTC/kvB times 1e8 / 4. LDK requires at least 253 sat/kw (FEERATE_FLOOR_SATS_PER_KW).
 *
 * When the node has no estimate (regtest, a node that just started: `errors`, or bcoin's `fee: -1`), a
 * per-network fallback applies, and `hasEstimate` stays false: on mainnet no channel opens on a guess.
 */
import { MalformedAnswerError, RpcCallError } from '../errors.js';
import { FEE_TARGETS, type ChainLog, type ChainNetwork, type FeeTarget } from '../types.js';

/** LDK: FEERATE_FLOOR_SATS_PER_KW. */
export const FEE_RATE_FLOOR_SAT_PER_KW = 253;

export const CONFIRMATION_BLOCKS: Record<FeeTarget, number> = {
  MaximumFeeEstimate: 1,
  UrgentOnChainSweep: 6,
  MinAllowedAnchorChannelRemoteFee: 1008,
  MinAllowedNonAnchorChannelRemoteFee: 1008,
  AnchorChannelFee: 1008,
  NonAnchorChannelFee: 12,
  ChannelCloseMinimum: 144,
  OutputSpendingFee: 12,
};

/** Used while the node has no estimate. Test networks: what an empty regtest/signet mempool needs. */
const TEST_FALLBACK: Record<FeeTarget, number> = {
  MaximumFeeEstimate: 5000,
  UrgentOnChainSweep: 2500,
  MinAllowedAnchorChannelRemoteFee: 253,
  MinAllowedNonAnchorChannelRemoteFee: 253,
  AnchorChannelFee: 253,
  NonAnchorChannelFee: 1000,
  ChannelCloseMinimum: 500,
  OutputSpendingFee: 1000,
};

/** Mainnet: conservative rates for the sweeps LDK must still be able to make; opens wait for an estimate. */
const MAINNET_FALLBACK: Record<FeeTarget, number> = {
  MaximumFeeEstimate: 50_000,
  UrgentOnChainSweep: 25_000,
  MinAllowedAnchorChannelRemoteFee: 253,
  MinAllowedNonAnchorChannelRemoteFee: 253,
  AnchorChannelFee: 2500,
  NonAnchorChannelFee: 5000,
  ChannelCloseMinimum: 2500,
  OutputSpendingFee: 5000,
};

export interface FeeEstimatorOptions {
  network: ChainNetwork;
  /** Calls `estimatesmartfee <blocks>`. */
  estimate: (blocks: number) => Promise<unknown>;
  /** No rate above this, estimated or not (default 100,000 sat/kw = 400 sat/vB). */
  ceilingSatPerKw?: number;
  log?: ChainLog;
}

export interface FeeRate {
  satPerKw: number;
  /** True when it came from the node's estimate, false for the fallback. */
  estimated: boolean;
}

export class FeeEstimator {
  private readonly rates = new Map<FeeTarget, FeeRate>();
  private readonly network: ChainNetwork;
  private readonly estimate: (blocks: number) => Promise<unknown>;
  private readonly ceiling: number;
  private readonly log: ChainLog;

  constructor(opts: FeeEstimatorOptions) {
    this.network = opts.network;
    this.estimate = opts.estimate;
    this.ceiling = Math.max(FEE_RATE_FLOOR_SAT_PER_KW, opts.ceilingSatPerKw ?? 100_000);
    this.log = opts.log ?? (() => {});
    for (const t of FEE_TARGETS) this.rates.set(t, { satPerKw: this.bound(this.fallback(t)), estimated: false });
  }

  /** The cached rate for `target` (synchronous, for LDK). */
  satPerKw(target: FeeTarget): number {
    return this.rates.get(target)!.satPerKw;
  }

  /** Every target's cached rate. */
  all(): Record<FeeTarget, FeeRate> {
    return Object.fromEntries(FEE_TARGETS.map((t) => [t, { ...this.rates.get(t)! }])) as Record<FeeTarget, FeeRate>;
  }

  /** True when the rate for opening channels came from the node, not the fallback. */
  hasEstimate(): boolean {
    return this.rates.get('NonAnchorChannelFee')!.estimated;
  }

  /** Asks the node once per distinct confirmation target. A failed call keeps the previous rates. */
  async refresh(): Promise<void> {
    const byBlocks = new Map<number, number | undefined>();
    for (const blocks of new Set(Object.values(CONFIRMATION_BLOCKS))) {
      let answer: unknown;
      try {
        answer = await this.estimate(blocks);
      } catch (err) {
        // A target the node cannot estimate for (bcoin 1.0.2 stops at 25 blocks: "Too many confirmations").
        if (!(err instanceof RpcCallError)) throw err;
        byBlocks.set(blocks, undefined);
        continue;
      }
      byBlocks.set(blocks, parseEstimate(answer, blocks));
    }
    for (const t of FEE_TARGETS) {
      const est = byBlocks.get(CONFIRMATION_BLOCKS[t]);
      this.rates.set(t, { satPerKw: this.bound(est ?? this.fallback(t)), estimated: est !== undefined });
    }
    this.log('debug', 'fee rates refreshed', { rates: Object.fromEntries(this.rates) });
  }

  private fallback(t: FeeTarget): number {
    return (this.network === 'bitcoin' ? MAINNET_FALLBACK : TEST_FALLBACK)[t];
  }

  private bound(satPerKw: number): number {
    return Math.min(this.ceiling, Math.max(FEE_RATE_FLOOR_SAT_PER_KW, Math.floor(satPerKw)));
  }
}

/**
 * sat/kw from an `estimatesmartfee` answer, or undefined when the node has none. bitcoind: `{feerate: BTC/kvB,
 * blocks}` or `{errors: [...], blocks}`; bcoin 1.0.2: `{fee: BTC/kB, blocks}` with -1 for none.
 */
export function parseEstimate(answer: unknown, blocks: number): number | undefined {
  if (typeof answer !== 'object' || answer === null) {
    throw new MalformedAnswerError(`estimatesmartfee ${blocks}: expected an object`);
  }
  const a = answer as { feerate?: unknown; fee?: unknown; errors?: unknown };
  const btcPerKvb = a.feerate ?? a.fee;
  if (btcPerKvb === undefined) return undefined;
  if (typeof btcPerKvb !== 'number' || !Number.isFinite(btcPerKvb)) {
    throw new MalformedAnswerError(`estimatesmartfee ${blocks}: feerate is not a number`);
  }
  if (btcPerKvb <= 0) return undefined;
  return (btcPerKvb * 1e8) / 4;
}

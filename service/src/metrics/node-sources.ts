/**
 * Connects the gauges that mirror state to the daemon's parts, read at scrape time: node memory and peers,
 * sessions by state, and the chain metrics (node height, reorganisations, fee estimates, broadcasts), which
 * read nothing once the daemon is stopping.
 */
import { BitcoindRpcChain, type ChainSource } from '@jitlsp/engine/chain';
import type { LightningNode } from '@jitlsp/engine/node';
import type { SessionRepository } from '../db/repositories/session.repository.js';
import { registerChainMetrics } from './chain-metrics.js';
import type { ServiceMetrics } from './metrics.js';

export function connectStateSources(
  metrics: ServiceMetrics,
  parts: { node: LightningNode; sessions: SessionRepository; chain: ChainSource; isStopping: () => boolean },
): void {
  const { node, sessions, chain } = parts;
  metrics.setNodeStatsSource(() => ({
    wasmMemoryBytes: node.memoryStats().wasmBytes,
    peerCount: node.listPeers().length,
  }));
  metrics.setSessionCountSource(() => sessions.countByState());
  registerChainMetrics(metrics.registry, () =>
    parts.isStopping()
      ? undefined
      : {
          nodeHeight: () => node.chainStatus().height,
          reorgs: () => node.chainStatus().reorgs,
          feeRateSatPerKw: (t) => chain.feeRateSatPerKw(t),
          broadcasts: () => (chain instanceof BitcoindRpcChain ? chain.status().broadcasts : {}),
        },
  );
}

/**
 * The chain metrics, read at scrape time from the node and its chain source:
 * - `jitlsp_chain_tip_height`: the node's best block (where its LDK listeners stand), not the backend's tip;
 * - `jitlsp_chain_reorgs_total`: reorganisations the node followed;
 * - `jitlsp_chain_fee_rate_sat_per_kw{target}`: the fee rate LDK gets for each ConfirmationTarget;
 * - `jitlsp_chain_broadcasts_total{result}`: our broadcasts by outcome (bitcoind chain source only).
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { FEE_TARGETS, type FeeTarget } from '@jitlsp/engine/chain';
import { METRIC_PREFIX } from './metrics.js';

export interface ChainMetricsSource {
  nodeHeight(): number | undefined;
  reorgs(): number;
  feeRateSatPerKw(target: FeeTarget): number;
  broadcasts(): Partial<Record<string, number>>;
}

/** Registers the four chain metrics on `registry`; `source()` is undefined while the node is not running. */
export function registerChainMetrics(registry: Registry, source: () => ChainMetricsSource | undefined): void {
  const p = METRIC_PREFIX;
  new Gauge({
    name: `${p}chain_tip_height`,
    help: "Height of the node's best block (where its LDK listeners stand on the chain).",
    registers: [registry],
    collect() {
      const h = source()?.nodeHeight();
      if (h !== undefined && h >= 0) this.set(h);
    },
  });
  new Counter({
    name: `${p}chain_reorgs_total`,
    help: 'Chain reorganisations the node followed.',
    registers: [registry],
    collect() {
      const s = source();
      if (!s) return;
      this.reset();
      this.inc(s.reorgs());
    },
  });
  new Gauge({
    name: `${p}chain_fee_rate_sat_per_kw`,
    help: 'Fee rate given to LDK, in sat per 1000 weight units, by LDK ConfirmationTarget.',
    labelNames: ['target'],
    registers: [registry],
    collect() {
      const s = source();
      if (s) for (const t of FEE_TARGETS) this.set({ target: t }, s.feeRateSatPerKw(t));
    },
  });
  new Counter({
    name: `${p}chain_broadcasts_total`,
    help: 'Transactions broadcast, by result (accepted, already-known, rebroadcast, conflict, rejected, ...).',
    labelNames: ['result'],
    registers: [registry],
    collect() {
      const s = source();
      if (!s) return;
      this.reset();
      for (const [result, n] of Object.entries(s.broadcasts())) if (n) this.inc({ result }, n);
    },
  });
}

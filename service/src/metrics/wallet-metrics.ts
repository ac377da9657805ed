/**
 * The wallet's gauges, read from the wallet at each scrape: `jitlsp_wallet_balance_sat{state}` (confirmed,
 * unconfirmed, immature, reserved: each unspent output in exactly one) and `jitlsp_wallet_utxos`.
 */
import { Gauge, type Registry } from 'prom-client';
import type { WalletBalance } from '@jitlsp/shared/wallet';
import { METRIC_PREFIX } from './metrics.js';

export function registerWalletMetrics(registry: Registry, balance: () => WalletBalance | undefined): void {
  new Gauge({
    name: `${METRIC_PREFIX}wallet_balance_sat`,
    help: 'The on-chain wallet balance in sat, by state (confirmed, unconfirmed, immature, reserved).',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const b = balance();
      if (b === undefined) return;
      this.set({ state: 'confirmed' }, Number(b.confirmedSat));
      this.set({ state: 'unconfirmed' }, Number(b.unconfirmedSat));
      this.set({ state: 'immature' }, Number(b.immatureSat));
      this.set({ state: 'reserved' }, Number(b.reservedSat));
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}wallet_utxos`,
    help: 'Unspent outputs the on-chain wallet holds (any state).',
    registers: [registry],
    collect() {
      const b = balance();
      if (b !== undefined) this.set(b.utxos);
    },
  });
}

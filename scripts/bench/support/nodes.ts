/**
 * Real LDK nodes for the payment benchmarks: quiet loggers, nodes in temp dirs, a confirmed channel, and one
 * timed BOLT 12 payment (pay_for_offer -> PaymentSent).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SandboxChain } from '@jitlsp/engine/chain';
import { LightningNode, type NodeOptions } from '@jitlsp/engine/node';
import { gc, pause } from './stats.js';
import type { Logger } from '@jitlsp/shared/log';

/** Errors only (BENCH_VERBOSE=1: everything but trace). */
export const benchLogger = (name: string): Logger => ({
  log(level, msg, fields) {
    if (level === 'error' || (process.env.BENCH_VERBOSE && level !== 'trace')) {
      process.stderr.write(
        `${name} ${level} ${msg} ${JSON.stringify(fields ?? {}, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`,
      );
    }
  },
});

export function benchDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `jitlsp-bench-${prefix}-`));
}

export async function startBenchNode(
  chain: SandboxChain,
  root: string,
  name: string,
  extra: Partial<NodeOptions> = {},
): Promise<LightningNode> {
  return LightningNode.start({
    dataDir: join(root, name),
    chain,
    name,
    listen: { port: 0 },
    logger: benchLogger(name),
    ...extra,
  });
}

/**
 * One BOLT 12 payment from `payer`, timed from pay_for_offer to PaymentSent (ms). A macrotask yield (and a
 * GC, with --expose-gc) happen before the clock starts (LDK finalizers, docs/ldk-pitfalls.md), so earlier work is
 * not charged to this payment.
 */
export async function timedPayment(payer: LightningNode, offer: string, amountMsat: bigint): Promise<number> {
  gc();
  await pause(2);
  const s = performance.now();
  // Events are raised after LDK returns, so waiting on the id right after payOffer misses nothing.
  const id = payer.payOffer(offer, amountMsat, { retries: 0 });
  const sent = payer.waitFor('paymentSent', (e) => e.paymentId === undefined || e.paymentId === id, 60_000);
  const failed = payer.waitFor('paymentFailed', (e) => e.paymentId === id, 60_000);
  sent.catch(() => undefined);
  failed.catch(() => undefined);
  const outcome = await Promise.race([sent, failed]);
  if (outcome.type === 'paymentFailed') throw new Error(`bench: payment failed (${outcome.reason ?? 'no reason'})`);
  return performance.now() - s;
}

/**
 * `LeaseManager`: buys the leases the router asks for (`LeaseWant`), outside LDK's callbacks.
 *
 * - Pool refill (no-MPP leases): one `lsps2.get_info`, then one `lsps2.buy` per missing lease with
 *   the cheapest tier within the wallet's fee limits. Single-flight per LSP.
 * - MPP leases for a fixed amount: `lsps2.buy` with `payment_size_msat` (bLIP-52 fixed-amount
 *   mode), only while the LSP is connected, single-flight per (LSP, amount).
 * - Renewal: `maintain()` drops leases past `valid_until` and refills; the wallet calls it on a timer.
 * Errors are logged, never thrown into the caller of `want` (it runs inside LDK callbacks).
 */
import type { NodeIdHex } from '@jitlsp/engine/node';
import type { Lsps2Client, Purchase } from '../lsps2/client.js';
import type { Lease } from './lease.js';
import type { LeaseWant, Lsps2Bolt12Router } from './router.js';
import type { Logger } from '@jitlsp/shared/log';

export interface LeaseManagerOptions {
  router: Lsps2Bolt12Router;
  clientFor: (lsp: NodeIdHex) => Lsps2Client | undefined;
  isConnected: (lsp: NodeIdHex) => boolean;
  clock?: () => Date;
  /** `lsps2.get_info` token per LSP. */
  tokenFor?: (lsp: NodeIdHex) => string | undefined;
  logger?: Logger;
}

/** The lease a purchase gives (its terms copied from the chosen `opening_fee_params`). */
export function leaseFromPurchase(lspNodeId: NodeIdHex, p: Purchase, boughtAt: Date): Lease {
  const lease: Lease = {
    lspNodeId: lspNodeId.toLowerCase(),
    interceptScid: p.jitChannelScid,
    lspCltvExpiryDelta: p.lspCltvExpiryDelta,
    clientTrustsLsp: p.clientTrustsLsp,
    validUntilMs: p.params.validUntil.epochMs,
    mode: p.paymentSizeMsat === undefined ? 'no-mpp' : 'mpp',
    terms: {
      minFeeMsat: p.params.minFeeMsat,
      proportional: p.params.proportional,
      minPaymentSizeMsat: p.params.minPaymentSizeMsat,
      maxPaymentSizeMsat: p.params.maxPaymentSizeMsat,
    },
    boughtAtMs: boughtAt.getTime(),
  };
  if (p.paymentSizeMsat !== undefined) lease.paymentSizeMsat = p.paymentSizeMsat;
  return lease;
}

export class LeaseManager {
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly clock: () => Date;

  constructor(private readonly opts: LeaseManagerOptions) {
    this.clock = opts.clock ?? (() => new Date());
  }

  /** Schedules the purchase a `LeaseWant` asks for. Safe to call from inside LDK callbacks. */
  want(w: LeaseWant): void {
    // A microtask runs after the current (LDK-driven) call stack has returned.
    void Promise.resolve()
      .then(async (): Promise<unknown> => {
        if (w.mode === 'no-mpp') return this.refill(w.lspNodeId);
        if (!this.opts.isConnected(w.lspNodeId)) return undefined;
        return this.buyMppLease(w.lspNodeId, w.paymentSizeMsat);
      })
      .catch((e: unknown) =>
        this.opts.logger?.log('warn', 'lsps2 lease purchase failed', {
          lsp: w.lspNodeId,
          mode: w.mode,
          error: (e as Error).message,
        }),
      );
  }

  /** Buys no-MPP leases until the LSP's pool is full. Returns the leases bought. */
  refill(lsp: NodeIdHex): Promise<Lease[]> {
    return this.once(`pool:${lsp}`, async () => {
      const want = this.opts.router.wantedLeases().find((w) => w.lspNodeId === lsp && w.mode === 'no-mpp');
      if (!want || want.mode !== 'no-mpp' || !this.opts.isConnected(lsp)) return [];
      return this.buyNoMppLeases(lsp, want.count);
    });
  }

  /** Buys `count` no-MPP leases now (one get_info, `count` buys). */
  async buyNoMppLeases(lsp: NodeIdHex, count = 1): Promise<Lease[]> {
    const client = this.requireClient(lsp);
    const params = client.chooseParams(await client.getInfo(this.opts.tokenFor?.(lsp)));
    const out: Lease[] = [];
    for (let i = 0; i < count; i++) {
      const lease = leaseFromPurchase(lsp, await client.buy(params), this.clock());
      this.opts.router.addLease(lease);
      out.push(lease);
    }
    this.opts.logger?.log('info', 'lsps2 leases bought', { lsp, mode: 'no-mpp', count: out.length });
    return out;
  }

  /** Buys an MPP lease for exactly `amountMsat` (bLIP-52 fixed-amount mode). Single-flight per amount. */
  buyMppLease(lsp: NodeIdHex, amountMsat: bigint): Promise<Lease> {
    return this.once(`mpp:${lsp}:${amountMsat}`, async () => {
      const client = this.requireClient(lsp);
      const params = client.chooseParams(await client.getInfo(this.opts.tokenFor?.(lsp)), amountMsat);
      const lease = leaseFromPurchase(lsp, await client.buy(params, amountMsat), this.clock());
      this.opts.router.addLease(lease);
      this.opts.logger?.log('info', 'lsps2 lease bought', {
        lsp,
        mode: 'mpp',
        amountMsat: String(amountMsat),
        scid: String(lease.interceptScid),
      });
      return lease;
    });
  }

  /** Drops expired leases and refills every pool (renewal). */
  async maintain(): Promise<void> {
    this.opts.router.pruneExpiredLeases();
    await Promise.all(this.opts.router.lspNodeIds().map((lsp) => this.refill(lsp).catch(() => [])));
  }

  /** Resolves when no purchase is in flight (tests, shutdown). */
  async idle(): Promise<void> {
    // Wants are scheduled as microtasks: let them start first.
    await new Promise((r) => setImmediate(r));
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight.values()]);
  }

  private once<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const running = this.inflight.get(key);
    if (running) return running as Promise<T>;
    const p = fn().finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  private requireClient(lsp: NodeIdHex): Lsps2Client {
    const c = this.opts.clientFor(lsp);
    if (!c) throw new Error(`LeaseManager: no LSPS2 client for LSP ${lsp}`);
    return c;
  }
}

/**
 * Every Prometheus metric of the service, declared in one place: prefix `jitlsp_`,
 * counters end in `_total`, help strings are sentences, every labelled series is created at 0 on start so
 * dashboards and alerts see it before the first event. The README's "Metrics" section documents each one.
 *
 * The protocol code reports events through the typed methods; gauges that mirror state read it through
 * callbacks at scrape time (sessions by state, node memory and peers), so they are never stale.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import {
  BUY_RESULTS,
  CHANNEL_MODES,
  CHANNEL_OPEN_FAILURE_REASONS,
  GET_INFO_RESULTS,
  HTLC_FAILURE_CODES,
  LSPS5_METHODS,
  LSPS5_RESULTS,
  ONION_DROP_REASONS,
  SESSION_STATES,
  TRUST_MODELS,
  type BuyResult,
  type ChannelMode,
  type ChannelOpenFailureReason,
  type GetInfoResult,
  type HtlcFailureCode,
  type OnionDropReason,
  type TrustModelLabel,
} from './labels.js';

export * from './labels.js';

export const METRIC_PREFIX = 'jitlsp_';

/** Seconds; from the first HTLC of a JIT payment to channel_ready (dominated by the zero-conf open). */
const JIT_LATENCY_BUCKETS_SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

export interface NodeStats {
  wasmMemoryBytes: number;
  peerCount: number;
}

export interface MetricsOptions {
  /** Default: a fresh registry (tests and several in-process daemons never collide). */
  registry?: Registry;
  /** Also export Node.js process metrics (CPU, heap, event loop) under the same prefix. Default true. */
  processMetrics?: boolean;
}

export class ServiceMetrics {
  readonly registry: Registry;
  readonly getInfoRequestsTotal: Counter<'result'>;
  readonly buyRequestsTotal: Counter<'result'>;
  readonly sessions: Gauge<'state'>;
  readonly htlcsInterceptedTotal: Counter;
  readonly htlcsFailedTotal: Counter<'code'>;
  readonly channelsOpenedTotal: Counter<'mode' | 'trust_model'>;
  readonly channelOpenFailuresTotal: Counter<'reason'>;
  readonly openingFeesCollectedMsatTotal: Counter;
  readonly firstHtlcToChannelReadySeconds: Histogram;
  readonly firstHtlcToPaymentForwardedSeconds: Histogram;
  readonly onionMessagesInterceptedTotal: Counter;
  readonly onionMessagesHeldTotal: Counter;
  readonly onionMessagesDeliveredTotal: Counter;
  readonly onionMessagesDroppedTotal: Counter<'reason'>;
  readonly nodeWasmMemoryBytes: Gauge;
  readonly lsps5NotificationsTotal: Counter<'method' | 'result'>;
  readonly lsps5Webhooks: Gauge;
  readonly nodePeers: Gauge;

  private sessionCounts: () => Promise<Partial<Record<string, number>>> | Partial<Record<string, number>> = () => ({});
  private nodeStats: () => NodeStats | undefined = () => undefined;
  private webhookCount: () => number = () => 0;

  constructor(opts: MetricsOptions = {}) {
    const registers = [(this.registry = opts.registry ?? new Registry())];
    const p = METRIC_PREFIX;
    // `this` inside collect() is the metric, so the callbacks are read through `self`.
    const self = this;

    this.getInfoRequestsTotal = new Counter({
      name: `${p}lsps2_get_info_requests_total`,
      help: 'Number of lsps2.get_info requests answered, by result (ok or the error name).',
      labelNames: ['result'],
      registers,
    });
    this.buyRequestsTotal = new Counter({
      name: `${p}lsps2_buy_requests_total`,
      help: 'Number of lsps2.buy requests answered, by result (ok or the error name).',
      labelNames: ['result'],
      registers,
    });
    this.sessions = new Gauge({
      name: `${p}lsps2_sessions`,
      help: 'Number of JIT channel sessions currently stored, by state.',
      labelNames: ['state'],
      registers,
      async collect() {
        const counts = await self.sessionCounts();
        for (const s of SESSION_STATES) this.set({ state: s }, counts[s] ?? 0);
      },
    });
    this.htlcsInterceptedTotal = new Counter({
      name: `${p}htlcs_intercepted_total`,
      help: 'Number of HTLCs intercepted on JIT channel SCIDs.',
      registers,
    });
    this.htlcsFailedTotal = new Counter({
      name: `${p}htlcs_failed_total`,
      help: 'Number of intercepted HTLCs failed back, by BOLT 4 failure code.',
      labelNames: ['code'],
      registers,
    });
    this.channelsOpenedTotal = new Counter({
      name: `${p}channels_opened_total`,
      help: 'Number of JIT channels opened (channel ready), by payment mode and trust model.',
      labelNames: ['mode', 'trust_model'],
      registers,
    });
    this.channelOpenFailuresTotal = new Counter({
      name: `${p}channel_open_failures_total`,
      help: 'Number of JIT channel opens that failed, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.openingFeesCollectedMsatTotal = new Counter({
      name: `${p}opening_fees_collected_msat_total`,
      help: 'Total opening fees skimmed from forwarded JIT payments, in millisatoshis.',
      registers,
    });
    this.firstHtlcToChannelReadySeconds = new Histogram({
      name: `${p}first_htlc_to_channel_ready_seconds`,
      help: 'Time from the first HTLC of a JIT payment to the channel being ready, in seconds.',
      buckets: JIT_LATENCY_BUCKETS_SECONDS,
      registers,
    });
    this.firstHtlcToPaymentForwardedSeconds = new Histogram({
      name: `${p}first_htlc_to_payment_forwarded_seconds`,
      help: 'Time from the first HTLC of a JIT payment to the payment being forwarded to the client, in seconds.',
      buckets: JIT_LATENCY_BUCKETS_SECONDS,
      registers,
    });
    this.onionMessagesInterceptedTotal = new Counter({
      name: `${p}onion_messages_intercepted_total`,
      help: 'Number of onion messages the node intercepted for offline peers.',
      registers,
    });
    this.onionMessagesHeldTotal = new Counter({
      name: `${p}onion_messages_held_total`,
      help: 'Number of intercepted onion messages put in a registered peer’s mailbox.',
      registers,
    });
    this.onionMessagesDeliveredTotal = new Counter({
      name: `${p}onion_messages_delivered_total`,
      help: 'Number of held onion messages delivered when their peer connected.',
      registers,
    });
    this.onionMessagesDroppedTotal = new Counter({
      name: `${p}onion_messages_dropped_total`,
      help: 'Number of intercepted or held onion messages dropped, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.nodeWasmMemoryBytes = new Gauge({
      name: `${p}node_wasm_memory_bytes`,
      help: 'Size of the LDK WebAssembly linear memory, in bytes (it never shrinks).',
      registers,
      collect() {
        this.set(self.nodeStats()?.wasmMemoryBytes ?? 0);
      },
    });
    this.nodePeers = new Gauge({
      name: `${p}node_peers`,
      help: 'Number of peers connected to the Lightning node.',
      registers,
      collect() {
        this.set(self.nodeStats()?.peerCount ?? 0);
      },
    });

    this.lsps5NotificationsTotal = new Counter({
      name: `${p}lsps5_notifications_total`,
      help: 'Number of LSPS5 webhook notifications, by method and result (delivered, failed, refused, or held back by the cooldown).',
      labelNames: ['method', 'result'],
      registers,
    });
    this.lsps5Webhooks = new Gauge({
      name: `${p}lsps5_webhooks`,
      help: 'Number of LSPS5 webhooks registered, over all clients.',
      registers,
      collect() {
        this.set(self.webhookCount());
      },
    });

    // Series at 0 from the start.
    for (const method of LSPS5_METHODS)
      for (const result of LSPS5_RESULTS) this.lsps5NotificationsTotal.inc({ method, result }, 0);
    for (const r of GET_INFO_RESULTS) this.getInfoRequestsTotal.inc({ result: r }, 0);
    for (const r of BUY_RESULTS) this.buyRequestsTotal.inc({ result: r }, 0);
    for (const c of HTLC_FAILURE_CODES) this.htlcsFailedTotal.inc({ code: c }, 0);
    for (const mode of CHANNEL_MODES)
      for (const t of TRUST_MODELS) this.channelsOpenedTotal.inc({ mode, trust_model: t }, 0);
    for (const r of CHANNEL_OPEN_FAILURE_REASONS) this.channelOpenFailuresTotal.inc({ reason: r }, 0);
    for (const r of ONION_DROP_REASONS) this.onionMessagesDroppedTotal.inc({ reason: r }, 0);
    for (const s of SESSION_STATES) this.sessions.set({ state: s }, 0);

    if (opts.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: p });
  }

  // ---- feeds read at scrape time ----

  /** Where the sessions-by-state gauge reads its counts (e.g. `SessionRepository.countByState`). */
  setSessionCountSource(fn: () => Promise<Partial<Record<string, number>>> | Partial<Record<string, number>>): void {
    this.sessionCounts = fn;
  }

  /** Where the node gauges read memory and peers; return undefined while the node is not running. */
  setNodeStatsSource(fn: () => NodeStats | undefined): void {
    this.nodeStats = fn;
  }

  /** Where the webhooks gauge reads its count (the LSPS5 service). */
  setWebhookCountSource(fn: () => number): void {
    this.webhookCount = fn;
  }

  // ---- events ----

  lsps5Notification(method: string, result: string): void {
    this.lsps5NotificationsTotal.inc({ method, result });
  }

  getInfo(result: GetInfoResult): void {
    this.getInfoRequestsTotal.inc({ result });
  }

  buy(result: BuyResult): void {
    this.buyRequestsTotal.inc({ result });
  }

  htlcIntercepted(): void {
    this.htlcsInterceptedTotal.inc();
  }

  htlcFailed(code: HtlcFailureCode): void {
    this.htlcsFailedTotal.inc({ code });
  }

  channelOpened(mode: ChannelMode, trustModel: TrustModelLabel): void {
    this.channelsOpenedTotal.inc({ mode, trust_model: trustModel });
  }

  channelOpenFailed(reason: ChannelOpenFailureReason): void {
    this.channelOpenFailuresTotal.inc({ reason });
  }

  openingFeeCollected(feeMsat: bigint): void {
    // A float64 counter is exact up to 2^53 msat (about 90,000 BTC) in total.
    if (feeMsat > 0n) this.openingFeesCollectedMsatTotal.inc(Number(feeMsat));
  }

  /** `firstHtlcAt` to `readyAt`, both from the service's injected clock. */
  channelReadyAfterFirstHtlc(firstHtlcAt: Date, readyAt: Date): void {
    this.firstHtlcToChannelReadySeconds.observe(secondsBetween(firstHtlcAt, readyAt));
  }

  paymentForwardedAfterFirstHtlc(firstHtlcAt: Date, forwardedAt: Date): void {
    this.firstHtlcToPaymentForwardedSeconds.observe(secondsBetween(firstHtlcAt, forwardedAt));
  }

  onionMessageIntercepted(): void {
    this.onionMessagesInterceptedTotal.inc();
  }

  onionMessageHeld(): void {
    this.onionMessagesHeldTotal.inc();
  }

  onionMessagesDelivered(count = 1): void {
    this.onionMessagesDeliveredTotal.inc(count);
  }

  onionMessageDropped(reason: OnionDropReason, count = 1): void {
    this.onionMessagesDroppedTotal.inc({ reason }, count);
  }

  /** The text exposition for GET /metrics. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

function secondsBetween(a: Date, b: Date): number {
  return Math.max(0, (b.getTime() - a.getTime()) / 1000);
}

/**
 * The I/O half of LSPS5: POSTs decided notifications to webhooks over HTTPS (bLIP-55 "Webhook Call"), without
 * ever holding up the node.
 *
 * - Bounded: at most `maxQueued` notifications wait (over it, new ones are dropped and counted), at most
 *   `maxConcurrent` requests are in flight; `enqueue` returns at once.
 * - Ordered per webhook: one webhook's notifications go out one at a time in the order decided, so
 *   `webhook_registered` reaches a new webhook before anything else (bLIP-55 MUST).
 * - Each request has a deadline (`timeoutMs`, DNS to last byte); a network error, a timeout, 408, 429 or a
 *   5xx is retried with exponential backoff and jitter, up to `maxAttempts`; a webhook waiting out its backoff
 *   holds no connection slot. Any other answer is final. Only `200 OK` is a success (bLIP-55 MUST), and the
 *   rest of the response is ignored (read and discarded, at most 64 KiB); redirects are not followed.
 * - Destination: every address the host resolves to is checked (`destination.ts`) and the connection goes
 *   to the address checked (a custom `lookup`), so a DNS answer that changes between check and connect
 *   cannot reach the operator's network. The certificate is always verified against the host name; the
 *   trusted CAs are Node's bundled roots plus the file named by NODE_EXTRA_CA_CERTS.
 * - The timestamp and signature are made when the notification is first sent and reused by its retries.
 *   URLs carry the client's tokens, so logs name only the host.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { Agent } from 'node:https';
import { isIP } from 'node:net';
import { createSecureContext, rootCertificates } from 'node:tls';
import { datetimeFromDate } from '@jitlsp/shared/lsps0';
import { lsps5SignedMessage, notificationBody } from '@jitlsp/shared/lsps5';
import type { Logger } from '@jitlsp/shared/log';
import { errorText, postToAddress } from './webhook-post.js';
import { refuseAddress, type DestinationPolicy } from './destination.js';
import type { Delivery } from './notification-gate.js';

/** How one notification to one webhook ended (the `result` label of jitlsp_lsps5_notifications_total). */
export type DeliveryResult = 'delivered' | 'http_error' | 'network_error' | 'destination_refused' | 'queue_full';

export interface DeliveryLimits {
  /** Notifications waiting or in flight, over all webhooks. */
  maxQueued: number;
  /** Requests in flight at once. */
  maxConcurrent: number;
  /** Deadline of one attempt, DNS lookup to the end of the response. */
  timeoutMs: number;
  /** Attempts per notification, the first included. */
  maxAttempts: number;
  /** Backoff before the second attempt; doubled for each next one, with +-20% jitter. */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_DELIVERY_LIMITS: DeliveryLimits = {
  maxQueued: 10_000,
  maxConcurrent: 16,
  timeoutMs: 10_000,
  maxAttempts: 4,
  backoffBaseMs: 1_000,
  backoffMaxMs: 30_000,
};

/**
 * How long a host's checked addresses are reused. The system resolver keeps no cache of its own here, and a
 * burst to one push server would otherwise queue a lookup per notification on libuv's 4 threads (which SQLite
 * shares). What was cached passed the check, and connections go to it, so the cache cannot widen the check.
 */
const DNS_CACHE_MS = 30_000;
const DNS_CACHE_MAX = 10_000;

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export interface WebhookDeliveryOptions {
  /** Signs a message with the LSP's node key, as an `LSPS0.ln_signature` (the engine's `signMessage`). */
  sign: (message: Uint8Array) => string;
  destination: DestinationPolicy;
  /** PEM of extra trusted CAs (the contents of NODE_EXTRA_CA_CERTS); added to Node's bundled roots. */
  extraCaPem?: string;
  limits?: Partial<DeliveryLimits>;
  clock?: () => Date;
  /** Uniform in [0, 1) (backoff jitter). */
  random?: () => number;
  /** Name resolution (default: the system resolver, every address). */
  resolve?: Resolver;
  logger?: Logger;
  /** Called once per notification with how it ended. Must not throw. */
  onResult?: (d: Delivery, result: DeliveryResult) => void;
}

interface Job {
  d: Delivery;
  attempts: number;
  timestamp?: string;
  body?: string;
  signature?: string;
}

type Attempt = { final: DeliveryResult } | { retry: DeliveryResult };

const defaultResolve: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });
const NO_LOG: Logger = { log: () => {} };

export class WebhookDelivery {
  private readonly limits: DeliveryLimits;
  private readonly queues = new Map<string, Job[]>();
  private readonly ready: string[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly resolved = new Map<string, { addresses: { address: string; family: number }[]; until: number }>();
  private readonly agent: Agent;
  private readonly clock: () => Date;
  private readonly random: () => number;
  private readonly resolve: Resolver;
  private readonly log: Logger;
  private queued = 0;
  private active = 0;
  private stopped = false;
  private pumpScheduled = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: WebhookDeliveryOptions) {
    this.limits = { ...DEFAULT_DELIVERY_LIMITS, ...opts.limits };
    this.clock = opts.clock ?? (() => new Date());
    this.random = opts.random ?? Math.random;
    this.resolve = opts.resolve ?? defaultResolve;
    this.log = opts.logger ?? NO_LOG;
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: this.limits.maxConcurrent,
      // Node's bundled roots plus the operator's extra CAs; verification is never turned off. One context for
      // every connection: building it parses ~140 root certificates (tens of ms of blocked event loop).
      ...(opts.extraCaPem
        ? { secureContext: createSecureContext({ ca: [...rootCertificates, opts.extraCaPem] }) }
        : {}),
    });
  }

  /** Notifications waiting or in flight. */
  get size(): number {
    return this.queued;
  }

  /** Queues one notification; false (and counted `queue_full`) when the queue is full or stopped. */
  enqueue(d: Delivery): boolean {
    if (this.stopped || this.queued >= this.limits.maxQueued) {
      this.report(d, 'queue_full');
      return false;
    }
    const key = `${d.clientNodeId}/${d.appName}`;
    let q = this.queues.get(key);
    if (!q) this.queues.set(key, (q = []));
    q.push({ d, attempts: 0 });
    this.queued++;
    if (q.length === 1) this.ready.push(key);
    this.schedulePump();
    return true;
  }

  /** Starts requests on the next turn of the event loop: a burst of enqueues costs the caller only the queueing. */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Resolves when nothing is queued or in flight (tests, benchmarks, shutdown). */
  idle(): Promise<void> {
    if (this.queued === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Drops what is queued (notifications are best effort, never durable) and closes the connections. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.ready.length = 0;
    this.queues.clear();
    this.queued = 0;
    this.agent.destroy();
    this.wakeIdle();
  }

  private pump(): void {
    while (!this.stopped && this.active < this.limits.maxConcurrent && this.ready.length > 0) {
      const key = this.ready.shift()!;
      const job = this.queues.get(key)?.[0];
      if (!job) continue;
      this.active++;
      void this.attempt(job).then((a) => {
        this.active--;
        if (this.stopped) return;
        if ('retry' in a && job.attempts < this.limits.maxAttempts) {
          const t = setTimeout(() => {
            this.timers.delete(t);
            this.ready.push(key);
            this.pump();
          }, this.backoffMs(job.attempts));
          t.unref();
          this.timers.add(t);
        } else {
          this.finish(key, job, 'final' in a ? a.final : a.retry);
        }
        this.pump();
      });
    }
  }

  private finish(key: string, job: Job, result: DeliveryResult): void {
    const q = this.queues.get(key)!;
    q.shift();
    this.queued--;
    if (q.length > 0) this.ready.push(key);
    else this.queues.delete(key);
    this.report(job.d, result);
    if (this.queued === 0) this.wakeIdle();
  }

  private wakeIdle(): void {
    const ws = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of ws) w();
  }

  private report(d: Delivery, result: DeliveryResult): void {
    try {
      this.opts.onResult?.(d, result);
    } catch {
      // metrics never break delivery
    }
  }

  private backoffMs(attemptsDone: number): number {
    const base = Math.min(this.limits.backoffMaxMs, this.limits.backoffBaseMs * 2 ** (attemptsDone - 1));
    return Math.round(base * (0.8 + 0.4 * this.random()));
  }

  private async attempt(job: Job): Promise<Attempt> {
    job.attempts++;
    if (job.signature === undefined) {
      job.timestamp = datetimeFromDate(this.clock()).text;
      job.body = notificationBody(job.d.notification);
      job.signature = this.opts.sign(lsps5SignedMessage(job.timestamp, job.body));
    }
    const url = new URL(job.d.url);
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const fields = { client: job.d.clientNodeId, appName: job.d.appName, host, method: job.d.notification.method };
    const deadline = Date.now() + this.limits.timeoutMs;
    let address: { address: string; family: number };
    try {
      const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await this.lookup(host);
      if (addresses.length === 0) throw new Error('no address');
      for (const a of addresses) {
        const refused = refuseAddress(a.address, this.opts.destination);
        if (refused !== undefined) {
          this.log.log('warn', 'lsps5: webhook destination refused', { ...fields, addressClass: refused });
          return { final: 'destination_refused' };
        }
      }
      address = addresses[0]!;
    } catch (e) {
      this.log.log('info', 'lsps5: webhook host did not resolve', { ...fields, error: errorText(e) });
      return { retry: 'network_error' };
    }
    const status = await postToAddress(this.agent, url, host, address, job, Math.max(1, deadline - Date.now()));
    if (status === 200) return { final: 'delivered' };
    if (typeof status === 'string') {
      this.log.log('info', 'lsps5: webhook unreachable', { ...fields, attempt: job.attempts, error: status });
      return { retry: 'network_error' };
    }
    // bLIP-55: anything but 200 is an unusual event, otherwise ignored.
    this.log.log('warn', 'lsps5: webhook answered other than 200 OK', { ...fields, attempt: job.attempts, status });
    return status >= 500 || status === 408 || status === 429 ? { retry: 'http_error' } : { final: 'http_error' };
  }

  private async lookup(host: string): Promise<{ address: string; family: number }[]> {
    const now = Date.now();
    const hit = this.resolved.get(host);
    if (hit && hit.until > now) return hit.addresses;
    const addresses = await this.lookupUncached(host);
    if (this.resolved.size >= DNS_CACHE_MAX) this.resolved.clear();
    this.resolved.set(host, { addresses, until: now + DNS_CACHE_MS });
    return addresses;
  }

  private lookupUncached(host: string): Promise<{ address: string; family: number }[]> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('DNS lookup timed out')), this.limits.timeoutMs);
      this.resolve(host).then(
        (r) => (clearTimeout(t), resolve(r)),
        (e: unknown) => (clearTimeout(t), reject(e)),
      );
    });
  }
}

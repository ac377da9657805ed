/**
 * The LSP's LSPS5 service (bLIP-55): answers `lsps5.set_webhook`, `lsps5.list_webhooks` and
 * `lsps5.remove_webhook` on the LSPS0 dispatcher, keeps the webhooks (memory, written through to the
 * database), and turns the events the rest of the LSP reports (`ClientWakeUp`) into webhook calls.
 *
 * A thin shell: what to store, answer and send is decided by `webhook-book.ts` and `notification-gate.ts`;
 * this class persists (before answering: bLIP-55 MUST), keeps the in-memory copies, and hands deliveries to
 * `delivery.ts`, which never blocks the caller. One client's set/remove calls run one at a time, so two
 * concurrent `set_webhook` calls cannot both take the last free slot.
 */
import { clientRejectedObject } from '@jitlsp/shared/lsps0';
import {
  LSPS5_EXPIRY_SOON,
  LSPS5_LIST_WEBHOOKS_METHOD,
  LSPS5_ONION_MESSAGE_INCOMING,
  LSPS5_PAYMENT_INCOMING,
  LSPS5_PROTOCOL_NUMBER,
  LSPS5_REMOVE_WEBHOOK_METHOD,
  LSPS5_SET_WEBHOOK_METHOD,
  listWebhooksResultToWire,
  lsps5ErrorObject,
  parseListWebhooksParams,
  parseRemoveWebhookParams,
  parseSetWebhookParams,
  setWebhookResultToWire,
  type Lsps5Notification,
} from '@jitlsp/shared/lsps5';
import type { Logger } from '@jitlsp/shared/log';
import type { HandlerOutcome, Lsps0Dispatcher, RequestContext } from '../lsps0/dispatcher.js';
import { refuseHost, type DestinationPolicy } from './destination.js';
import type { DeliveryResult, WebhookDelivery } from './delivery.js';
import { clientEvent, liveCooldowns, webhookRegistered, type ClientCooldowns } from './notification-gate.js';
import { checkLsps5Policy, DEFAULT_LSPS5_POLICY, type Lsps5Policy } from './policy.js';
import type { WebhookStore } from './store.js';
import type { ClientWakeUp } from './wake-up.js';
import { decideRemoveWebhook, decideSetWebhook, retentionPass, type Webhook } from './webhook-book.js';

/** How often the retention pass runs (it is cheap, but it reads every channel). */
export const RETENTION_PASS_INTERVAL_MS = 3600_000;

/** `result` label values of jitlsp_lsps5_notifications_total: how deliveries ended, or held back. */
export type NotificationResult = DeliveryResult | 'cooldown';

export interface Lsps5ServiceOptions {
  store: WebhookStore;
  delivery: WebhookDelivery;
  destination: DestinationPolicy;
  /** Whether the client has a BOLT 8 connection to the LSP now. */
  isConnected: (clientNodeId: string) => boolean;
  /** Node ids of the peers the LSP has a channel with now (retention). */
  channelPeers: () => Iterable<string>;
  policy?: Partial<Lsps5Policy>;
  clock?: () => Date;
  logger?: Logger;
  /** Each notification's outcome, for metrics (held back by cooldown, or how its delivery ended). */
  onNotification?: (method: string, result: NotificationResult) => void;
}

const NO_LOG: Logger = { log: () => {} };

export class Lsps5Service implements ClientWakeUp {
  private readonly byClient = new Map<string, Webhook[]>();
  private readonly chains = new Map<string, Promise<unknown>>();
  /** Clients notified within the cooldown (bounded: run-out entries are dropped by `tick`). */
  private readonly cooldowns = new Map<string, NonNullable<ClientCooldowns>>();
  private readonly policy: Lsps5Policy;
  private readonly clock: () => Date;
  private readonly log: Logger;
  private lastRetentionPassMs = -Infinity;

  private constructor(private readonly opts: Lsps5ServiceOptions) {
    this.policy = { ...DEFAULT_LSPS5_POLICY, ...opts.policy };
    checkLsps5Policy(this.policy);
    this.clock = opts.clock ?? (() => new Date());
    this.log = opts.logger ?? NO_LOG;
  }

  /** Loads the stored webhooks. */
  static async start(opts: Lsps5ServiceOptions): Promise<Lsps5Service> {
    const s = new Lsps5Service(opts);
    for (const w of await opts.store.loadAll()) s.put(w);
    return s;
  }

  /** Registers the three methods on the dispatcher, and 5 in its `lsps0.list_protocols`. */
  register(dispatcher: Lsps0Dispatcher): void {
    dispatcher.advertise(LSPS5_PROTOCOL_NUMBER);
    dispatcher.register(LSPS5_SET_WEBHOOK_METHOD, (ctx) => this.setWebhook(ctx));
    dispatcher.register(LSPS5_LIST_WEBHOOKS_METHOD, (ctx) => this.listWebhooks(ctx));
    dispatcher.register(LSPS5_REMOVE_WEBHOOK_METHOD, (ctx) => this.removeWebhook(ctx));
  }

  /** The client's webhooks (admin, tests). */
  webhooksOf(clientNodeId: string): readonly Webhook[] {
    return this.byClient.get(clientNodeId) ?? [];
  }

  /** Webhooks held over all clients (metrics). */
  get webhookCount(): number {
    let n = 0;
    for (const ws of this.byClient.values()) n += ws.length;
    return n;
  }

  // ---- ClientWakeUp ----

  paymentIncoming(clientNodeId: string): void {
    this.event(clientNodeId, { method: LSPS5_PAYMENT_INCOMING });
  }

  onionMessageIncoming(clientNodeId: string): void {
    this.event(clientNodeId, { method: LSPS5_ONION_MESSAGE_INCOMING });
  }

  expirySoon(clientNodeId: string, timeoutBlockHeight: number): void {
    this.event(clientNodeId, { method: LSPS5_EXPIRY_SOON, timeoutBlockHeight });
  }

  holdsOnionMessages(clientNodeId: string): boolean {
    return this.byClient.has(clientNodeId);
  }

  /** The client connected (the node's peerConnected): its cooldowns end. */
  peerConnected(clientNodeId: string): void {
    // bLIP-55: "The timeout should be reset once the client comes online and then goes offline".
    this.cooldowns.delete(clientNodeId);
  }

  /** Timers: forget run-out cooldowns; once an hour, the retention pass. */
  async tick(): Promise<void> {
    const now = this.clock();
    for (const [client, c] of this.cooldowns) {
      const live = liveCooldowns(c, now, this.policy.cooldownMs);
      if (live === undefined) this.cooldowns.delete(client);
      else this.cooldowns.set(client, live);
    }
    if (now.getTime() - this.lastRetentionPassMs < RETENTION_PASS_INTERVAL_MS) return;
    this.lastRetentionPassMs = now.getTime();
    await this.retention(now);
  }

  /** bLIP-55 retention: refresh the marks of clients with a channel, delete webhooks kept long enough. */
  async retention(now: Date = this.clock()): Promise<void> {
    const withChannel = new Set(this.opts.channelPeers());
    const all = [...this.byClient.values()].flat();
    const pass = retentionPass(all, (c) => withChannel.has(c), now, this.policy);
    if (pass.refresh.length > 0) {
      await this.opts.store.markRetained(pass.refresh, now);
      for (const c of pass.refresh)
        this.byClient.set(
          c,
          this.webhooksOf(c).map((w) => ({ ...w, retainedFrom: now })),
        );
    }
    if (pass.expire.length > 0) {
      await this.opts.store.removeMany(pass.expire);
      for (const k of pass.expire) this.drop(k.clientNodeId, k.appName);
      this.log.log('info', 'lsps5: webhooks past retention removed', { count: pass.expire.length });
    }
  }

  // ---- LSPS0 methods ----

  private setWebhook({ peer, request, now }: RequestContext): Promise<HandlerOutcome> | HandlerOutcome {
    const p = parseSetWebhookParams(request.params);
    if (!p.ok) return { error: p.error, reason: p.reason };
    return this.serial(peer, async (): Promise<HandlerOutcome> => {
      const d = decideSetWebhook(
        this.webhooksOf(peer),
        { clientNodeId: peer, appName: p.value.appName, webhook: p.value.webhook },
        now,
        this.policy,
        (url) => refuseHost(url.hostname, this.opts.destination),
      );
      if (d.kind === 'refuse') {
        if (d.code === 'destination')
          return { error: clientRejectedObject('webhook destination not allowed'), reason: d.reason };
        return { error: lsps5ErrorObject(d.code, this.policy.maxWebhooksPerClient), reason: d.reason };
      }
      // bLIP-55 MUST: persisted before the answer.
      await this.opts.store.upsert(d.webhook);
      this.put(d.webhook);
      if (d.notify) {
        this.log.log('info', 'lsps5: webhook registered', {
          client: peer,
          appName: d.webhook.appName,
          host: new URL(d.webhook.url).host,
        });
        this.opts.delivery.enqueue(webhookRegistered(d.webhook));
      }
      return { result: setWebhookResultToWire(d.result) };
    });
  }

  private listWebhooks({ peer, request }: RequestContext): HandlerOutcome {
    const p = parseListWebhooksParams(request.params);
    if (!p.ok) return { error: p.error, reason: p.reason };
    return {
      result: listWebhooksResultToWire({
        appNames: this.webhooksOf(peer).map((w) => w.appName),
        maxWebhooks: this.policy.maxWebhooksPerClient,
      }),
    };
  }

  private removeWebhook({ peer, request }: RequestContext): Promise<HandlerOutcome> | HandlerOutcome {
    const p = parseRemoveWebhookParams(request.params);
    if (!p.ok) return { error: p.error, reason: p.reason };
    return this.serial(peer, async (): Promise<HandlerOutcome> => {
      const d = decideRemoveWebhook(this.webhooksOf(peer), p.value.appName);
      if (d.kind === 'refuse') return { error: lsps5ErrorObject(d.code as 1010), reason: d.reason };
      await this.opts.store.remove(peer, d.appName);
      this.drop(peer, d.appName);
      return { result: {} };
    });
  }

  // ---- internals ----

  private event(clientNodeId: string, notification: Lsps5Notification): void {
    const webhooks = this.byClient.get(clientNodeId);
    if (webhooks === undefined) return; // most clients: nothing to decide
    let connected: boolean;
    try {
      connected = this.opts.isConnected(clientNodeId);
    } catch {
      connected = false;
    }
    const step = clientEvent(this.cooldowns.get(clientNodeId), {
      notification,
      webhooks,
      connected,
      now: this.clock(),
      cooldownMs: this.policy.cooldownMs,
    });
    if (step.heldBack === 'cooldown') this.count(notification.method, 'cooldown');
    if (step.cooldowns !== undefined) this.cooldowns.set(clientNodeId, step.cooldowns);
    for (const d of step.deliveries) this.opts.delivery.enqueue(d);
  }

  private count(method: string, result: NotificationResult): void {
    try {
      this.opts.onNotification?.(method, result);
    } catch {
      // metrics never break the protocol
    }
  }

  private put(w: Webhook): void {
    const list = this.byClient.get(w.clientNodeId) ?? [];
    const i = list.findIndex((x) => x.appName === w.appName);
    this.byClient.set(w.clientNodeId, i < 0 ? [...list, w] : list.map((x, j) => (j === i ? w : x)));
  }

  private drop(clientNodeId: string, appName: string): void {
    const list = (this.byClient.get(clientNodeId) ?? []).filter((w) => w.appName !== appName);
    if (list.length === 0) this.byClient.delete(clientNodeId);
    else this.byClient.set(clientNodeId, list);
  }

  /** Runs `job` after the client's previous set/remove call finished. */
  private serial<T>(clientNodeId: string, job: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(clientNodeId) ?? Promise.resolve();
    const run = prev.then(job, job);
    const tail = run.catch(() => undefined);
    this.chains.set(clientNodeId, tail);
    void tail.then(() => {
      if (this.chains.get(clientNodeId) === tail) this.chains.delete(clientNodeId);
    });
    return run;
  }
}

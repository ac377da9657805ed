/**
 * LSPS5 as the daemon runs it: the webhook table, HTTPS delivery signed by the node's key, and the service,
 * configured from `ServiceConfig.lsps5`. Started before the node (so onion messages of clients with a webhook
 * are held from the node's first event), with the node bound late.
 */
import { readFileSync } from 'node:fs';
import type { LightningNode } from '@jitlsp/engine/node';
import type { ServiceConfig } from '../config/config.js';
import type { Database } from '../db/database.js';
import { WebhookRepository } from '../db/repositories/webhook.repository.js';
import type { Logger } from '@jitlsp/shared/log';
import type { ServiceMetrics } from '../metrics/metrics.js';
import { WebhookDelivery } from './delivery.js';
import { Lsps5Service } from './service.js';

export interface Lsps5Runtime {
  service: Lsps5Service;
  delivery: WebhookDelivery;
}

export async function startLsps5(opts: {
  config: ServiceConfig['lsps5'];
  db: Database;
  /** The node, once started (signing, connected peers, channels). */
  node: () => LightningNode | undefined;
  clock: () => Date;
  logger: Logger;
  metrics: ServiceMetrics;
}): Promise<Lsps5Runtime> {
  const { config: c, logger } = opts;
  const destination = { allowLoopback: c.allowLocalWebhooks };
  if (c.allowLocalWebhooks)
    logger.log(
      'warn',
      'LSPS5: JITLSP_LSPS5_ALLOW_LOCAL_WEBHOOKS is on: webhooks may reach LOOPBACK addresses (tests only)',
      {
        setting: 'JITLSP_LSPS5_ALLOW_LOCAL_WEBHOOKS',
      },
    );
  const extraCaPem = c.extraCaCertsFile === undefined ? undefined : readFileSync(c.extraCaCertsFile, 'utf8');
  const node = () => {
    const n = opts.node();
    if (!n) throw new Error('lsps5: the node is not started');
    return n;
  };
  const delivery = new WebhookDelivery({
    sign: (m) => node().signMessage(m),
    destination,
    extraCaPem,
    clock: opts.clock,
    logger,
    limits: {
      timeoutMs: c.deliveryTimeoutSeconds * 1000,
      maxQueued: c.maxQueuedNotifications,
      maxConcurrent: c.maxConcurrentDeliveries,
    },
    onResult: (d, result) => opts.metrics.lsps5Notification(d.notification.method, result),
  });
  const service = await Lsps5Service.start({
    store: new WebhookRepository(opts.db),
    delivery,
    destination,
    isConnected: (peer) =>
      opts
        .node()
        ?.listPeers()
        .some((p) => p.nodeId === peer) ?? false,
    channelPeers: () =>
      opts
        .node()
        ?.listChannels()
        .map((ch) => ch.counterpartyNodeId) ?? [],
    policy: {
      maxWebhooksPerClient: c.maxWebhooksPerClient,
      cooldownMs: c.cooldownSeconds * 1000,
      retentionMs: c.retentionDays * 24 * 3600_000,
    },
    clock: opts.clock,
    logger,
    onNotification: (method, result) => opts.metrics.lsps5Notification(method, result),
  });
  opts.metrics.setWebhookCountSource(() => service.webhookCount);
  return { service, delivery };
}

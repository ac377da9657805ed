/**
 * {@link WebhookStore} on typeorm: LSPS5 webhooks (bLIP-55), one row per (client node id, app name). An
 * upsert is one statement (insert, or on conflict update), so it is durable on resolve and group-committed
 * on SQLite like the other single-statement writes.
 */
import { In } from 'typeorm';
import type { WebhookStore } from '../../lsps5/store.js';
import type { Webhook } from '../../lsps5/webhook-book.js';
import type { Database } from '../database.js';
import type { WebhookRow } from '../entities/webhook.entity.js';

const ENTITY = 'Webhook';
/** Keys per DELETE statement (well under SQLite's bound-parameter limit). */
const DELETE_CHUNK = 200;

function toRow(w: Webhook): WebhookRow {
  return {
    clientNodeId: w.clientNodeId,
    appName: w.appName,
    url: w.url,
    createdAtMs: w.createdAt.getTime(),
    updatedAtMs: w.updatedAt.getTime(),
    retainedFromMs: w.retainedFrom.getTime(),
  };
}

export class WebhookRepository implements WebhookStore {
  constructor(private readonly db: Database) {}

  async upsert(webhook: Webhook): Promise<void> {
    await this.db.writeOne((m) =>
      m
        .createQueryBuilder()
        .insert()
        .into(ENTITY)
        .values(toRow(webhook))
        .orUpdate(['url', 'updated_at_ms', 'retained_from_ms'], ['client_node_id', 'app_name'])
        .execute(),
    );
  }

  async remove(clientNodeId: string, appName: string): Promise<boolean> {
    const r = await this.db.writeOne((m) => m.delete(ENTITY, { clientNodeId, appName }));
    return (r.affected ?? 0) > 0;
  }

  async removeMany(keys: readonly { clientNodeId: string; appName: string }[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.write(async (m) => {
      for (let i = 0; i < keys.length; i += DELETE_CHUNK) {
        await m.delete(
          ENTITY,
          keys.slice(i, i + DELETE_CHUNK).map((k) => ({ clientNodeId: k.clientNodeId, appName: k.appName })),
        );
      }
    });
  }

  async markRetained(clientNodeIds: readonly string[], at: Date): Promise<void> {
    if (clientNodeIds.length === 0) return;
    await this.db.write(async (m) => {
      for (let i = 0; i < clientNodeIds.length; i += DELETE_CHUNK) {
        await m
          .createQueryBuilder()
          .update(ENTITY)
          .set({ retainedFromMs: at.getTime() })
          .where({ clientNodeId: In(clientNodeIds.slice(i, i + DELETE_CHUNK)) })
          .execute();
      }
    });
  }

  async loadAll(): Promise<Webhook[]> {
    const rows = await this.db.read((m) =>
      m.getRepository<WebhookRow>(ENTITY).find({ order: { clientNodeId: 'ASC', createdAtMs: 'ASC' } }),
    );
    return rows.map((r) => ({
      clientNodeId: r.clientNodeId,
      appName: r.appName,
      url: r.url,
      createdAt: new Date(r.createdAtMs),
      updatedAt: new Date(r.updatedAtMs),
      retainedFrom: new Date(r.retainedFromMs),
    }));
  }

  /** Rows stored (metrics, tests). */
  count(): Promise<number> {
    return this.db.read((m) => m.count(ENTITY));
  }
}

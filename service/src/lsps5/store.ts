/**
 * Where webhooks are kept (bLIP-55 MUST: persisted, and associated with the client node id and `app_name`,
 * before `set_webhook` is answered). Implemented on the database by `db/repositories/webhook.repository.ts`.
 * Every method is durable when it resolves.
 */
import type { Webhook } from './webhook-book.js';

export interface WebhookStore {
  /** Inserts or replaces the webhook of (client, app name). */
  upsert(webhook: Webhook): Promise<void>;
  /** Deletes the webhook of (client, app name); resolves whether there was one. */
  remove(clientNodeId: string, appName: string): Promise<boolean>;
  /** Deletes these webhooks (retention). */
  removeMany(keys: readonly { clientNodeId: string; appName: string }[]): Promise<void>;
  /** Sets the retention mark of every webhook of these clients. */
  markRetained(clientNodeIds: readonly string[], at: Date): Promise<void>;
  loadAll(): Promise<Webhook[]>;
}

/**
 * `lsps5_webhooks`: one row per webhook a client registered with `lsps5.set_webhook` (bLIP-55), keyed by the
 * client's node id and the `app_name`; `retained_from_ms` is the client's last sign of life known to the LSP,
 * from which the retention counts (service/src/lsps5/webhook-book.ts).
 */
import { EntitySchema } from 'typeorm';
import { int64AsNumber, NODE_ID_HEX_LENGTH } from '../columns.js';

export interface WebhookRow {
  clientNodeId: string;
  appName: string;
  url: string;
  createdAtMs: number;
  updatedAtMs: number;
  retainedFromMs: number;
}

export const WEBHOOK_TABLE = 'lsps5_webhooks';
/** bLIP-55: app_name is at most 64 bytes (so at most 64 characters), webhook at most 1024 ASCII characters. */
export const APP_NAME_LENGTH = 64;
export const WEBHOOK_URL_LENGTH = 1024;

export const WebhookEntity = new EntitySchema<WebhookRow>({
  name: 'Webhook',
  tableName: WEBHOOK_TABLE,
  columns: {
    clientNodeId: { name: 'client_node_id', type: 'varchar', length: NODE_ID_HEX_LENGTH, primary: true },
    appName: { name: 'app_name', type: 'varchar', length: APP_NAME_LENGTH, primary: true },
    url: { name: 'url', type: 'varchar', length: WEBHOOK_URL_LENGTH },
    createdAtMs: { name: 'created_at_ms', type: 'bigint', transformer: int64AsNumber },
    updatedAtMs: { name: 'updated_at_ms', type: 'bigint', transformer: int64AsNumber },
    retainedFromMs: { name: 'retained_from_ms', type: 'bigint', transformer: int64AsNumber },
  },
});

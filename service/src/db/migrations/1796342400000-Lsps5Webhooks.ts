/**
 * LSPS5 webhooks (bLIP-55): the `lsps5_webhooks` table (see its entity for what a row means). The same DDL on
 * SQLite and Postgres, through typeorm's `Table` API.
 */
import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { NODE_ID_HEX_LENGTH } from '../columns.js';

export class Lsps5Webhooks1796342400000 implements MigrationInterface {
  name = 'Lsps5Webhooks1796342400000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'lsps5_webhooks',
        columns: [
          { name: 'client_node_id', type: 'varchar', length: String(NODE_ID_HEX_LENGTH), isPrimary: true },
          { name: 'app_name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'url', type: 'varchar', length: '1024' },
          { name: 'created_at_ms', type: 'bigint' },
          { name: 'updated_at_ms', type: 'bigint' },
          { name: 'retained_from_ms', type: 'bigint' },
        ],
      }),
    );
    await q.createIndex(
      'lsps5_webhooks',
      new TableIndex({ name: 'idx_lsps5_webhooks_retained', columnNames: ['retained_from_ms'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('lsps5_webhooks');
  }
}

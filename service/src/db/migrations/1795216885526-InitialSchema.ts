/**
 * The first schema: JIT sessions, funding payment hashes and the onion-message mailbox (see the entity files
 * for what one row means). Written with typeorm's `Table` API so that the one migration produces the right
 * DDL on both SQLite and Postgres; only the bytes column type is chosen per dialect.
 */
import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { bytesType, type Dialect, HASH_HEX_LENGTH, NODE_ID_HEX_LENGTH, U64_DECIMAL_LENGTH } from '../columns.js';

export class InitialSchema1795216885526 implements MigrationInterface {
  name = 'InitialSchema1795216885526';

  async up(q: QueryRunner): Promise<void> {
    const dialect: Dialect = q.connection.options.type === 'postgres' ? 'postgres' : 'sqlite';
    const u64 = { type: 'varchar', length: String(U64_DECIMAL_LENGTH) } as const;
    const nodeId = { type: 'varchar', length: String(NODE_ID_HEX_LENGTH) } as const;
    const hash = { type: 'varchar', length: String(HASH_HEX_LENGTH) } as const;

    await q.createTable(
      new Table({
        name: 'lsps2_sessions',
        columns: [
          { name: 'jit_channel_scid', ...u64, isPrimary: true },
          { name: 'client_node_id', ...nodeId },
          { name: 'state_kind', type: 'varchar', length: '32' },
          { name: 'terms', type: 'text' },
          { name: 'state', type: 'text' },
          { name: 'valid_until_ms', type: 'bigint' },
          { name: 'version', type: 'integer' },
          { name: 'created_at_ms', type: 'bigint' },
          { name: 'updated_at_ms', type: 'bigint' },
        ],
      }),
    );
    await q.createIndex(
      'lsps2_sessions',
      new TableIndex({ name: 'idx_lsps2_sessions_client', columnNames: ['client_node_id', 'created_at_ms'] }),
    );
    await q.createIndex(
      'lsps2_sessions',
      new TableIndex({ name: 'idx_lsps2_sessions_state', columnNames: ['state_kind', 'updated_at_ms'] }),
    );

    await q.createTable(
      new Table({
        name: 'lsps2_funding_hashes',
        columns: [
          { name: 'payment_hash', ...hash, isPrimary: true },
          { name: 'jit_channel_scid', ...u64 },
          { name: 'created_at_ms', type: 'bigint' },
        ],
      }),
    );
    await q.createIndex(
      'lsps2_funding_hashes',
      new TableIndex({ name: 'idx_lsps2_funding_hashes_scid', columnNames: ['jit_channel_scid'] }),
    );

    await q.createTable(
      new Table({
        name: 'onion_mailbox',
        columns: [
          { name: 'id', ...hash, isPrimary: true },
          { name: 'peer_node_id', ...nodeId },
          { name: 'seq', type: 'bigint' },
          { name: 'message', type: bytesType(dialect) },
          { name: 'received_at_ms', type: 'bigint' },
          { name: 'expires_at_ms', type: 'bigint' },
        ],
      }),
    );
    await q.createIndex(
      'onion_mailbox',
      new TableIndex({ name: 'idx_onion_mailbox_peer_seq', columnNames: ['peer_node_id', 'seq'] }),
    );
    await q.createIndex(
      'onion_mailbox',
      new TableIndex({ name: 'idx_onion_mailbox_expiry', columnNames: ['expires_at_ms'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('onion_mailbox');
    await q.dropTable('lsps2_funding_hashes');
    await q.dropTable('lsps2_sessions');
  }
}

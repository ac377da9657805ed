/**
 * The on-chain wallet's tables (see entities/wallet.entities.ts for what a row means), on both SQLite and
 * Postgres through typeorm's `Table` API; only the raw-transaction column type is chosen per dialect.
 */
import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { bytesType, type Dialect, HASH_HEX_LENGTH, U64_DECIMAL_LENGTH } from '../columns.js';
import { OUTPOINT_LENGTH, WALLET_TABLES } from '../entities/wallet.entities.js';

export class WalletSchema1796326795759 implements MigrationInterface {
  name = 'WalletSchema1796326795759';

  async up(q: QueryRunner): Promise<void> {
    const dialect: Dialect = q.connection.options.type === 'postgres' ? 'postgres' : 'sqlite';
    const hash = { type: 'varchar', length: String(HASH_HEX_LENGTH) } as const;
    const sat = { type: 'varchar', length: String(U64_DECIMAL_LENGTH) } as const;

    await q.createTable(
      new Table({
        name: WALLET_TABLES.meta,
        columns: [
          { name: 'id', type: 'varchar', length: '16', isPrimary: true },
          { name: 'network', type: 'varchar', length: '16' },
          { name: 'birthday_height', type: 'integer' },
          { name: 'gap_limit', type: 'integer' },
          { name: 'tip_height', type: 'integer', isNullable: true },
          { name: 'tip_hash', ...hash, isNullable: true },
          { name: 'next_receive', type: 'integer' },
          { name: 'next_change', type: 'integer' },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: WALLET_TABLES.utxos,
        columns: [
          { name: 'outpoint', type: 'varchar', length: String(OUTPOINT_LENGTH), isPrimary: true },
          { name: 'txid', ...hash },
          { name: 'vout', type: 'integer' },
          { name: 'amount_sat', ...sat },
          { name: 'branch', type: 'varchar', length: '8' },
          { name: 'key_index', type: 'integer' },
          { name: 'height', type: 'integer', isNullable: true },
          { name: 'coinbase', type: 'boolean' },
          { name: 'spent_by', ...hash, isNullable: true },
        ],
      }),
    );
    await q.createIndex(WALLET_TABLES.utxos, new TableIndex({ name: 'idx_wallet_utxos_txid', columnNames: ['txid'] }));
    await q.createTable(
      new Table({
        name: WALLET_TABLES.transactions,
        columns: [
          { name: 'txid', ...hash, isPrimary: true },
          { name: 'raw', type: bytesType(dialect) },
          { name: 'fee_sat', ...sat },
          { name: 'vsize', type: 'integer' },
          { name: 'height', type: 'integer', isNullable: true },
          { name: 'created_at_ms', type: 'bigint' },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: WALLET_TABLES.reservations,
        columns: [
          { name: 'id', type: 'varchar', length: '128', isPrimary: true },
          { name: 'outpoints', type: 'text' },
          { name: 'purpose', type: 'varchar', length: '64' },
          { name: 'created_at_ms', type: 'bigint' },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: WALLET_TABLES.undo,
        columns: [
          { name: 'height', type: 'integer', isPrimary: true },
          { name: 'hash', ...hash },
          { name: 'previous_hash', ...hash },
          { name: 'undo', type: 'text' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      WALLET_TABLES.undo,
      WALLET_TABLES.reservations,
      WALLET_TABLES.transactions,
      WALLET_TABLES.utxos,
      WALLET_TABLES.meta,
    ]) {
      await q.dropTable(table);
    }
  }
}

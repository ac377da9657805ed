/**
 * The on-chain wallet's tables. Together they hold a `WalletState` (shared/src/wallet/state.ts): one
 * `wallet_meta` row (network, birthday, tip, next derivation indexes), the unspent outputs, our own
 * transactions until they are buried, the reservations, and one undo record per recent block. Every change of
 * one event (or one batch of blocks) is written in one transaction with the tip, so a crash leaves the wallet
 * consistently at a block it can continue from.
 *
 * Amounts are decimal strings (u64 sat may exceed Postgres' signed bigint in theory; the column helpers say so).
 */
import { EntitySchema } from 'typeorm';
import { type Dialect, bytesType, int64AsNumber, HASH_HEX_LENGTH, U64_DECIMAL_LENGTH } from '../columns.js';

/** `txid:vout`, vout up to 10 digits. */
export const OUTPOINT_LENGTH = HASH_HEX_LENGTH + 11;

export interface WalletMetaRow {
  id: string;
  network: string;
  birthdayHeight: number;
  gapLimit: number;
  tipHeight: number | null;
  tipHash: string | null;
  nextReceive: number;
  nextChange: number;
}

export interface WalletUtxoRow {
  outpoint: string;
  txid: string;
  vout: number;
  amountSat: string;
  branch: string;
  keyIndex: number;
  height: number | null;
  coinbase: boolean;
  spentBy: string | null;
}

export interface WalletTransactionRow {
  txid: string;
  raw: Buffer;
  feeSat: string;
  vsize: number;
  height: number | null;
  createdAtMs: number;
}

export interface WalletReservationRow {
  id: string;
  /** JSON array of outpoints. */
  outpoints: string;
  purpose: string;
  createdAtMs: number;
}

export interface WalletBlockUndoRow {
  height: number;
  hash: string;
  previousHash: string;
  /** JSON: `{ created: outpoint[], spent: utxo[] }` with amounts as strings. */
  undo: string;
}

export const WALLET_TABLES = {
  meta: 'wallet_meta',
  utxos: 'wallet_utxos',
  transactions: 'wallet_transactions',
  reservations: 'wallet_reservations',
  undo: 'wallet_block_undo',
} as const;

const hash = { type: 'varchar', length: HASH_HEX_LENGTH } as const;

export const WalletMetaEntity = new EntitySchema<WalletMetaRow>({
  name: 'WalletMeta',
  tableName: WALLET_TABLES.meta,
  columns: {
    id: { name: 'id', type: 'varchar', length: 16, primary: true },
    network: { name: 'network', type: 'varchar', length: 16 },
    birthdayHeight: { name: 'birthday_height', type: 'integer' },
    gapLimit: { name: 'gap_limit', type: 'integer' },
    tipHeight: { name: 'tip_height', type: 'integer', nullable: true },
    tipHash: { name: 'tip_hash', ...hash, nullable: true },
    nextReceive: { name: 'next_receive', type: 'integer' },
    nextChange: { name: 'next_change', type: 'integer' },
  },
});

export const WalletUtxoEntity = new EntitySchema<WalletUtxoRow>({
  name: 'WalletUtxo',
  tableName: WALLET_TABLES.utxos,
  columns: {
    outpoint: { name: 'outpoint', type: 'varchar', length: OUTPOINT_LENGTH, primary: true },
    txid: { name: 'txid', ...hash },
    vout: { name: 'vout', type: 'integer' },
    amountSat: { name: 'amount_sat', type: 'varchar', length: U64_DECIMAL_LENGTH },
    branch: { name: 'branch', type: 'varchar', length: 8 },
    keyIndex: { name: 'key_index', type: 'integer' },
    height: { name: 'height', type: 'integer', nullable: true },
    coinbase: { name: 'coinbase', type: 'boolean' },
    spentBy: { name: 'spent_by', ...hash, nullable: true },
  },
});

export function walletTransactionEntity(dialect: Dialect): EntitySchema<WalletTransactionRow> {
  return new EntitySchema<WalletTransactionRow>({
    name: 'WalletTransaction',
    tableName: WALLET_TABLES.transactions,
    columns: {
      txid: { name: 'txid', ...hash, primary: true },
      raw: { name: 'raw', type: bytesType(dialect) },
      feeSat: { name: 'fee_sat', type: 'varchar', length: U64_DECIMAL_LENGTH },
      vsize: { name: 'vsize', type: 'integer' },
      height: { name: 'height', type: 'integer', nullable: true },
      createdAtMs: { name: 'created_at_ms', type: 'bigint', transformer: int64AsNumber },
    },
  });
}

export const WalletReservationEntity = new EntitySchema<WalletReservationRow>({
  name: 'WalletReservation',
  tableName: WALLET_TABLES.reservations,
  columns: {
    id: { name: 'id', type: 'varchar', length: 128, primary: true },
    outpoints: { name: 'outpoints', type: 'text' },
    purpose: { name: 'purpose', type: 'varchar', length: 64 },
    createdAtMs: { name: 'created_at_ms', type: 'bigint', transformer: int64AsNumber },
  },
});

export const WalletBlockUndoEntity = new EntitySchema<WalletBlockUndoRow>({
  name: 'WalletBlockUndo',
  tableName: WALLET_TABLES.undo,
  columns: {
    height: { name: 'height', type: 'integer', primary: true },
    hash: { name: 'hash', ...hash },
    previousHash: { name: 'previous_hash', ...hash },
    undo: { name: 'undo', type: 'text' },
  },
});

export function walletEntities(dialect: Dialect) {
  return [
    WalletMetaEntity,
    WalletUtxoEntity,
    walletTransactionEntity(dialect),
    WalletReservationEntity,
    WalletBlockUndoEntity,
  ];
}

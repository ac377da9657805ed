/**
 * {@link WalletStore} on typeorm: the wallet's tables (entities/wallet.entities.ts). `apply` writes one event's
 * changes and the new tip in a single transaction, so after a crash the stored wallet is the state before or
 * after that event, never between: the follower resumes from the stored tip.
 */
import { In, type EntityManager } from 'typeorm';
import type {
  Branch,
  BlockUndo,
  OwnTransaction,
  WalletChanges,
  WalletNetwork,
  WalletReservation,
  WalletState,
  WalletUtxo,
} from '@jitlsp/shared/wallet';
import type { WalletStore } from '../../wallet/store.js';
import type { Database } from '../database.js';
import type {
  WalletBlockUndoRow,
  WalletMetaRow,
  WalletReservationRow,
  WalletTransactionRow,
  WalletUtxoRow,
} from '../entities/wallet.entities.js';

const META_ID = 'wallet';
/** Rows per INSERT / DELETE statement (well under SQLite's bound-parameter limit). */
const CHUNK = 200;

export class WalletRepository implements WalletStore {
  constructor(private readonly db: Database) {}

  async load(): Promise<WalletState | undefined> {
    return this.db.read(async (m) => {
      const meta = await m.findOne<WalletMetaRow>('WalletMeta', { where: { id: META_ID } });
      if (meta === null) return undefined;
      const [utxos, txs, reservations, undo] = await Promise.all([
        m.find<WalletUtxoRow>('WalletUtxo'),
        m.find<WalletTransactionRow>('WalletTransaction'),
        m.find<WalletReservationRow>('WalletReservation'),
        m.find<WalletBlockUndoRow>('WalletBlockUndo'),
      ]);
      const state: WalletState = {
        network: meta.network as WalletNetwork,
        birthdayHeight: meta.birthdayHeight,
        gapLimit: meta.gapLimit,
        ...(meta.tipHeight !== null && meta.tipHash !== null
          ? { tip: { height: meta.tipHeight, hash: meta.tipHash } }
          : {}),
        next: { receive: meta.nextReceive, change: meta.nextChange },
        utxos: new Map(utxos.map((r) => [r.outpoint as WalletUtxo['outpoint'], utxoFromRow(r)])),
        ownTransactions: new Map(txs.map((r) => [r.txid, transactionFromRow(r)])),
        reservations: new Map(reservations.map((r) => [r.id, reservationFromRow(r)])),
        undo: new Map(undo.map((r) => [r.height, undoFromRow(r)])),
      };
      return state;
    });
  }

  async create(state: WalletState): Promise<void> {
    await this.db.write(async (m) => {
      await m.insert('WalletMeta', metaRow(state));
      await this.write(m, {
        utxos: { put: [...state.utxos.values()], deleted: [] },
        ownTransactions: { put: [...state.ownTransactions.values()], deleted: [] },
        reservations: { put: [...state.reservations.values()], deleted: [] },
        undo: { put: [...state.undo.values()], deleted: [] },
      });
    });
  }

  async apply(after: WalletState, changes: WalletChanges): Promise<void> {
    await this.db.write(async (m) => {
      if (changes.tip !== undefined || changes.next !== undefined) {
        const { id: _id, ...row } = metaRow(after);
        await m.update('WalletMeta', { id: META_ID }, row);
      }
      await this.write(m, changes);
    });
  }

  private async write(m: EntityManager, c: Omit<WalletChanges, 'tip' | 'next'>): Promise<void> {
    await deleteIn(m, 'WalletUtxo', 'outpoint', c.utxos.deleted);
    await upsert(m, 'WalletUtxo', 'outpoint', c.utxos.put.map(utxoRow));
    await deleteIn(m, 'WalletTransaction', 'txid', c.ownTransactions.deleted);
    await upsert(m, 'WalletTransaction', 'txid', c.ownTransactions.put.map(transactionRow));
    await deleteIn(m, 'WalletReservation', 'id', c.reservations.deleted);
    await upsert(m, 'WalletReservation', 'id', c.reservations.put.map(reservationRow));
    await deleteIn(m, 'WalletBlockUndo', 'height', c.undo.deleted);
    await upsert(m, 'WalletBlockUndo', 'height', c.undo.put.map(undoRow));
  }
}

async function deleteIn(
  m: EntityManager,
  entity: string,
  key: string,
  keys: readonly (string | number)[],
): Promise<void> {
  for (let i = 0; i < keys.length; i += CHUNK) await m.delete(entity, { [key]: In(keys.slice(i, i + CHUNK)) });
}

async function upsert(m: EntityManager, entity: string, key: string, rows: object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await m.upsert(entity, rows.slice(i, i + CHUNK), [key]);
}

function metaRow(s: WalletState): WalletMetaRow {
  return {
    id: META_ID,
    network: s.network,
    birthdayHeight: s.birthdayHeight,
    gapLimit: s.gapLimit,
    tipHeight: s.tip?.height ?? null,
    tipHash: s.tip?.hash ?? null,
    nextReceive: s.next.receive,
    nextChange: s.next.change,
  };
}

function utxoRow(u: WalletUtxo): WalletUtxoRow {
  return {
    outpoint: u.outpoint,
    txid: u.txid,
    vout: u.vout,
    amountSat: u.amountSat.toString(),
    branch: u.branch,
    keyIndex: u.index,
    height: u.height ?? null,
    coinbase: u.coinbase,
    spentBy: u.spentBy ?? null,
  };
}

function utxoFromRow(r: WalletUtxoRow): WalletUtxo {
  return {
    outpoint: r.outpoint as WalletUtxo['outpoint'],
    txid: r.txid,
    vout: r.vout,
    amountSat: BigInt(r.amountSat),
    branch: r.branch as Branch,
    index: r.keyIndex,
    ...(r.height !== null ? { height: r.height } : {}),
    coinbase: Boolean(r.coinbase),
    ...(r.spentBy !== null ? { spentBy: r.spentBy } : {}),
  };
}

function transactionRow(t: OwnTransaction): WalletTransactionRow {
  return {
    txid: t.txid,
    raw: Buffer.from(t.raw),
    feeSat: t.feeSat.toString(),
    vsize: t.vsize,
    height: t.height ?? null,
    createdAtMs: t.createdAtMs,
  };
}

function transactionFromRow(r: WalletTransactionRow): OwnTransaction {
  return {
    txid: r.txid,
    raw: new Uint8Array(r.raw),
    feeSat: BigInt(r.feeSat),
    vsize: r.vsize,
    ...(r.height !== null ? { height: r.height } : {}),
    createdAtMs: r.createdAtMs,
  };
}

function reservationRow(r: WalletReservation): WalletReservationRow {
  return { id: r.id, outpoints: JSON.stringify(r.outpoints), purpose: r.purpose, createdAtMs: r.createdAtMs };
}

function reservationFromRow(r: WalletReservationRow): WalletReservation {
  return {
    id: r.id,
    outpoints: JSON.parse(r.outpoints) as WalletReservation['outpoints'],
    purpose: r.purpose,
    createdAtMs: r.createdAtMs,
  };
}

function undoRow(u: BlockUndo): WalletBlockUndoRow {
  return {
    height: u.height,
    hash: u.hash,
    previousHash: u.previousHash,
    undo: JSON.stringify({ created: u.created, spent: u.spent.map(utxoRow) }),
  };
}

function undoFromRow(r: WalletBlockUndoRow): BlockUndo {
  const body = JSON.parse(r.undo) as { created: BlockUndo['created']; spent: WalletUtxoRow[] };
  return {
    height: r.height,
    hash: r.hash,
    previousHash: r.previousHash,
    created: body.created,
    spent: body.spent.map(utxoFromRow),
  };
}

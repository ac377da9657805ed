/**
 * What a transition changed, as rows to write: the shell stores one event's (or one batch of blocks') changes in
 * a single database transaction, so a crash leaves either the state before or the state after.
 *
 * Transitions never mutate a record, they replace it, so comparing references finds every change.
 */
import type { Branch } from './keys.js';
import type { BlockUndo, OwnTransaction, WalletReservation, WalletState, WalletTip, WalletUtxo } from './state.js';
import type { Outpoint } from './transaction.js';

export interface WalletChanges {
  /** Set when the tip moved (null: back before the birthday). */
  tip?: WalletTip | null;
  next?: Record<Branch, number>;
  utxos: { put: WalletUtxo[]; deleted: Outpoint[] };
  ownTransactions: { put: OwnTransaction[]; deleted: string[] };
  reservations: { put: WalletReservation[]; deleted: string[] };
  undo: { put: BlockUndo[]; deleted: number[] };
}

export function walletChanges(before: WalletState, after: WalletState): WalletChanges {
  const changes: WalletChanges = {
    utxos: mapChanges(before.utxos, after.utxos),
    ownTransactions: mapChanges(before.ownTransactions, after.ownTransactions),
    reservations: mapChanges(before.reservations, after.reservations),
    undo: mapChanges(before.undo, after.undo),
  };
  if (before.tip?.height !== after.tip?.height || before.tip?.hash !== after.tip?.hash) changes.tip = after.tip ?? null;
  if (before.next.receive !== after.next.receive || before.next.change !== after.next.change) changes.next = after.next;
  return changes;
}

export function isEmpty(c: WalletChanges): boolean {
  return (
    c.tip === undefined &&
    c.next === undefined &&
    [c.utxos, c.ownTransactions, c.reservations, c.undo].every((m) => m.put.length === 0 && m.deleted.length === 0)
  );
}

function mapChanges<K, V>(before: ReadonlyMap<K, V>, after: ReadonlyMap<K, V>): { put: V[]; deleted: K[] } {
  const out = { put: [] as V[], deleted: [] as K[] };
  if (before === after) return out;
  for (const [k, v] of after) if (before.get(k) !== v) out.put.push(v);
  for (const k of before.keys()) if (!after.has(k)) out.deleted.push(k);
  return out;
}

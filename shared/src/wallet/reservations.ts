/**
 * Reservations: outputs set aside for a transaction that is built but may never be broadcast (a channel funding
 * transaction LDK holds until the open completes). Reserved outputs are not spendable; the reservation ends
 * when their spend confirms (`blockConnected`) or when the purpose is abandoned (`reservationReleased`).
 */
import { reservedOutpoints, type WalletState } from './state.js';
import type { Outpoint } from './transaction.js';

export function reservationMade(
  state: WalletState,
  r: { id: string; outpoints: Outpoint[]; purpose: string; nowMs: number },
): WalletState {
  if (state.reservations.has(r.id)) throw new Error(`wallet: reservation ${r.id} exists`);
  if (r.outpoints.length === 0) throw new Error(`wallet: reservation ${r.id} holds no outputs`);
  const reserved = reservedOutpoints(state);
  for (const op of r.outpoints) {
    const u = state.utxos.get(op);
    if (u === undefined) throw new Error(`wallet: cannot reserve ${op}: not an output of ours`);
    if (reserved.has(op)) throw new Error(`wallet: cannot reserve ${op}: already reserved`);
    if (u.spentBy !== undefined) throw new Error(`wallet: cannot reserve ${op}: spent by ${u.spentBy}`);
  }
  const reservations = new Map(state.reservations);
  reservations.set(r.id, { id: r.id, outpoints: [...r.outpoints], purpose: r.purpose, createdAtMs: r.nowMs });
  return { ...state, reservations };
}

/** Gives the outputs back (the open failed). Releasing an unknown reservation is a no-op: releases may repeat. */
export function reservationReleased(state: WalletState, id: string): WalletState {
  if (!state.reservations.has(id)) return state;
  const reservations = new Map(state.reservations);
  reservations.delete(id);
  return { ...state, reservations };
}

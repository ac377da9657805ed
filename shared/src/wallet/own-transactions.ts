/**
 * Our own transactions before they confirm. `transactionSent` records one the moment it is handed to the
 * broadcaster (its inputs stop being spendable, its outputs to us appear as unconfirmed); `dropUnconfirmed`
 * forgets one that can never confirm (a conflicting spend confirmed, or the operator abandons it), with every
 * unconfirmed descendant of ours (a CPFP child spends its parent's change).
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { RawTx } from '@scure/btc-signer';
import type { WalletKeys } from './keys.js';
import { walletUtxo, watchLimit, withoutSpender, type OwnTransaction, type WalletState } from './state.js';
import { outpointOf, spentOutpoint, txidOfDecoded, vsizeOf } from './transaction.js';

export class WalletConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WalletConflictError';
  }
}

export function transactionSent(state: WalletState, keys: WalletKeys, raw: Uint8Array, nowMs: number): WalletState {
  const tx = RawTx.decode(raw);
  const txid = txidOfDecoded(tx);
  if (state.ownTransactions.has(txid)) return state; // idempotent: LDK hands the same funding tx over repeatedly
  const utxos = new Map(state.utxos);
  let inSat = 0n;
  let foreignInputs = false;
  for (const input of tx.inputs) {
    const op = spentOutpoint(input);
    const u = utxos.get(op);
    if (u === undefined) {
      foreignInputs = true;
      continue;
    }
    if (u.spentBy !== undefined && u.spentBy !== txid) {
      throw new WalletConflictError(`wallet: ${txid} spends ${op}, already spent by our ${u.spentBy}`);
    }
    utxos.set(op, { ...u, spentBy: txid });
    inSat += u.amountSat;
  }
  let next = state.next;
  const limit = watchLimit(state);
  let outSat = 0n;
  tx.outputs.forEach((out, vout) => {
    outSat += out.amount;
    const path = keys.lookup(bytesToHex(out.script), limit);
    if (path === undefined) return;
    const op = outpointOf(txid, vout);
    if (!utxos.has(op)) utxos.set(op, walletUtxo(txid, vout, out.amount, path));
    if (path.index >= next[path.branch]) next = { ...next, [path.branch]: path.index + 1 };
  });
  const own = new Map(state.ownTransactions);
  own.set(txid, {
    txid,
    raw,
    // With an input that is not ours (a dual-funded or sweep transaction) the fee is not ours to know.
    feeSat: foreignInputs ? 0n : inSat - outSat,
    vsize: vsizeOf(raw),
    createdAtMs: nowMs,
  });
  return { ...state, next, utxos, ownTransactions: own };
}

export function dropUnconfirmed(state: WalletState, txid: string): WalletState {
  const t: OwnTransaction | undefined = state.ownTransactions.get(txid);
  if (t === undefined || t.height !== undefined) return state;
  let after: WalletState = state;
  // Descendants first: an unconfirmed output of this transaction spent by another of ours.
  for (const u of state.utxos.values()) {
    if (u.txid === txid && u.spentBy !== undefined) after = dropUnconfirmed(after, u.spentBy);
  }
  const utxos = new Map(after.utxos);
  for (const [op, u] of after.utxos) {
    if (u.txid === txid && u.height === undefined) utxos.delete(op);
    else if (u.spentBy === txid) utxos.set(op, withoutSpender(u));
  }
  const own = new Map(after.ownTransactions);
  own.delete(txid);
  return { ...after, utxos, ownTransactions: own };
}

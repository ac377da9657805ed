/**
 * Blocks in and out: `blockConnected` applies a block on top of the wallet's tip and records how to undo it;
 * `blockDisconnected` takes the tip block back off (a reorganisation), so that disconnecting a branch and
 * connecting another gives the same UTXO set as a rescan of the new chain from the birthday.
 *
 * Our own transactions survive a disconnection as unconfirmed (the broadcaster sends them again); outputs of
 * other people's transactions go with their block and come back if the new branch confirms them again.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { RawTx } from '@scure/btc-signer';
import type { WalletKeys } from './keys.js';
import { dropUnconfirmed } from './own-transactions.js';
import {
  UNDO_WINDOW,
  walletUtxo,
  watchLimit,
  withoutSpender,
  type BlockUndo,
  type OwnTransaction,
  type WalletReservation,
  type WalletState,
  type WalletUtxo,
} from './state.js';
import { isCoinbase, outpointOf, spentOutpoint, txidOfRaw, type Outpoint } from './transaction.js';

/** A block as the wallet needs it: its place in the chain and its raw transactions in block order. */
export interface WalletBlock {
  height: number;
  /** Display-order hex, as every RPC shows it. */
  hash: string;
  previousHash: string;
  txs: Uint8Array[];
}

/** A block that does not fit the wallet's tip (the follower must disconnect first) or an undo that is missing. */
export class WalletChainError extends Error {
  constructor(
    message: string,
    /** True when the undo history does not reach back far enough: rescan from the birthday. */
    readonly needsRescan = false,
  ) {
    super(message);
    this.name = 'WalletChainError';
  }
}

/** The height the wallet expects next. */
export function nextHeight(state: WalletState): number {
  return state.tip === undefined ? state.birthdayHeight : state.tip.height + 1;
}

export function blockConnected(state: WalletState, keys: WalletKeys, block: WalletBlock): WalletState {
  if (state.tip === undefined && block.height < state.birthdayHeight) return state; // before any output of ours
  if (block.height !== nextHeight(state)) {
    throw new WalletChainError(
      `wallet: block ${block.height} does not follow the wallet tip (${nextHeight(state) - 1})`,
    );
  }
  if (state.tip !== undefined && block.previousHash !== state.tip.hash) {
    throw new WalletChainError(
      `wallet: block ${block.height} ${block.hash} builds on ${block.previousHash}, not the wallet tip ${state.tip.hash}`,
    );
  }
  // Copied on the first change only: most blocks hold nothing of ours.
  let utxosCopy: Map<Outpoint, WalletUtxo> | undefined;
  let ownCopy: Map<string, OwnTransaction> | undefined;
  const utxos = {
    get: (op: Outpoint) => (utxosCopy ?? state.utxos).get(op),
    write: () => (utxosCopy ??= new Map(state.utxos)),
  };
  let reservations: Map<string, WalletReservation> | undefined;
  let next = state.next;
  let limit = watchLimit(state);
  const created: Outpoint[] = [];
  const spent: WalletUtxo[] = [];
  const conflicted = new Set<string>();

  for (const raw of block.txs) {
    const tx = RawTx.decode(raw);
    const txid = txidOfRaw(raw, tx);
    const coinbase = isCoinbase(tx);
    if (!coinbase) {
      for (const input of tx.inputs) {
        const op = spentOutpoint(input);
        const u = utxos.get(op);
        if (u === undefined) continue;
        spent.push(u);
        utxos.write().delete(op);
        if (u.spentBy !== undefined && u.spentBy !== txid) conflicted.add(u.spentBy);
        reservations = withoutOutpoint(reservations ?? state.reservations, op);
      }
    }
    tx.outputs.forEach((out, vout) => {
      const path = keys.lookup(bytesToHex(out.script), limit);
      if (path === undefined) return;
      const op = outpointOf(txid, vout);
      const spentBy = utxos.get(op)?.spentBy;
      utxos.write().set(op, walletUtxo(txid, vout, out.amount, path, { height: block.height, coinbase, spentBy }));
      created.push(op);
      if (path.index >= next[path.branch]) {
        next = { ...next, [path.branch]: path.index + 1 };
        limit = watchLimit({ ...state, next });
      }
    });
    const mine = (ownCopy ?? state.ownTransactions).get(txid);
    if (mine !== undefined) (ownCopy ??= new Map(state.ownTransactions)).set(txid, { ...mine, height: block.height });
  }

  const undo = new Map(state.undo);
  undo.set(block.height, {
    height: block.height,
    hash: block.hash,
    previousHash: block.previousHash,
    created,
    spent,
  });
  const horizon = block.height - UNDO_WINDOW;
  for (const h of undo.keys()) if (h <= horizon) undo.delete(h);
  for (const [txid, t] of ownCopy ?? state.ownTransactions) {
    if (t.height !== undefined && t.height <= horizon) (ownCopy ??= new Map(state.ownTransactions)).delete(txid);
  }

  let after: WalletState = {
    ...state,
    tip: { height: block.height, hash: block.hash },
    next,
    utxos: utxosCopy ?? state.utxos,
    ownTransactions: ownCopy ?? state.ownTransactions,
    reservations: reservations ?? state.reservations,
    undo,
  };
  // A block spent an output one of our unconfirmed transactions also spends: that transaction can never confirm.
  for (const txid of conflicted) after = dropUnconfirmed(after, txid);
  return after;
}

export function blockDisconnected(state: WalletState, block: { height: number; hash: string }): WalletState {
  if (state.tip === undefined || state.tip.height !== block.height || state.tip.hash !== block.hash) {
    throw new WalletChainError(
      `wallet: block ${block.height} ${block.hash} is not the wallet tip (${state.tip?.height} ${state.tip?.hash})`,
    );
  }
  const record: BlockUndo | undefined = state.undo.get(block.height);
  if (record === undefined || record.hash !== block.hash) {
    throw new WalletChainError(`wallet: no undo record for block ${block.height}; rescan from the birthday`, true);
  }
  const own = new Map<string, OwnTransaction>();
  for (const [txid, t] of state.ownTransactions) {
    own.set(
      txid,
      t.height === block.height
        ? { txid, raw: t.raw, feeSat: t.feeSat, vsize: t.vsize, createdAtMs: t.createdAtMs }
        : t,
    );
  }
  const utxos = new Map(state.utxos);
  // Undo in reverse: first put back what the block spent, then take back what it created (an output created
  // and spent in the same block is restored by the first step and removed by the second).
  for (const u of record.spent) {
    const stillOurs = u.spentBy !== undefined && own.has(u.spentBy);
    utxos.set(u.outpoint, stillOurs || u.spentBy === undefined ? u : withoutSpender(u));
  }
  for (const op of record.created) {
    const u = utxos.get(op);
    if (u === undefined) continue;
    if (own.has(u.txid)) {
      const { height: _height, ...unconfirmed } = u;
      utxos.set(op, unconfirmed);
    } else utxos.delete(op);
  }
  const undo = new Map(state.undo);
  undo.delete(block.height);
  return {
    ...state,
    tip: { height: block.height - 1, hash: record.previousHash },
    utxos,
    ownTransactions: own,
    undo,
  };
}

function withoutOutpoint(
  reservations: ReadonlyMap<string, WalletReservation>,
  op: Outpoint,
): Map<string, WalletReservation> | undefined {
  let out: Map<string, WalletReservation> | undefined;
  for (const [id, r] of reservations) {
    if (!r.outpoints.includes(op)) continue;
    out ??= new Map(reservations);
    const rest = r.outpoints.filter((o) => o !== op);
    // A reservation ends when every output it held is spent on chain (the funding transaction confirmed).
    if (rest.length === 0) out.delete(id);
    else out.set(id, { ...r, outpoints: rest });
  }
  return out ?? (reservations as Map<string, WalletReservation>);
}

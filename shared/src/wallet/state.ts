/**
 * The wallet's state: what it owns on chain, what it has promised, and enough history to undo a block.
 *
 * Everything here is data: the transitions (`blocks.ts`, `own-transactions.ts`, `reservations.ts`) take a state
 * and return a new one, never touching the old; the shell persists the difference (`changes.ts`).
 */
import type { Branch, KeyPath } from './keys.js';
import type { WalletNetwork } from './network.js';
import { outpointOf, type Outpoint } from './transaction.js';

/** Consensus: a coinbase output may be spent only once it has 100 confirmations (COINBASE_MATURITY). */
export const COINBASE_MATURITY = 100;
/** Blocks of undo history kept; a deeper reorganisation means a rescan from the birthday. */
export const UNDO_WINDOW = 144;
/** BIP 44 gap limit: how many unused addresses past the last used one are watched on each branch. */
export const DEFAULT_GAP_LIMIT = 20;

export interface WalletUtxo {
  outpoint: Outpoint;
  txid: string;
  vout: number;
  amountSat: bigint;
  branch: Branch;
  index: number;
  /** The height of the block that confirmed it; undefined while unconfirmed (outputs of our own transactions). */
  height?: number;
  coinbase: boolean;
  /** The txid of our own unconfirmed transaction spending it. */
  spentBy?: string;
}

/** A transaction the wallet built and sent (or is about to): tracked until it is buried below the undo window. */
export interface OwnTransaction {
  txid: string;
  raw: Uint8Array;
  feeSat: bigint;
  vsize: number;
  /** Height of the confirming block; undefined while unconfirmed. */
  height?: number;
  createdAtMs: number;
}

/** What connecting one block did to the wallet, so disconnecting it can put everything back. */
export interface BlockUndo {
  height: number;
  hash: string;
  previousHash: string;
  /** Outputs this block confirmed (created, or confirmed an own unconfirmed output). */
  created: Outpoint[];
  /** Our outputs this block spent, as they were just before. */
  spent: WalletUtxo[];
}

/** Outputs set aside for a purpose (a channel funding) until their spend confirms or the purpose is abandoned. */
export interface WalletReservation {
  id: string;
  outpoints: Outpoint[];
  purpose: string;
  createdAtMs: number;
}

export interface WalletTip {
  height: number;
  hash: string;
}

export interface WalletState {
  network: WalletNetwork;
  /** The first block that can hold our outputs: a restore scans from here. */
  birthdayHeight: number;
  gapLimit: number;
  /** The last block applied; undefined before the birthday block. */
  tip?: WalletTip;
  /** The next unused index on each branch (handed out next). */
  next: Record<Branch, number>;
  utxos: ReadonlyMap<Outpoint, WalletUtxo>;
  ownTransactions: ReadonlyMap<string, OwnTransaction>;
  reservations: ReadonlyMap<string, WalletReservation>;
  undo: ReadonlyMap<number, BlockUndo>;
}

/** An output of ours: `txid:vout` paying `amountSat` to the key at `path`. */
export function walletUtxo(
  txid: string,
  vout: number,
  amountSat: bigint,
  path: KeyPath,
  extra: { height?: number; coinbase?: boolean; spentBy?: string } = {},
): WalletUtxo {
  return {
    outpoint: outpointOf(txid, vout),
    txid,
    vout,
    amountSat,
    branch: path.branch,
    index: path.index,
    ...(extra.height !== undefined ? { height: extra.height } : {}),
    coinbase: extra.coinbase ?? false,
    ...(extra.spentBy !== undefined ? { spentBy: extra.spentBy } : {}),
  };
}

export function withoutSpender(u: WalletUtxo): WalletUtxo {
  const { spentBy: _spentBy, ...rest } = u;
  return rest;
}

export function initialWalletState(opts: {
  network: WalletNetwork;
  birthdayHeight: number;
  gapLimit?: number;
}): WalletState {
  if (!Number.isSafeInteger(opts.birthdayHeight) || opts.birthdayHeight < 0) {
    throw new RangeError(`birthdayHeight must be a height >= 0, got ${opts.birthdayHeight}`);
  }
  const gapLimit = opts.gapLimit ?? DEFAULT_GAP_LIMIT;
  if (!Number.isSafeInteger(gapLimit) || gapLimit < 1 || gapLimit > 1000) {
    throw new RangeError(`gapLimit must be 1-1000, got ${gapLimit}`);
  }
  return {
    network: opts.network,
    birthdayHeight: opts.birthdayHeight,
    gapLimit,
    next: { receive: 0, change: 0 },
    utxos: new Map(),
    ownTransactions: new Map(),
    reservations: new Map(),
    undo: new Map(),
  };
}

/** How many keys of each branch the scan watches: every handed-out index plus the gap limit. */
export function watchLimit(state: WalletState): Record<Branch, number> {
  return { receive: state.next.receive + state.gapLimit, change: state.next.change + state.gapLimit };
}

export function isMature(utxo: WalletUtxo, tipHeight: number | undefined): boolean {
  if (!utxo.coinbase) return true;
  return utxo.height !== undefined && tipHeight !== undefined && tipHeight - utxo.height + 1 >= COINBASE_MATURITY;
}

export function reservedOutpoints(state: WalletState): Set<Outpoint> {
  const set = new Set<Outpoint>();
  for (const r of state.reservations.values()) for (const o of r.outpoints) set.add(o);
  return set;
}

/** Confirmed, mature, unreserved, and not spent by a transaction of ours: what a new transaction may spend. */
export function spendableUtxos(state: WalletState): WalletUtxo[] {
  const reserved = reservedOutpoints(state);
  const out: WalletUtxo[] = [];
  for (const u of state.utxos.values()) {
    if (
      u.height !== undefined &&
      u.spentBy === undefined &&
      !reserved.has(u.outpoint) &&
      isMature(u, state.tip?.height)
    )
      out.push(u);
  }
  return out;
}

export interface WalletBalance {
  /** Confirmed, mature and free: spendable now. */
  confirmedSat: bigint;
  /** Outputs of our own transactions not yet in a block. */
  unconfirmedSat: bigint;
  /** Coinbase outputs short of 100 confirmations. */
  immatureSat: bigint;
  /** Outputs set aside by a reservation and not yet spent. */
  reservedSat: bigint;
  /** Unspent outputs counted in any of the above. */
  utxos: number;
}

/** Each unspent output is counted in exactly one bucket (outputs spent by an own pending transaction in none). */
export function walletBalance(state: WalletState): WalletBalance {
  const reserved = reservedOutpoints(state);
  const b: WalletBalance = { confirmedSat: 0n, unconfirmedSat: 0n, immatureSat: 0n, reservedSat: 0n, utxos: 0 };
  for (const u of state.utxos.values()) {
    if (u.spentBy !== undefined) continue;
    b.utxos++;
    if (reserved.has(u.outpoint)) b.reservedSat += u.amountSat;
    else if (u.height === undefined) b.unconfirmedSat += u.amountSat;
    else if (!isMature(u, state.tip?.height)) b.immatureSat += u.amountSat;
    else b.confirmedSat += u.amountSat;
  }
  return b;
}

/**
 * Building and signing the wallet's transactions with @scure/btc-signer: coin selection by its `selectUTXO`
 * (BIP 69 ordering, change only above the dust limit), P2WPKH signatures with the BIP 84 keys.
 *
 * Building does not change what the wallet owns: the caller records the result with `transactionSent` (a send)
 * or `reservationMade` (a funding transaction LDK may never broadcast). Only the change index moves, so the
 * next transaction gets a fresh change address.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { Transaction, selectUTXO } from '@scure/btc-signer';
import { InsufficientFundsError, WalletInputError } from './errors.js';
import type { WalletKeys } from './keys.js';
import { addressParams, addressToScript } from './network.js';
import { spendableUtxos, type WalletState, type WalletUtxo } from './state.js';
import { outpointOf, type Outpoint } from './transaction.js';

/** Bitcoin Core's dust limit for the outputs it relays (546 sat covers every standard output type). */
export const DUST_LIMIT_SAT = 546n;
/** Bitcoin Core's default `-maxtxfee`-style sanity bound on a fee rate an operator may type. */
export const MAX_FEE_RATE_SAT_PER_VB = 10_000n;

export interface BuiltTransaction {
  raw: Uint8Array;
  txid: string;
  feeSat: bigint;
  vsize: number;
  inputs: Outpoint[];
  /** The output index of our change, if any. */
  changeVout?: number;
}

export interface BuildResult {
  state: WalletState;
  built: BuiltTransaction;
}

/** LDK speaks sat per 1000 weight units; a virtual byte is 4 weight units (rounded up: never under-pay). */
export function satPerKwToSatPerVb(satPerKw: number): bigint {
  if (!Number.isSafeInteger(satPerKw) || satPerKw < 0) throw new RangeError(`fee rate must be >= 0, got ${satPerKw}`);
  return BigInt(Math.ceil((satPerKw * 4) / 1000));
}

/** A transaction paying `outputs` (a channel funding output) from spendable outputs, change back to us. */
export function buildPayment(
  state: WalletState,
  keys: WalletKeys,
  req: { outputs: { script: Uint8Array; amountSat: bigint }[]; feeRateSatPerVb: bigint; field?: string },
): BuildResult {
  const field = req.field ?? 'amount_sat';
  checkFeeRate(req.feeRateSatPerVb);
  for (const o of req.outputs) {
    if (o.amountSat < DUST_LIMIT_SAT) {
      throw new WalletInputError(field, `${field} must be at least ${DUST_LIMIT_SAT} sat (dust), got ${o.amountSat}`);
    }
  }
  const candidates = spendableUtxos(state);
  const changeAddress = keys.address('change', state.next.change);
  const selected = selectUTXO(
    candidates.map((u) => inputOf(u, keys)),
    req.outputs.map((o) => ({ script: o.script, amount: o.amountSat })),
    'default',
    selectionOptions(state, req.feeRateSatPerVb, changeAddress),
  );
  const wanted = req.outputs.reduce((sum, o) => sum + o.amountSat, 0n);
  if (selected === undefined || selected.tx === undefined) {
    const spendable = candidates.reduce((sum, u) => sum + u.amountSat, 0n);
    throw new InsufficientFundsError(
      field,
      spendable,
      wanted,
      `${field} ${wanted} sat plus the fee at ${req.feeRateSatPerVb} sat/vB exceeds the spendable ${spendable} sat`,
    );
  }
  return finish(
    state,
    keys,
    selected.tx,
    candidates,
    selected.change ? keys.key('change', state.next.change).script : undefined,
  );
}

/**
 * A withdrawal to an address: `amountSat`, or everything spendable (`all`, the fee taken from the amount). The
 * address is checked for the wallet's network; a shortfall builds nothing.
 */
export function buildSend(
  state: WalletState,
  keys: WalletKeys,
  req: { address: string; amountSat?: bigint; all?: boolean; feeRateSatPerVb: bigint },
): BuildResult {
  const script = addressToScript(req.address, state.network, 'address');
  if (req.all === true && req.amountSat !== undefined) {
    throw new WalletInputError('amount_sat', 'give either amount_sat or all, not both');
  }
  if (req.all !== true) {
    if (req.amountSat === undefined) throw new WalletInputError('amount_sat', 'amount_sat (or all: true) is required');
    return buildPayment(state, keys, {
      outputs: [{ script, amountSat: req.amountSat }],
      feeRateSatPerVb: req.feeRateSatPerVb,
    });
  }
  checkFeeRate(req.feeRateSatPerVb);
  const candidates = spendableUtxos(state);
  // Sweeping everything is selectUTXO's 'all' strategy with no payment outputs: what is left after the fee is
  // the "change", and the change address is the destination.
  const selected = selectUTXO(
    candidates.map((u) => inputOf(u, keys)),
    [],
    'all',
    selectionOptions(state, req.feeRateSatPerVb, req.address),
  );
  const spendable = candidates.reduce((sum, u) => sum + u.amountSat, 0n);
  if (selected === undefined || selected.tx === undefined || !selected.change) {
    throw new InsufficientFundsError(
      'all',
      spendable,
      undefined,
      `the spendable ${spendable} sat does not cover the fee at ${req.feeRateSatPerVb} sat/vB and a ${DUST_LIMIT_SAT} sat output`,
    );
  }
  const result = finish(state, keys, selected.tx, candidates, undefined);
  return { state, built: result.built }; // no change address was used
}

/**
 * Child pays for parent: a transaction spending our change output of an unconfirmed transaction of ours (a
 * channel funding transaction, whose txid must not change) so that the package pays `feeRateSatPerVb`.
 */
export function buildCpfpChild(
  state: WalletState,
  keys: WalletKeys,
  req: { parentTxid: string; feeRateSatPerVb: bigint },
): BuildResult {
  checkFeeRate(req.feeRateSatPerVb);
  const parent = state.ownTransactions.get(req.parentTxid);
  if (parent === undefined || parent.height !== undefined) {
    throw new WalletInputError('txid', `${req.parentTxid} is not an unconfirmed transaction of this wallet`);
  }
  const change = [...state.utxos.values()].find(
    (u) => u.txid === req.parentTxid && u.height === undefined && u.spentBy === undefined,
  );
  if (change === undefined) throw new WalletInputError('txid', `${req.parentTxid} has no unspent output of ours`);
  const changeKey = keys.key('change', state.next.change);
  const sign = (childFee: bigint): Transaction => {
    const tx = new Transaction();
    tx.addInput(inputOf(change, keys));
    tx.addOutput({ script: changeKey.script, amount: change.amountSat - childFee });
    tx.signIdx(keys.privateKey(change.branch, change.index), 0);
    tx.finalize();
    return tx;
  };
  // The child's size does not depend on its amount (up to a signature byte), so measure it once at a zero fee.
  const childVsize = BigInt(sign(0n).vsize);
  const packageFee = req.feeRateSatPerVb * (BigInt(parent.vsize) + childVsize + 1n);
  const childFee = packageFee - parent.feeSat;
  if (childFee <= 0n) throw new WalletInputError('fee_rate_sat_per_vb', `${req.parentTxid} already pays that fee rate`);
  if (change.amountSat - childFee < DUST_LIMIT_SAT) {
    throw new InsufficientFundsError(
      'fee_rate_sat_per_vb',
      change.amountSat,
      childFee + DUST_LIMIT_SAT,
      `the change output (${change.amountSat} sat) cannot pay ${childFee} sat of CPFP fee`,
    );
  }
  const tx = sign(childFee);
  return {
    state: { ...state, next: { ...state.next, change: state.next.change + 1 } },
    built: {
      raw: tx.extract(),
      txid: tx.id,
      feeSat: childFee,
      vsize: tx.vsize,
      inputs: [change.outpoint],
      changeVout: 0,
    },
  };
}

function checkFeeRate(rate: bigint): void {
  if (rate < 1n || rate > MAX_FEE_RATE_SAT_PER_VB) {
    throw new WalletInputError(
      'fee_rate_sat_per_vb',
      `fee_rate_sat_per_vb must be 1-${MAX_FEE_RATE_SAT_PER_VB}, got ${rate}`,
    );
  }
}

function selectionOptions(state: WalletState, feePerByte: bigint, changeAddress: string) {
  return {
    feePerByte,
    changeAddress,
    network: addressParams(state.network),
    bip69: true,
    createTx: true,
    allowUnknownOutputs: true,
  };
}

function inputOf(u: WalletUtxo, keys: WalletKeys) {
  return {
    txid: hexToBytes(u.txid),
    index: u.vout,
    witnessUtxo: { script: keys.key(u.branch, u.index).script, amount: u.amountSat },
  };
}

function finish(
  state: WalletState,
  keys: WalletKeys,
  tx: Transaction,
  candidates: WalletUtxo[],
  changeScript: Uint8Array | undefined,
): BuildResult {
  const byOutpoint = new Map(candidates.map((u) => [u.outpoint, u]));
  const inputs: Outpoint[] = [];
  let inSat = 0n;
  for (let i = 0; i < tx.inputsLength; i++) {
    const input = tx.getInput(i);
    const u = byOutpoint.get(outpointOf(bytesToHex(txidBytes(input.txid)), input.index ?? -1));
    if (u === undefined) throw new Error('wallet: selected an input that is not ours');
    tx.signIdx(keys.privateKey(u.branch, u.index), i);
    inputs.push(u.outpoint);
    inSat += u.amountSat;
  }
  tx.finalize();
  let outSat = 0n;
  let changeVout: number | undefined;
  for (let i = 0; i < tx.outputsLength; i++) {
    const o = tx.getOutput(i);
    outSat += o.amount ?? 0n;
    if (changeScript !== undefined && o.script !== undefined && equalBytes(o.script, changeScript)) changeVout = i;
  }
  const built: BuiltTransaction = {
    raw: tx.extract(),
    txid: tx.id,
    feeSat: inSat - outSat,
    vsize: tx.vsize,
    inputs,
    ...(changeVout !== undefined ? { changeVout } : {}),
  };
  const after = changeVout === undefined ? state : { ...state, next: { ...state.next, change: state.next.change + 1 } };
  return { state: after, built };
}

function txidBytes(b: Uint8Array | undefined): Uint8Array {
  if (b === undefined) throw new Error('wallet: input without txid');
  return b;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

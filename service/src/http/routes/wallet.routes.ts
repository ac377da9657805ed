/**
 * The wallet's admin API (behind {@link adminAuth}): the balance, a fresh receive address, and withdrawals.
 * Amounts are decimal strings in sat. A withdrawal is checked before anything is built: the address for the
 * network, `amount_sat` or `all`, the fee rate; more than spendable is refused with the spendable amount, and
 * nothing is ever sent in part. Every write is logged with what was asked and what was done.
 */
import express, { Router, type Request } from 'express';
import { InsufficientFundsError, WalletInputError, walletBalance } from '@jitlsp/shared/wallet';
import type { Logger } from '../../log.js';
import type { Broadcast, OnChainWallet } from '../../wallet/index.js';
import { badRequest, HttpError } from '../http-error.js';

export interface WalletAdminSource {
  /** The running wallet, or undefined while the service starts. */
  wallet: () => OnChainWallet | undefined;
  broadcast: Broadcast;
  /** The fee rate a withdrawal pays when the request names none (from the fee estimator). */
  defaultFeeRateSatPerVb: () => bigint;
}

const SEND_FIELDS = new Set(['address', 'amount_sat', 'all', 'fee_rate_sat_per_vb']);
const DECIMAL = /^(0|[1-9][0-9]{0,18})$/;

export function walletRoutes(src: WalletAdminSource, logger: Logger): Router {
  const r = Router();
  const log = logger.child({ component: 'admin' });
  r.use(express.json({ limit: '4kb', strict: true }));

  r.get('/', (_req, res) => {
    const wallet = requireWallet(src);
    const b = walletBalance(wallet.state);
    res.json({
      confirmed_sat: b.confirmedSat.toString(),
      unconfirmed_sat: b.unconfirmedSat.toString(),
      reserved_sat: b.reservedSat.toString(),
      immature_sat: b.immatureSat.toString(),
      utxos: b.utxos,
      tip_height: wallet.state.tip?.height ?? null,
    });
  });

  r.post('/address', async (_req, res) => {
    const address = await requireWallet(src).newAddress();
    log.info('admin: new wallet address', { asked: 'address', done: { address } });
    res.json({ address });
  });

  r.post('/send', async (req, res) => {
    const wallet = requireWallet(src);
    const asked = sendRequestOf(req);
    const feeRateSatPerVb = asked.feeRateSatPerVb ?? src.defaultFeeRateSatPerVb();
    try {
      const built = await wallet.send({ ...asked, feeRateSatPerVb }, src.broadcast);
      log.info('admin: wallet send', {
        asked: askedFields(asked),
        done: {
          txid: built.txid,
          fee_sat: built.feeSat,
          fee_rate_sat_per_vb: feeRateSatPerVb,
          inputs: built.inputs.length,
        },
      });
      res.json({ txid: built.txid, fee_sat: built.feeSat.toString() });
    } catch (err) {
      log.info('admin: wallet send refused', {
        asked: askedFields(asked),
        done: 'nothing',
        error: (err as Error).message,
      });
      if (err instanceof InsufficientFundsError) {
        throw new HttpError(400, 'insufficient_funds', err.message, {
          field: err.field,
          spendable_sat: err.spendableSat.toString(),
        });
      }
      if (err instanceof WalletInputError) throw new HttpError(400, 'bad_request', err.message, { field: err.field });
      throw new HttpError(502, 'broadcast_failed', `the chain refused the transaction: ${(err as Error).message}`);
    }
  });

  return r;
}

interface AskedSend {
  address: string;
  amountSat?: bigint;
  all?: boolean;
  feeRateSatPerVb?: bigint;
}

/** The request body, each field checked and named in its error. */
function sendRequestOf(req: Request): AskedSend {
  const body: unknown = req.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw fieldError('body', 'body must be a JSON object');
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) if (!SEND_FIELDS.has(k)) throw fieldError(k, `${k}: unknown field`);
  if (typeof b.address !== 'string') throw fieldError('address', 'address: expected a string');
  const asked: AskedSend = { address: b.address };
  if (b.amount_sat !== undefined) asked.amountSat = satString(b.amount_sat, 'amount_sat');
  if (b.all !== undefined) {
    if (b.all !== true) throw fieldError('all', 'all: expected true (or leave it out and give amount_sat)');
    asked.all = true;
  }
  if (b.fee_rate_sat_per_vb !== undefined)
    asked.feeRateSatPerVb = satString(b.fee_rate_sat_per_vb, 'fee_rate_sat_per_vb');
  return asked;
}

/** A decimal string (an integer number is accepted for the fee rate, which is small). */
function satString(v: unknown, field: string): bigint {
  if (field === 'fee_rate_sat_per_vb' && typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v !== 'string' || !DECIMAL.test(v))
    throw fieldError(field, `${field}: expected a decimal string of sat, got ${JSON.stringify(v)}`);
  return BigInt(v);
}

function askedFields(a: AskedSend): Record<string, unknown> {
  return { address: a.address, amount_sat: a.amountSat, all: a.all, fee_rate_sat_per_vb: a.feeRateSatPerVb };
}

function fieldError(field: string, message: string): HttpError {
  const e = badRequest(message);
  return new HttpError(e.status, e.code, message, { field });
}

function requireWallet(src: WalletAdminSource): OnChainWallet {
  const w = src.wallet();
  if (w === undefined) throw new HttpError(503, 'wallet_unavailable', 'the wallet is not running yet');
  return w;
}

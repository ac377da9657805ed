/**
 * `lsps2.buy` (bLIP-52 §2): check the request, take an intercept SCID from the node, persist the session,
 * and only then answer: the session is written before the answer goes out, so a crash cannot leave a
 * client holding a SCID the LSP forgot.
 *
 * Checks, with their codes (shared `checkBuy`): payment size within the params' bounds (202/203), opening
 * fee computed with u64 overflow checks (overflow 203) and strictly below the size (202), inbound liquidity
 * (203), valid_until in the future (201), promise verified in constant time against the params AND the
 * asking client's node id (201). Over the per-peer session limit -> `client_rejected` (1).
 */
import { fromHex, toHex } from '@jitlsp/shared/crypto';
import { clientRejectedObject, datetimeToDate } from '@jitlsp/shared/lsps0';
import { buyResultToWire, checkBuy, lsps2ErrorObject, parseBuyParams, type BuyRequest } from '@jitlsp/shared/lsps2';
import type { HandlerOutcome, RequestContext } from '../lsps0/dispatcher.js';
import { initialState } from '../jit/pure/machine.js';
import type { ScidSource } from './node-port.js';
import { isSessionLive, type JitSession, type SessionTerms } from './session.js';
import { SessionExistsError, type SessionStore } from './store.js';

/** Unexpired sessions one client may hold at once, unless configured otherwise. */
export const DEFAULT_MAX_SESSIONS_PER_PEER = 10;

/**
 * SCIDs tried per buy. LDK draws intercept SCIDs at random (`get_intercept_scid`) without remembering the
 * ones it handed out, so a new one can equal the SCID of a stored session: on mainnet rarely, on regtest
 * often (every fake SCID sits at block height 1 there, about 2,500 values). A taken SCID is retried.
 */
export const MAX_SCID_ATTEMPTS = 8;

export interface BuyOptions {
  store: SessionStore;
  node: ScidSource;
  promiseSecret: Uint8Array;
  lspCltvExpiryDelta: number;
  clientTrustsLsp: boolean;
  maxSessionsPerPeer?: number;
  /** What the LSP can receive from the public network now, if known (bLIP-52 SHOULD check -> 203). */
  maxReceivableMsat?: () => bigint | undefined;
  /** Randomness for the u128 user channel id. */
  random: (n: number) => Uint8Array;
  /** Called after the session is persisted (the shell registers the peer for onion-message holding). */
  onSessionCreated?: (session: JitSession) => void;
  /**
   * The peer's live sessions, counted in memory by whoever holds them all (the shell), sessions handed to
   * `onSessionCreated` included. Without it the store is asked (a database read on every buy).
   */
  liveSessions?: (peer: string, now: Date) => number;
}

export function makeBuyHandler(opts: BuyOptions): (ctx: RequestContext) => Promise<HandlerOutcome> {
  const maxSessions = opts.maxSessionsPerPeer ?? DEFAULT_MAX_SESSIONS_PER_PEER;
  // Buys of each peer between passing the limit and their session reaching onSessionCreated: counted too,
  // so concurrent buys of one peer cannot pass the limit together.
  const creating = new Map<string, number>();
  const countLive = async (peer: string, now: Date): Promise<number> => {
    if (opts.liveSessions) return opts.liveSessions(peer, now);
    if (opts.store.countLiveByClient) return opts.store.countLiveByClient(peer, now);
    return (await opts.store.listByClient(peer)).filter((s) => isSessionLive(s, now)).length;
  };
  return async ({ peer, request, now }) => {
    const p = parseBuyParams(request.params);
    if (!p.ok) return { error: p.error, reason: p.reason };
    const clientNodeId = fromHex(peer, 'peer', 33);
    const verdict = checkBuy({
      request: p.value,
      promiseSecret: opts.promiseSecret,
      clientNodeId,
      now,
      maxReceivableMsat: opts.maxReceivableMsat?.(),
    });
    if (!verdict.ok) return { error: lsps2ErrorObject(verdict.code), reason: verdict.reason };

    const live = (await countLive(peer, now)) + (creating.get(peer) ?? 0);
    if (live >= maxSessions) {
      return { error: clientRejectedObject('Too many open JIT channel requests'), reason: `${live} open sessions` };
    }
    creating.set(peer, (creating.get(peer) ?? 0) + 1);
    try {
      return await createSession(opts, peer, p.value, verdict.openingFeeMsat ?? null, now);
    } finally {
      const n = creating.get(peer)! - 1;
      if (n === 0) creating.delete(peer);
      else creating.set(peer, n);
    }
  };
}

/** Takes an intercept SCID, persists the session (retrying a taken SCID), and hands it to the shell. */
async function createSession(
  opts: BuyOptions,
  peer: string,
  request: BuyRequest,
  openingFeeMsat: bigint | null,
  now: Date,
): Promise<HandlerOutcome> {
  const fp = request.openingFeeParams;
  let terms: SessionTerms = {
    jitChannelScid: opts.node.getInterceptScid(),
    clientNodeId: peer,
    paymentSizeMsat: request.paymentSizeMsat ?? null,
    openingFeeMsat,
    feeParams: {
      minFeeMsat: fp.minFeeMsat,
      proportional: fp.proportional,
      validUntil: datetimeToDate(fp.validUntil),
      minLifetime: fp.minLifetime,
      maxClientToSelfDelay: fp.maxClientToSelfDelay,
      minPaymentSizeMsat: fp.minPaymentSizeMsat,
      maxPaymentSizeMsat: fp.maxPaymentSizeMsat,
      promise: fp.promise,
    },
    lspCltvExpiryDelta: opts.lspCltvExpiryDelta,
    clientTrustsLsp: opts.clientTrustsLsp,
    userChannelId: userChannelId(opts.random),
    createdAt: now,
  };
  let session: JitSession = { terms, state: initialState(), version: 0, updatedAt: now };
  for (let attempt = 1; ; attempt++) {
    try {
      await opts.store.create(session); // before answering (a failure here is answered -32603)
      break;
    } catch (e) {
      if (!(e instanceof SessionExistsError) || attempt >= MAX_SCID_ATTEMPTS) throw e;
      terms = { ...terms, jitChannelScid: opts.node.getInterceptScid() };
      session = { ...session, terms };
    }
  }
  opts.onSessionCreated?.(session);
  return {
    result: buyResultToWire({
      jitChannelScid: terms.jitChannelScid,
      lspCltvExpiryDelta: terms.lspCltvExpiryDelta,
      clientTrustsLsp: terms.clientTrustsLsp,
    }),
  };
}

/**
 * A random LDK `user_channel_id` (u128), never 0. 120 bits: lightningdevkit 0.1.0's `encodeUint128` rejects
 * values >= 2^124 (its bound constant has one hex digit too few).
 */
function userChannelId(random: (n: number) => Uint8Array): bigint {
  // One BigInt from the hex, not one per byte: the buy path runs thousands of times a second.
  const v = BigInt('0x' + toHex(random(15)));
  return v === 0n ? 1n : v;
}

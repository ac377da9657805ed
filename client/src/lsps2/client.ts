/**
 * The LSPS2 client (bLIP-52) over LSPS0 (bLIP-50), for one LSP.
 *
 * Client rules applied here:
 * - bLIP-50: request ids are high-entropy (128 random bits from the injected `random`), never a
 *   counter; responses with unknown ids, from other peers, or malformed are ignored (and logged);
 *   unknown result keys are ignored; notifications are ignored; LSP error messages are sanitised
 *   before they reach `displayMessage`.
 * - bLIP-52: `get_info` before `buy` (callers pass params obtained from `getInfo`); an
 *   `opening_fee_params` with an unrecognised field or a promise over 512 bytes aborts the flow;
 *   the menu must be strictly increasing in (min_fee_msat, proportional); the params are echoed
 *   verbatim in `buy`; `valid_until` must be in the future when buying; `payment_size_msat` must be
 *   within the tier's bounds with a fee below it; the client's own limits (maximum total fee,
 *   maximum proportional) decide which tier is acceptable.
 * - Each request has a deadline (injected timers), so a silent LSP cannot hang the wallet.
 */
import {
  JSONRPC_SERVER_ERROR_MAX,
  JSONRPC_SERVER_ERROR_MIN,
  LSPS0_LIST_PROTOCOLS_METHOD,
  newRequestId,
  parseClientInbound,
  parseListProtocolsResult,
  sanitizeErrorMessage,
  serializeRequest,
  encodePayload,
} from '@jitlsp/shared/lsps0';
import {
  buyParamsToWire,
  type BuyResult,
  checkMenuOrder,
  chooseOpeningFeeParams,
  type ClientFeeLimits,
  computeOpeningFee,
  getInfoParamsToWire,
  isValidUntilInFuture,
  LSPS2_BUY_METHOD,
  LSPS2_GET_INFO_METHOD,
  lsps2ErrorName,
  type OpeningFeeParams,
  parseBuyResult,
  parseGetInfoResult,
} from '@jitlsp/shared/lsps2';
import { lsps5ErrorName } from '@jitlsp/shared/lsps5';
import type { NodeIdHex } from '@jitlsp/engine/node';
import { Lsps2ClientError, parseLspResult } from './errors.js';
import type { Lsps0Transport } from './transport.js';
import type { Logger } from '@jitlsp/shared/log';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface Lsps2ClientOptions {
  /** The LSP's node id. */
  lsp: NodeIdHex;
  transport: Lsps0Transport;
  /** CSPRNG bytes (request ids). */
  random: (n: number) => Uint8Array;
  clock?: () => Date;
  timers?: Timers;
  /** Per-request deadline (default 30 s). */
  requestTimeoutMs?: number;
  /** The wallet's own fee limits, applied by `chooseParams`. */
  feeLimits?: ClientFeeLimits;
  logger?: Logger;
}

/** A successful `lsps2.buy` together with what was bought. */
export interface Purchase extends BuyResult {
  params: OpeningFeeParams;
  paymentSizeMsat?: bigint;
}

interface Pending {
  method: string;
  resolve(result: Record<string, unknown>): void;
  reject(e: Lsps2ClientError): void;
  timer: unknown;
}

const defaultTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class Lsps2Client {
  readonly lsp: NodeIdHex;
  private readonly pending = new Map<string, Pending>();
  private readonly unsubscribe: () => void;
  private readonly clock: () => Date;
  private readonly timers: Timers;
  private readonly timeoutMs: number;

  constructor(private readonly opts: Lsps2ClientOptions) {
    this.lsp = opts.lsp.toLowerCase();
    this.clock = opts.clock ?? (() => new Date());
    this.timers = opts.timers ?? defaultTimers;
    this.timeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.unsubscribe = opts.transport.onMessage((peer, payload) => this.onMessage(peer, payload));
  }

  /** bLIP-50 `lsps0.list_protocols`: the LSPS numbers the LSP supports. */
  async listProtocols(): Promise<number[]> {
    const result = await this.request(LSPS0_LIST_PROTOCOLS_METHOD, {});
    return parseLspResult(() => parseListProtocolsResult(result).protocols);
  }

  /**
   * bLIP-52 `lsps2.get_info`: the LSP's fee menu, checked (unknown fields, promise size, order).
   * @example const menu = await client.getInfo(); const params = client.chooseParams(menu);
   */
  async getInfo(token?: string): Promise<OpeningFeeParams[]> {
    const result = await this.request(LSPS2_GET_INFO_METHOD, getInfoParamsToWire(token === undefined ? {} : { token }));
    const menu = parseLspResult(() => parseGetInfoResult(result).openingFeeParamsMenu);
    const order = checkMenuOrder(menu);
    // bLIP-52: the LSP MUST order the menu; a client that cannot trust the order cannot show "from X".
    if (!order.ok) throw new Lsps2ClientError('invalid-response', `lsps2.get_info/${order.reason}`);
    return menu;
  }

  /**
   * The cheapest unexpired tier within the wallet's fee limits, for a payment of
   * `paymentSizeMsat` (MPP mode) or of unknown size (no-MPP mode). Throws `refused` if none.
   */
  chooseParams(
    menu: readonly OpeningFeeParams[],
    paymentSizeMsat?: bigint,
    limits: ClientFeeLimits = this.opts.feeLimits ?? {},
  ): OpeningFeeParams {
    const choice = chooseOpeningFeeParams(menu, paymentSizeMsat, limits, this.clock());
    if (!choice.ok) throw new Lsps2ClientError('refused', choice.reason);
    return choice.params;
  }

  /**
   * bLIP-52 `lsps2.buy` with params from `getInfo`, echoed verbatim. Without `paymentSizeMsat` the
   * flow is no-MPP + variable-amount invoice (the invoice must then not let the payer split).
   */
  async buy(params: OpeningFeeParams, paymentSizeMsat?: bigint): Promise<Purchase> {
    const now = this.clock();
    if (!isValidUntilInFuture(params, now)) {
      throw new Lsps2ClientError(
        'refused',
        `opening_fee_params.valid_until ${params.validUntil.text} is not in the future`,
      );
    }
    if (paymentSizeMsat !== undefined) {
      // bLIP-52: the client MUST keep payment_size_msat within [min_payment_size_msat, max_payment_size_msat].
      if (paymentSizeMsat < params.minPaymentSizeMsat || paymentSizeMsat > params.maxPaymentSizeMsat) {
        throw new Lsps2ClientError(
          'refused',
          `payment_size_msat ${paymentSizeMsat} outside ${params.minPaymentSizeMsat}..${params.maxPaymentSizeMsat}`,
        );
      }
      const fee = computeOpeningFee(paymentSizeMsat, params.minFeeMsat, params.proportional);
      if (fee === null) throw new Lsps2ClientError('refused', 'opening fee overflows u64');
      if (fee >= paymentSizeMsat)
        throw new Lsps2ClientError(
          'refused',
          `opening fee ${fee} msat is not below payment_size_msat ${paymentSizeMsat}`,
        );
      const max = this.opts.feeLimits?.maxTotalFeeMsat;
      if (max !== undefined && fee > max)
        throw new Lsps2ClientError('refused', `opening fee ${fee} msat exceeds the wallet limit ${max} msat`);
    }
    const maxProp = this.opts.feeLimits?.maxProportional;
    if (maxProp !== undefined && params.proportional > maxProp) {
      throw new Lsps2ClientError(
        'refused',
        `proportional ${params.proportional} ppm exceeds the wallet limit ${maxProp} ppm`,
      );
    }
    const req =
      paymentSizeMsat === undefined ? { openingFeeParams: params } : { openingFeeParams: params, paymentSizeMsat };
    const result = await this.request(LSPS2_BUY_METHOD, buyParamsToWire(req));
    const bought = parseLspResult(() => parseBuyResult(result));
    return paymentSizeMsat === undefined ? { ...bought, params } : { ...bought, params, paymentSizeMsat };
  }

  /** Stops listening; pending requests fail with `closed`. */
  close(): void {
    this.unsubscribe();
    for (const [id, p] of this.pending) {
      this.timers.clearTimeout(p.timer);
      p.reject(new Lsps2ClientError('closed', `${p.method}: the client was closed`));
      this.pending.delete(id);
    }
  }

  /** Requests awaiting an answer (for tests and metrics). */
  get pendingCount(): number {
    return this.pending.size;
  }

  /**
   * One LSPS0 request to this LSP and its result object (errors as `Lsps2ClientError`). Other LSPS on the
   * same connection (LSPS5) go through here, so one listener matches every answer to its request.
   */
  request(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = newRequestId(this.opts.random);
    const payload = encodePayload(serializeRequest({ id, method, params }));
    return new Promise((resolve, reject) => {
      const timer = this.timers.setTimeout(() => {
        if (this.pending.delete(id))
          reject(new Lsps2ClientError('timeout', `${method}: no response from the LSP within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { method, resolve, reject, timer });
      try {
        this.opts.transport.send(this.lsp, payload);
      } catch (e) {
        this.pending.delete(id);
        this.timers.clearTimeout(timer);
        reject(new Lsps2ClientError('send-failed', `${method}: ${sanitizeErrorMessage((e as Error).message)}`));
      }
    });
  }

  private onMessage(peer: NodeIdHex, payload: Uint8Array): void {
    if (peer.toLowerCase() !== this.lsp) return;
    const msg = parseClientInbound(payload);
    const log = (reason: string) =>
      this.opts.logger?.log('warn', 'lsps0: ignored message from LSP', {
        lsp: this.lsp,
        reason: sanitizeErrorMessage(reason),
      });
    switch (msg.kind) {
      case 'invalid':
        // bLIP-50: the client MUST ignore a badly formatted message (SHOULD log it).
        return log(msg.reason);
      case 'notification':
        return; // bLIP-50: unknown notifications are ignored.
      case 'result': {
        const p = this.take(msg.id);
        if (!p) return log('response with an unknown id');
        return p.resolve(msg.result);
      }
      case 'error': {
        const p = msg.id === null ? undefined : this.take(msg.id);
        if (!p) return log(`error response with an unknown id (code ${msg.error.code})`);
        return p.reject(lspError(p.method, msg.error.code, msg.error.message));
      }
    }
  }

  private take(id: string): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    this.timers.clearTimeout(p.timer);
    return p;
  }
}

function lspError(method: string, code: number, message: string): Lsps2ClientError {
  // bLIP-50: -32000..-32099 are treated like -32603 (internal error) unless the code is known.
  const name =
    lsps2ErrorName(code) ??
    lsps5ErrorName(code) ??
    (code >= JSONRPC_SERVER_ERROR_MIN && code <= JSONRPC_SERVER_ERROR_MAX ? 'internal error' : undefined);
  const text = sanitizeErrorMessage(message);
  return new Lsps2ClientError('lsp-error', `${method}: LSP error ${code}${name ? ` (${name})` : ''}: ${text}`, code);
}

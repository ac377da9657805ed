/**
 * The LSPS0 server (bLIP-50): one dispatcher for every BOLT 8 message 37913 the LSP receives. It answers
 * `lsps0.list_protocols` itself and routes other methods to registered handlers.
 *
 * Rules applied (bLIP-50 §"Message Payload Format", §"Error Handling", §"LSPS Extension And Versioning"):
 * - a payload that is not one UTF-8 JSON object, or not a JSON-RPC 2.0 request as LSPS0 restricts it
 *   (by-name params, a string id, no batch, no notification), is a "bad message format": the LSP MUST
 *   answer -32700 with `id: null` and otherwise ignore it. Nothing else happens to the peer: the spec asks
 *   to ignore the message, not the peer, so later well-formed requests are answered (lightning-liquidity
 *   ignores such a peer until it disconnects).
 * - unknown method -> -32601; a known method with unknown params -> -32602 with `data.unrecognized`;
 *   a handler bug -> -32603 (never the exception text: it may hold internals);
 * - size and pending-request limits (limits.ts) -> LSPS0 `client_rejected` (code 1).
 * Responses may go out in any order (bLIP-50 MAY).
 */
import {
  JSONRPC_PARSE_ERROR,
  LSPS0_LIST_PROTOCOLS_METHOD,
  clientRejectedObject,
  encodePayload,
  internalErrorObject,
  listProtocolsResultToWire,
  methodNotFoundObject,
  parseErrorObject,
  parseListProtocolsParams,
  parseServerInbound,
  serializeErrorResponse,
  serializeResultResponse,
  type JsonRpcErrorObject,
  type JsonRpcId,
  type JsonRpcRequest,
} from '@jitlsp/shared/lsps0';
import type { Logger } from '@jitlsp/shared/log';
import { DEFAULT_LSPS0_LIMITS, type Lsps0Limits } from './limits.js';

/** What a method handler sees. `peer` is the BOLT 8-authenticated node id (lower-case hex). */
export interface RequestContext {
  peer: string;
  request: JsonRpcRequest;
  now: Date;
}

/** A handler's answer: a result object, or a JSON-RPC error object (with a reason for the logs). */
export type HandlerOutcome = { result: Record<string, unknown> } | { error: JsonRpcErrorObject; reason?: string };

export type MethodHandler = (ctx: RequestContext) => Promise<HandlerOutcome> | HandlerOutcome;

/** One answered message, for metrics: `code` is undefined for a result. */
export interface DispatchRecord {
  peer: string;
  /** The method when the message was a well-formed request, else undefined. */
  method: string | undefined;
  code: number | undefined;
  startedAt: Date;
  finishedAt: Date;
}

export interface DispatcherOptions {
  /** Sends a 37913 payload to a peer (the node's `sendCustomMessage`). May throw if the peer went away. */
  send: (peer: string, payload: Uint8Array) => void;
  clock?: () => Date;
  logger?: Logger;
  limits?: Partial<Lsps0Limits>;
  /** LSPS numbers answered by `lsps0.list_protocols` (bLIP-50: never 0). */
  protocols: number[];
  /** Called after each answer (metrics). Must not throw. */
  onDispatched?: (record: DispatchRecord) => void;
}

const NO_LOG: Logger = { log: () => {} };

export class Lsps0Dispatcher {
  private readonly handlers = new Map<string, MethodHandler>();
  private readonly pendingByPeer = new Map<string, number>();
  private pendingTotal = 0;
  private readonly limits: Lsps0Limits;
  private readonly clock: () => Date;
  private readonly logger: Logger;
  private readonly protocols: number[];
  private protocolsResult: Record<string, unknown>;

  constructor(private readonly opts: DispatcherOptions) {
    this.limits = { ...DEFAULT_LSPS0_LIMITS, ...opts.limits };
    this.clock = opts.clock ?? (() => new Date());
    this.logger = opts.logger ?? NO_LOG;
    // Throws at start-up if 0 (or garbage) is configured: bLIP-50 MUST NOT list 0.
    this.protocols = [...opts.protocols];
    this.protocolsResult = listProtocolsResultToWire({ protocols: this.protocols });
    this.handlers.set(LSPS0_LIST_PROTOCOLS_METHOD, ({ request }) => {
      const p = parseListProtocolsParams(request.params);
      return p.ok ? { result: this.protocolsResult } : { error: p.error, reason: p.reason };
    });
  }

  /** Registers the handler of one method (e.g. `lsps2.get_info`). Method names follow bLIP-50 `lspsN.name`. */
  register(method: string, handler: MethodHandler): this {
    if (!/^lsps[0-9]+\.[a-z0-9_]+$/.test(method))
      throw new RangeError(`Lsps0Dispatcher/register: expected lspsN.snake_case, got ${method}`);
    if (this.handlers.has(method)) throw new RangeError(`Lsps0Dispatcher/register: ${method} is already registered`);
    this.handlers.set(method, handler);
    return this;
  }

  /** Adds an LSPS number to `lsps0.list_protocols`, for an LSPS whose methods are registered here too. */
  advertise(protocol: number): this {
    if (this.protocols.includes(protocol)) return this;
    // Throws for 0 or garbage, as at construction.
    this.protocolsResult = listProtocolsResultToWire({ protocols: [...this.protocols, protocol] });
    this.protocols.push(protocol);
    return this;
  }

  /** Requests currently in flight (for tests and metrics). */
  pending(peer?: string): number {
    return peer === undefined ? this.pendingTotal : (this.pendingByPeer.get(peer) ?? 0);
  }

  /**
   * Handles one 37913 message from `peer`. Resolves once the answer was handed to `send`; never rejects
   * (a peer cannot make the LSP crash).
   */
  async handleMessage(peer: string, payload: Uint8Array | string): Promise<void> {
    const startedAt = this.clock();
    try {
      await this.dispatch(peer, payload, startedAt);
    } catch (e) {
      // Only a bug in our own code gets here (the parsers do not throw on peer input).
      this.logger.log('error', 'lsps0: dispatch failed', {
        peer,
        error: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
      });
      try {
        this.opts.send(peer, encodePayload(serializeErrorResponse(null, internalErrorObject())));
      } catch {
        // peer gone
      }
    }
  }

  private async dispatch(peer: string, payload: Uint8Array | string, startedAt: Date): Promise<void> {
    const size = typeof payload === 'string' ? Buffer.byteLength(payload, 'utf8') : payload.length;
    if (size > this.limits.maxRequestBytes) {
      // Not parsed at all, so there is no id to answer on.
      this.answer(
        peer,
        undefined,
        null,
        { error: clientRejectedObject('Message too large') },
        startedAt,
        `message of ${size} bytes over the ${this.limits.maxRequestBytes}-byte limit`,
      );
      return;
    }
    const inbound = parseServerInbound(payload);
    if (inbound.kind === 'invalid') {
      // bLIP-50: bad message format -> -32700 with id null, and the message is otherwise ignored.
      this.answer(peer, undefined, null, { error: parseErrorObject() }, startedAt, inbound.reason);
      return;
    }
    const { request } = inbound;
    const handler = this.handlers.get(request.method);
    if (!handler) {
      this.answer(peer, request.method, request.id, { error: methodNotFoundObject() }, startedAt, 'unknown method');
      return;
    }
    const mine = this.pendingByPeer.get(peer) ?? 0;
    if (mine >= this.limits.maxPendingPerPeer || this.pendingTotal >= this.limits.maxPendingTotal) {
      const which = mine >= this.limits.maxPendingPerPeer ? 'per-peer' : 'total';
      this.answer(
        peer,
        request.method,
        request.id,
        { error: clientRejectedObject('Too many pending requests') },
        startedAt,
        `${which} pending-request limit reached`,
      );
      return;
    }
    this.pendingByPeer.set(peer, mine + 1);
    this.pendingTotal++;
    let outcome: HandlerOutcome;
    try {
      outcome = await handler({ peer, request, now: startedAt });
    } catch (e) {
      this.logger.log('error', 'lsps0: handler failed', {
        peer,
        method: request.method,
        error: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
      });
      outcome = { error: internalErrorObject() };
    } finally {
      const left = (this.pendingByPeer.get(peer) ?? 1) - 1;
      if (left <= 0) this.pendingByPeer.delete(peer);
      else this.pendingByPeer.set(peer, left);
      this.pendingTotal--;
    }
    this.answer(peer, request.method, request.id, outcome, startedAt, 'reason' in outcome ? outcome.reason : undefined);
  }

  private answer(
    peer: string,
    method: string | undefined,
    id: JsonRpcId,
    outcome: HandlerOutcome,
    startedAt: Date,
    reason: string | undefined,
  ): void {
    let text: string;
    if ('result' in outcome) {
      text = serializeResultResponse(id as string, outcome.result);
    } else {
      text = serializeErrorResponse(id, outcome.error);
      const level = outcome.error.code === JSONRPC_PARSE_ERROR ? 'warn' : 'info';
      // bLIP-50: the LSP SHOULD log a bad message as an unusual event. The reason names the rule broken;
      // it never holds more than 40 characters of peer text (the shared parser trims).
      this.logger.log(level, 'lsps0: error answered', { peer, method, code: outcome.error.code, reason });
    }
    try {
      this.opts.send(peer, encodePayload(text));
    } catch (e) {
      // bLIP-50 "Disconnection Handling": an undeliverable response is treated like a delivered one.
      this.logger.log('debug', 'lsps0: response not delivered', {
        peer,
        method,
        error: e instanceof Error ? e.message : String(e),
      });
    }
    try {
      this.opts.onDispatched?.({
        peer,
        method,
        code: 'error' in outcome ? outcome.error.code : undefined,
        startedAt,
        finishedAt: this.clock(),
      });
    } catch {
      // metrics must never break the protocol
    }
  }
}

/**
 * JSON-safe encoding of JIT sessions for storage (bigint -> decimal string, Date -> ISO string). Decoding
 * checks every field, so a corrupted row is reported with its field name instead of crashing later.
 */
import type {
  FailedHtlc,
  ForwardedHtlc,
  HeldHtlc,
  HtlcLedger,
  JitChannelState,
  JitSession,
  SessionFeeParams,
  SessionTerms,
} from './session.js';

/**
 * Writes bigints as decimal strings, Dates as ISO strings (their own toJSON) and undefined as null: one
 * JSON.stringify pass, without first building a converted copy of the session (this runs on every buy).
 */
function jsonValue(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v === undefined) return null;
  if (typeof v === 'function' || typeof v === 'symbol') throw new TypeError(`session-codec: cannot encode ${typeof v}`);
  return v;
}

export function encodeTerms(terms: SessionTerms): string {
  return JSON.stringify(terms, jsonValue);
}

export function encodeState(state: JitChannelState): string {
  return JSON.stringify(state, jsonValue);
}

class Reader {
  constructor(
    private readonly o: Record<string, unknown>,
    private readonly scope: string,
  ) {}
  private fail(k: string, want: string, got: unknown): never {
    throw new TypeError(`${this.scope}/${k}: expected ${want}, got ${JSON.stringify(got)}`);
  }
  big(k: string): bigint {
    const v = this.o[k];
    if (typeof v !== 'string' || !/^-?[0-9]+$/.test(v)) this.fail(k, 'decimal string', v);
    return BigInt(v);
  }
  bigOrNull(k: string): bigint | null {
    return this.o[k] === null || this.o[k] === undefined ? null : this.big(k);
  }
  int(k: string): number {
    const v = this.o[k];
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) this.fail(k, 'integer', v);
    return v;
  }
  intOrNull(k: string): number | null {
    return this.o[k] === null || this.o[k] === undefined ? null : this.int(k);
  }
  str(k: string): string {
    const v = this.o[k];
    if (typeof v !== 'string') this.fail(k, 'string', v);
    return v;
  }
  strOrNull(k: string): string | null {
    return this.o[k] === null || this.o[k] === undefined ? null : this.str(k);
  }
  bool(k: string): boolean {
    const v = this.o[k];
    if (typeof v !== 'boolean') this.fail(k, 'boolean', v);
    return v;
  }
  date(k: string): Date {
    const d = new Date(this.str(k));
    if (Number.isNaN(d.getTime())) this.fail(k, 'ISO date', this.o[k]);
    return d;
  }
  obj(k: string): Reader {
    const v = this.o[k];
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(k, 'object', v);
    return new Reader(v as Record<string, unknown>, `${this.scope}/${k}`);
  }
  arr(k: string): Reader[] {
    const v = this.o[k];
    if (!Array.isArray(v)) this.fail(k, 'array', v);
    return v.map((x, i) => {
      if (typeof x !== 'object' || x === null) this.fail(`${k}[${i}]`, 'object', x);
      return new Reader(x as Record<string, unknown>, `${this.scope}/${k}[${i}]`);
    });
  }
}

function parseRoot(text: string, scope: string): Reader {
  const v: unknown = JSON.parse(text);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TypeError(`${scope}: expected object`);
  return new Reader(v as Record<string, unknown>, scope);
}

export function decodeTerms(text: string): SessionTerms {
  const r = parseRoot(text, 'SessionTerms');
  const f = r.obj('feeParams');
  const feeParams: SessionFeeParams = {
    minFeeMsat: f.big('minFeeMsat'),
    proportional: f.int('proportional'),
    validUntil: f.date('validUntil'),
    minLifetime: f.int('minLifetime'),
    maxClientToSelfDelay: f.int('maxClientToSelfDelay'),
    minPaymentSizeMsat: f.big('minPaymentSizeMsat'),
    maxPaymentSizeMsat: f.big('maxPaymentSizeMsat'),
    promise: f.str('promise'),
  };
  return {
    jitChannelScid: r.big('jitChannelScid'),
    clientNodeId: r.str('clientNodeId'),
    paymentSizeMsat: r.bigOrNull('paymentSizeMsat'),
    openingFeeMsat: r.bigOrNull('openingFeeMsat'),
    feeParams,
    lspCltvExpiryDelta: r.int('lspCltvExpiryDelta'),
    clientTrustsLsp: r.bool('clientTrustsLsp'),
    userChannelId: r.big('userChannelId'),
    createdAt: r.date('createdAt'),
  };
}

function ledger(r: Reader): HtlcLedger {
  const held: HeldHtlc[] = r.arr('held').map((h) => ({
    interceptId: h.str('interceptId'),
    paymentHash: h.str('paymentHash'),
    amountMsat: h.big('amountMsat'),
    cltvExpiry: h.intOrNull('cltvExpiry'),
    receivedAt: h.date('receivedAt'),
  }));
  const forwarded: ForwardedHtlc[] = r.arr('forwarded').map((h) => ({
    interceptId: h.str('interceptId'),
    paymentHash: h.str('paymentHash'),
    amountMsat: h.big('amountMsat'),
    forwardMsat: h.big('forwardMsat'),
    skimMsat: h.big('skimMsat'),
  }));
  const failed: FailedHtlc[] = r.arr('failed').map((h) => {
    const reason = h.str('reason');
    if (reason !== 'unknown_next_peer' && reason !== 'temporary_channel_failure') {
      throw new TypeError(`JitChannelState/failed/reason: expected a failure code, got ${JSON.stringify(reason)}`);
    }
    return { interceptId: h.str('interceptId'), reason };
  });
  return { held, forwarded, failed };
}

export function decodeState(text: string): JitChannelState {
  const r = parseRoot(text, 'JitChannelState');
  const kind = r.str('kind');
  const l = ledger(r);
  switch (kind) {
    case 'awaitingPayment':
      return { kind, ...l };
    case 'openingChannel':
      return {
        kind,
        payingHash: r.str('payingHash'),
        feeMsat: r.big('feeMsat'),
        capacitySat: r.big('capacitySat'),
        fundingSigned: r.bool('fundingSigned'),
        channelId: r.strOrNull('channelId'),
        ...l,
      };
    case 'awaitingForward':
      return {
        kind,
        channelId: r.str('channelId'),
        payingHash: r.str('payingHash'),
        feeMsat: r.big('feeMsat'),
        collectedFeeMsat: r.big('collectedFeeMsat'),
        failedForwards: r.int('failedForwards'),
        ...l,
      };
    case 'channelOpen':
      return { kind, channelId: r.str('channelId'), feeMsat: r.bigOrNull('feeMsat'), ...l };
    case 'done':
      return {
        kind,
        channelId: r.str('channelId'),
        feeMsat: r.big('feeMsat'),
        collectedFeeMsat: r.big('collectedFeeMsat'),
        fundingReleased: r.bool('fundingReleased'),
        ...l,
      };
    case 'closed': {
      const outcome = r.str('outcome');
      if (outcome !== 'paid' && outcome !== 'expired' && outcome !== 'abandoned') {
        throw new TypeError(`JitChannelState/outcome: expected paid|expired|abandoned, got ${JSON.stringify(outcome)}`);
      }
      return {
        kind,
        outcome,
        channelId: r.strOrNull('channelId'),
        collectedFeeMsat: r.big('collectedFeeMsat'),
        ...l,
      };
    }
    default:
      throw new TypeError(`JitChannelState/kind: expected a state kind, got ${JSON.stringify(kind)}`);
  }
}

/** Deep copy through the codec (what a real store round-trips). */
export function cloneSession(s: JitSession): JitSession {
  return {
    terms: decodeTerms(encodeTerms(s.terms)),
    state: decodeState(encodeState(s.state)),
    version: s.version,
    updatedAt: new Date(s.updatedAt.getTime()),
  };
}

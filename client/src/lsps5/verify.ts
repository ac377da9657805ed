/**
 * For a wallet's notification delivery service (its push server): checks one LSPS5 webhook call the way
 * bLIP-55 requires ("The notification delivery service ... MUST"), plus what HTTPS alone does not give a
 * server that must not be woken twice by the same call.
 *
 * In order: both headers present once and well formed; the body a JSON-RPC 2.0 notification; the timestamp
 * within `maxSkewMs` of `now` (an old call captured anywhere cannot be played later); the signature by the
 * expected LSP over the template with that timestamp and the exact body; and, last, not seen before. The
 * replay key is the signed message itself (timestamp and body), not the signature: an ECDSA signature can be
 * rewritten into another valid one for the same message, so a signature-keyed store could be passed by a
 * replay with a rewritten signature. Only calls that passed the signature check are remembered, so forged
 * calls cannot fill the store.
 */
import { fromHex, sha256, toHex } from '@jitlsp/shared/crypto';
import { lnVerify } from '@jitlsp/shared/lsps0';
import {
  LSPS5_SIGNATURE_HEADER,
  LSPS5_TIMESTAMP_HEADER,
  lsps5SignedMessage,
  parseNotificationBody,
  parseTimestampHeader,
} from '@jitlsp/shared/lsps5';

/** How far a call's timestamp may be from the server's clock (either way). */
export const DEFAULT_MAX_SKEW_MS = 10 * 60_000;

/**
 * Calls already accepted: `remember` answers false for a key it holds unexpired at `now` (the verifier's
 * clock), else keeps it until `expiresAt` and answers true. May be async (a database).
 */
export interface SeenStore {
  remember(key: string, expiresAt: Date, now: Date): boolean | Promise<boolean>;
}

/** A bounded in-memory {@link SeenStore}: keys are kept until they expire (then a replay is too old anyway). */
export class MemorySeenStore implements SeenStore {
  private readonly seen = new Map<string, number>();
  constructor(private readonly maxEntries = 100_000) {}

  remember(key: string, expiresAt: Date, at: Date): boolean {
    const now = at.getTime();
    if (this.seen.size >= this.maxEntries) {
      for (const [k, exp] of this.seen) if (exp <= now) this.seen.delete(k);
      // Still full of live keys: refuse rather than forget one (forgetting would let its replay through).
      if (this.seen.size >= this.maxEntries) return false;
    }
    const exp = this.seen.get(key);
    if (exp !== undefined && exp > now) return false;
    this.seen.set(key, expiresAt.getTime());
    return true;
  }
}

export type Lsps5Verification =
  | {
      ok: true;
      method: string;
      params: Record<string, unknown>;
      /** Whether bLIP-55 defines the method (a service MUST ignore the ones it does not recognise). */
      known: boolean;
      timestamp: Date;
      timeoutBlockHeight?: number;
    }
  | { ok: false; reason: string };

export interface VerifyOptions {
  maxSkewMs?: number;
  /** Replay refusal; without one, replays inside the time window are not detected. */
  seen?: SeenStore;
}

type Headers = Record<string, string | string[] | undefined> | Headers2;
type Headers2 = { get(name: string): string | null };

function header(headers: Headers, name: string): string | undefined | null {
  if (typeof (headers as Headers2).get === 'function') return (headers as Headers2).get(name) ?? undefined;
  const h = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(h).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : h[key];
  if (Array.isArray(v)) return v.length === 1 ? v[0] : null; // a header sent twice is not "the" header
  return v;
}

/**
 * Verifies one webhook call: `headers` as Node or fetch presents them, `body` the exact request body,
 * `lspNodeId` the LSP the webhook was registered with (hex), `now` the server's clock.
 * @example const v = await verifyLsps5Notification(req.headers, rawBody, LSP_ID, new Date(), { seen });
 */
export async function verifyLsps5Notification(
  headers: Headers,
  body: string | Uint8Array,
  lspNodeId: string,
  now: Date,
  opts: VerifyOptions = {},
): Promise<Lsps5Verification> {
  const ts = header(headers, LSPS5_TIMESTAMP_HEADER);
  const sig = header(headers, LSPS5_SIGNATURE_HEADER);
  if (ts === null || sig === null) return { ok: false, reason: 'headers: x-lsps5-* sent more than once' };
  if (ts === undefined) return { ok: false, reason: `headers: ${LSPS5_TIMESTAMP_HEADER} missing` };
  if (sig === undefined) return { ok: false, reason: `headers: ${LSPS5_SIGNATURE_HEADER} missing` };
  const timestamp = parseTimestampHeader(ts);
  if (timestamp === null) return { ok: false, reason: `headers: ${LSPS5_TIMESTAMP_HEADER} is not an LSPS0.datetime` };
  if (!/^[ybndrfg8ejkmcpqxot1uwisza345h769]{104}$/.test(sig))
    return { ok: false, reason: `headers: ${LSPS5_SIGNATURE_HEADER} is not a zbase32 signature` };
  let text: string;
  try {
    text = typeof body === 'string' ? body : new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return { ok: false, reason: 'body: not UTF-8' };
  }
  const parsed = parseNotificationBody(text);
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  const skew = opts.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  if (Math.abs(timestamp.epochMs - now.getTime()) > skew)
    return { ok: false, reason: `timestamp: more than ${skew} ms from now` };
  let lsp: Uint8Array;
  try {
    lsp = fromHex(lspNodeId, 'lspNodeId');
  } catch {
    return { ok: false, reason: 'lspNodeId: not hex' };
  }
  const message = lsps5SignedMessage(timestamp.text, text);
  if (!lnVerify(message, sig, lsp)) return { ok: false, reason: 'signature: not by the LSP over this call' };
  if (opts.seen) {
    const fresh = await opts.seen.remember(toHex(sha256(message)), new Date(timestamp.epochMs + skew), now);
    if (!fresh) return { ok: false, reason: 'replay: this call was already accepted' };
  }
  return {
    ok: true,
    method: parsed.method,
    params: parsed.params,
    known: parsed.known,
    timestamp: new Date(timestamp.epochMs),
    ...(parsed.timeoutBlockHeight !== undefined ? { timeoutBlockHeight: parsed.timeoutBlockHeight } : {}),
  };
}

/**
 * The wallet's TS-built offers, kept in `<dataDir>/bolt12-offers.json` so invoice_requests are
 * answered after a restart: per offer its nonce (the offer key is derived again from it), the offer
 * bytes, the LSP, and a group offer's state (its one payment and the payers so far). Written with
 * write-then-rename; read back field by field, as any input.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { decodeOfferBytes, type Offer } from '@jitlsp/shared/bolt12';
import { fromHex, toHex } from '@jitlsp/shared/crypto';
import type { GroupState } from './group-offer.js';

export interface OfferRecord {
  nonceHex: string;
  offerIdHex: string;
  /** The offer exactly as built (its id and the requests' mirror are byte-exact). */
  offerBytes: Uint8Array;
  offer: Offer;
  lspNodeId: string;
  createdAtMs: number;
  group?: GroupState;
}

export class OfferBookError extends Error {
  override readonly name = 'OfferBookError';
}

const VERSION = 1;

export class OfferBook {
  private readonly byNonce = new Map<string, OfferRecord>();

  constructor(readonly path?: string) {
    if (path) for (const r of load(path)) this.byNonce.set(r.nonceHex, r);
  }

  get(nonceHex: string): OfferRecord | undefined {
    return this.byNonce.get(nonceHex);
  }

  byOfferId(offerIdHex: string): OfferRecord | undefined {
    for (const r of this.byNonce.values()) if (r.offerIdHex === offerIdHex) return r;
    return undefined;
  }

  all(): OfferRecord[] {
    return [...this.byNonce.values()];
  }

  put(r: OfferRecord): void {
    this.byNonce.set(r.nonceHex, r);
    if (this.path) save(this.path, [...this.byNonce.values()]);
  }
}

function replacer(_k: string, v: unknown): unknown {
  if (typeof v === 'bigint') return { $bigint: v.toString() };
  if (v instanceof Uint8Array) return { $hex: toHex(v) };
  return v;
}

function reviver(_k: string, v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (typeof o.$bigint === 'string' && /^-?\d+$/.test(o.$bigint)) return BigInt(o.$bigint);
    if (typeof o.$hex === 'string') return fromHex(o.$hex, 'bolt12-offers.json');
  }
  return v;
}

function save(path: string, records: OfferRecord[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const body = records.map(({ offer: _offer, ...r }) => r);
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify({ version: VERSION, offers: body }, replacer));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

function load(path: string): OfferRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  let raw: { version?: unknown; offers?: unknown };
  try {
    raw = JSON.parse(text, reviver) as typeof raw;
  } catch (e) {
    throw new OfferBookError(`${path}: not JSON (${(e as Error).message})`);
  }
  if (raw.version !== VERSION || !Array.isArray(raw.offers))
    throw new OfferBookError(`${path}: expected {version: ${VERSION}, offers: [...]}`);
  return raw.offers.map((o: Record<string, unknown>, i: number) => {
    const at = `${path}: offers[${i}]`;
    if (typeof o.nonceHex !== 'string' || !/^[0-9a-f]{32}$/.test(o.nonceHex))
      throw new OfferBookError(`${at}.nonceHex: expected 16 bytes of hex`);
    if (typeof o.lspNodeId !== 'string' || !/^0[23][0-9a-f]{64}$/.test(o.lspNodeId))
      throw new OfferBookError(`${at}.lspNodeId: expected a node id`);
    if (typeof o.createdAtMs !== 'number') throw new OfferBookError(`${at}.createdAtMs: expected a number`);
    if (!(o.offerBytes instanceof Uint8Array)) throw new OfferBookError(`${at}.offerBytes: expected bytes`);
    let offer: Offer;
    try {
      offer = decodeOfferBytes(o.offerBytes);
    } catch (e) {
      throw new OfferBookError(`${at}.offerBytes: ${(e as Error).message}`);
    }
    const r: OfferRecord = {
      nonceHex: o.nonceHex,
      offerIdHex: String(o.offerIdHex),
      offerBytes: o.offerBytes,
      offer,
      lspNodeId: o.lspNodeId,
      createdAtMs: o.createdAtMs,
    };
    if (o.group !== undefined) r.group = o.group as GroupState;
    return r;
  });
}

/**
 * Persistence for the router's registrations and leases. The wallet has no database: one JSON file
 * in its data dir, replaced atomically (write a temp file, fsync, rename) so a crash leaves either
 * the old or the new state, never half a file. Writes are synchronous on purpose: LDK calls the
 * router synchronously and an assignment must be on disk before the invoice leaves the node.
 *
 * The file is input like any other: it is validated field by field on load.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Lease, LeaseMode } from './lease.js';
import type { LeasePolicy, OfferKey, Registration } from './registration.js';

export interface RouterState {
  registrations: Registration[];
  leases: Lease[];
}

export interface RouterStateStore {
  load(): RouterState;
  save(state: RouterState): void;
}

export class RouterStateError extends Error {
  override readonly name = 'RouterStateError';
}

const STATE_VERSION = 1;

/** In memory (tests, or a wallet that re-registers on start). */
export class MemoryRouterStateStore implements RouterStateStore {
  private json: string | undefined;
  load(): RouterState {
    return this.json === undefined ? { registrations: [], leases: [] } : decodeRouterState(this.json, 'memory');
  }
  save(state: RouterState): void {
    this.json = encodeRouterState(state);
  }
}

/** `<dataDir>/lsps2-router.json`, written with write-then-rename. */
export class JsonFileRouterStateStore implements RouterStateStore {
  constructor(readonly path: string) {}

  load(): RouterState {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { registrations: [], leases: [] };
      throw e;
    }
    return decodeRouterState(text, this.path);
  }

  save(state: RouterState): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, encodeRouterState(state));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
  }
}

export function encodeRouterState(state: RouterState): string {
  return JSON.stringify(
    { version: STATE_VERSION, registrations: state.registrations, leases: state.leases },
    (_k, v) => (typeof v === 'bigint' ? v.toString() : v),
    1,
  );
}

export function decodeRouterState(text: string, source: string): RouterState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RouterStateError(`${source}: expected JSON, got a parse error (${(e as Error).message})`);
  }
  const r = new Reader(source);
  const top = r.obj(raw, 'state');
  if (top.version !== STATE_VERSION) throw r.err('state.version', `${STATE_VERSION}`, top.version);
  const regs = r
    .arr(top.registrations, 'state.registrations')
    .map((x, i) => r.registration(x, `state.registrations[${i}]`));
  const leases = r.arr(top.leases, 'state.leases').map((x, i) => r.lease(x, `state.leases[${i}]`));
  return { registrations: regs, leases };
}

const HEX33 = /^(02|03)[0-9a-f]{64}$/;
const HEX = /^(?:[0-9a-f]{2})+$/;
const DEC = /^(0|[1-9][0-9]{0,19})$/;

class Reader {
  constructor(private readonly source: string) {}
  err(field: string, expected: string, got: unknown): RouterStateError {
    const g = typeof got === 'string' ? JSON.stringify(got.slice(0, 40)) : got === undefined ? 'nothing' : typeof got;
    return new RouterStateError(`${this.source}/${field}: expected ${expected}, got ${g}`);
  }
  obj(v: unknown, f: string): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw this.err(f, 'an object', v);
    return v as Record<string, unknown>;
  }
  arr(v: unknown, f: string): unknown[] {
    if (!Array.isArray(v)) throw this.err(f, 'an array', v);
    return v;
  }
  str(v: unknown, f: string, re?: RegExp): string {
    if (typeof v !== 'string' || (re && !re.test(v))) throw this.err(f, re ? `a string matching ${re}` : 'a string', v);
    return v;
  }
  int(v: unknown, f: string, max: number): number {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max)
      throw this.err(f, `an integer in 0..${max}`, v);
    return v;
  }
  u64(v: unknown, f: string): bigint {
    const s = this.str(v, f, DEC);
    const n = BigInt(s);
    if (n >= 1n << 64n) throw this.err(f, 'a u64', v);
    return n;
  }
  bool(v: unknown, f: string): boolean {
    if (typeof v !== 'boolean') throw this.err(f, 'a boolean', v);
    return v;
  }
  key(v: unknown, f: string): OfferKey {
    const o = this.obj(v, f);
    if (typeof o.offerId === 'string') return { offerId: this.str(o.offerId, `${f}.offerId`, HEX) };
    return { offerNonce: this.str(o.offerNonce, `${f}.offerNonce`, HEX) };
  }
  policy(v: unknown, f: string): LeasePolicy {
    const o = this.obj(v, f);
    const mode = o.mode;
    if (mode !== 'no-mpp' && mode !== 'mpp-when-available')
      throw this.err(`${f}.mode`, '"no-mpp" or "mpp-when-available"', mode);
    return {
      mode,
      poolSize: this.int(o.poolSize, `${f}.poolSize`, 100),
      skipWhenInboundCovers: this.bool(o.skipWhenInboundCovers, `${f}.skipWhenInboundCovers`),
    };
  }
  registration(v: unknown, f: string): Registration {
    const o = this.obj(v, f);
    const lsp = this.obj(o.lsp, `${f}.lsp`);
    return {
      key: this.key(o.key, `${f}.key`),
      lsp: {
        nodeId: this.str(lsp.nodeId, `${f}.lsp.nodeId`, HEX33),
        cltvExpiryDelta: this.int(lsp.cltvExpiryDelta, `${f}.lsp.cltvExpiryDelta`, 0xffff),
      },
      policy: this.policy(o.policy, `${f}.policy`),
      createdAtMs: this.int(o.createdAtMs, `${f}.createdAtMs`, Number.MAX_SAFE_INTEGER),
    };
  }
  lease(v: unknown, f: string): Lease {
    const o = this.obj(v, f);
    const mode = o.mode as LeaseMode;
    if (mode !== 'no-mpp' && mode !== 'mpp') throw this.err(`${f}.mode`, '"no-mpp" or "mpp"', mode);
    const t = this.obj(o.terms, `${f}.terms`);
    const lease: Lease = {
      lspNodeId: this.str(o.lspNodeId, `${f}.lspNodeId`, HEX33),
      interceptScid: this.u64(o.interceptScid, `${f}.interceptScid`),
      lspCltvExpiryDelta: this.int(o.lspCltvExpiryDelta, `${f}.lspCltvExpiryDelta`, 0xffff),
      clientTrustsLsp: this.bool(o.clientTrustsLsp, `${f}.clientTrustsLsp`),
      validUntilMs: this.int(o.validUntilMs, `${f}.validUntilMs`, Number.MAX_SAFE_INTEGER),
      mode,
      terms: {
        minFeeMsat: this.u64(t.minFeeMsat, `${f}.terms.minFeeMsat`),
        proportional: this.int(t.proportional, `${f}.terms.proportional`, 0xffff_ffff),
        minPaymentSizeMsat: this.u64(t.minPaymentSizeMsat, `${f}.terms.minPaymentSizeMsat`),
        maxPaymentSizeMsat: this.u64(t.maxPaymentSizeMsat, `${f}.terms.maxPaymentSizeMsat`),
      },
      boughtAtMs: this.int(o.boughtAtMs, `${f}.boughtAtMs`, Number.MAX_SAFE_INTEGER),
    };
    if (mode === 'mpp') lease.paymentSizeMsat = this.u64(o.paymentSizeMsat, `${f}.paymentSizeMsat`);
    if (o.assignment !== undefined) {
      const a = this.obj(o.assignment, `${f}.assignment`);
      lease.assignment = {
        invoiceKey: this.str(a.invoiceKey, `${f}.assignment.invoiceKey`),
        amountMsat: this.u64(a.amountMsat, `${f}.assignment.amountMsat`),
        assignedAtMs: this.int(a.assignedAtMs, `${f}.assignment.assignedAtMs`, Number.MAX_SAFE_INTEGER),
      };
    }
    return lease;
  }
}

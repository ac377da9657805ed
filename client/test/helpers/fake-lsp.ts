/**
 * An in-memory LSPS0 transport paired with a scripted LSP, and manual timers.
 * The scripted LSP sees each request object and answers with whatever the test's script returns.
 */
import type { Lsps0Transport } from '../../src/lsps2/transport.js';
import type { Timers } from '../../src/lsps2/client.js';

export interface SeenRequest {
  id: string;
  method: string;
  params: Record<string, unknown>;
  raw: string;
}

export type ScriptAnswer =
  | { result: Record<string, unknown> }
  | { error: { code: number; message: string; data?: Record<string, unknown> } }
  /** Send this exact text (malformed payloads, foreign ids...). */
  | { raw: string }
  | 'silent';

export class FakeLsp {
  readonly seen: SeenRequest[] = [];
  private handlers = new Set<(peer: string, payload: Uint8Array) => void>();
  connected = true;

  constructor(
    readonly nodeId: string,
    public script: (req: SeenRequest) => ScriptAnswer | ScriptAnswer[],
  ) {}

  /** The wallet's side of the pair. */
  readonly transport: Lsps0Transport = {
    send: (peer, payload) => {
      if (!this.connected || peer !== this.nodeId) throw new Error(`peer ${peer.slice(0, 8)} not connected`);
      const raw = new TextDecoder().decode(payload);
      const obj = JSON.parse(raw) as { id: string; method: string; params: Record<string, unknown> };
      const req = { id: obj.id, method: obj.method, params: obj.params, raw };
      this.seen.push(req);
      const answers = this.script(req);
      for (const a of Array.isArray(answers) ? answers : [answers]) {
        if (a === 'silent') continue;
        const text = 'raw' in a ? a.raw : JSON.stringify({ jsonrpc: '2.0', id: req.id, ...a });
        queueMicrotask(() => this.deliver(this.nodeId, text));
      }
    },
    onMessage: (handler) => {
      this.handlers.add(handler);
      return () => this.handlers.delete(handler);
    },
    isConnected: (peer) => this.connected && peer === this.nodeId,
  };

  /** Delivers a payload to the wallet as if `from` sent it. */
  deliver(from: string, text: string): void {
    const bytes = new TextEncoder().encode(text);
    for (const h of this.handlers) h(from, bytes);
  }
}

export class ManualTimers implements Timers {
  private next = 1;
  private readonly live = new Map<number, { fn: () => void; ms: number }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const h = this.next++;
    this.live.set(h, { fn, ms });
    return h;
  }
  clearTimeout(handle: unknown): void {
    this.live.delete(handle as number);
  }
  get count(): number {
    return this.live.size;
  }
  /** Runs every pending timer, as if its delay had passed. */
  fireAll(): void {
    const due = [...this.live.values()];
    this.live.clear();
    for (const t of due) t.fn();
  }
}

/** Deterministic "randomness": distinct bytes per call. */
export function countingRandom(): (n: number) => Uint8Array {
  let k = 0;
  return (n) => {
    k++;
    return Uint8Array.from({ length: n }, (_, i) => (k * 31 + i * 7) & 0xff);
  };
}

/** Lets queued microtasks (scripted answers) run. */
export const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

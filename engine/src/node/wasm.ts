/**
 * Loads the LDK WASM module once per process and keeps a handle on its linear memory, so the engine can report
 * `memoryStats()` (WASM memory grows when finalizers are starved and never shrinks: docs/ldk-pitfalls.md, "Memory").
 * `bindings.mjs` keeps its instance private, so `WebAssembly.instantiate` is wrapped for the one call that
 * instantiates LDK.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as ldk from 'lightningdevkit';

let ready: Promise<void> | undefined;
/** The slice of the WebAssembly global we touch (lib "ES2023" without DOM does not declare it). */
interface WasmMemory {
  buffer: ArrayBuffer;
}
interface WasmGlobal {
  instantiate: (...args: unknown[]) => Promise<unknown>;
  Memory: new (...args: never[]) => WasmMemory;
}
const WA = (globalThis as unknown as { WebAssembly: WasmGlobal }).WebAssembly;
let memory: WasmMemory | undefined;

/** Initialise the bindings (idempotent, concurrent-safe). */
export function initLdk(): Promise<void> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmPath = require.resolve('lightningdevkit/liblightningjs.wasm');
    const bin = await readFile(wasmPath);
    const original = WA.instantiate;
    WA.instantiate = async (...args: unknown[]) => {
      const result = (await original.apply(WA, args)) as {
        instance?: { exports?: Record<string, unknown> };
        exports?: Record<string, unknown>;
      };
      const mem = (result.instance ?? result).exports?.memory;
      if (mem instanceof WA.Memory) memory = mem;
      return result;
    };
    try {
      await ldk.initializeWasmFromBinary(bin);
    } finally {
      WA.instantiate = original;
    }
  })();
  return ready;
}

/** Bytes of LDK's WASM linear memory (0 before init). */
export function wasmMemoryBytes(): number {
  return memory?.buffer.byteLength ?? 0;
}

let gcUsers = 0;
let gcTimer: NodeJS.Timeout | undefined;
let activeSinceGc = false;

/** Called by the event loop on every pass: an idle process skips the periodic GC (idle CPU stays near zero). */
export function markLdkActivity(): void {
  activeSinceGc = true;
}

/**
 * Periodic full GC while at least one node runs, when the process was started with `--expose-gc`.
 * V8 does not see the WASM memory a small JS wrapper keeps alive, so without pressure it collects them late and
 * LDK's linear memory keeps growing; a gc() every few seconds keeps it flat (docs/ldk-pitfalls.md, "Memory").
 * Returns the release function.
 */
export function retainPeriodicGc(intervalMs: number): () => void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function' || intervalMs <= 0) return () => undefined;
  gcUsers++;
  if (!gcTimer) {
    gcTimer = setInterval(() => {
      if (!activeSinceGc) return;
      activeSinceGc = false;
      gc();
    }, intervalMs);
    gcTimer.unref();
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--gcUsers === 0 && gcTimer) {
      clearInterval(gcTimer);
      gcTimer = undefined;
    }
  };
}

/**
 * The test's SandboxChain lent to a child process over its IPC channel. The sandbox lives in one process only,
 * and the payer and client nodes of a kill -9 test stay in the test process while the LSP daemon runs in a
 * child that the test SIGKILLs: both sides must see the same chain. Test-only and deliberately small:
 * `tip`/`blockAt`/`broadcast`/`fundTransaction` are request/response, new blocks are pushed, and the fee
 * rates (LDK asks for them synchronously) are copied once at start.
 *
 * Needs `serialization: 'advanced'` on the fork, so headers and transactions cross as Uint8Array.
 */
import type { ChildProcess } from 'node:child_process';
import {
  FEE_TARGETS,
  type ChainBlock,
  type ChainHeader,
  type ChainNetwork,
  type ChainSource,
  type ChainTip,
  type FeeTarget,
  type OnchainWallet,
} from '@jitlsp/engine/chain';

type Target = FeeTarget;
export type FeeRates = Record<Target, number>;

type Method = 'tip' | 'blockAt' | 'hashAt' | 'headerByHash' | 'blockByHash' | 'broadcast' | 'fundTransaction';

/** child -> parent */
export interface ChainCall {
  kind: 'chainCall';
  id: number;
  method: Method;
  args: unknown[];
}

/** parent -> child */
export type ChainPush =
  | { kind: 'chainReply'; id: number; ok: true; value: unknown }
  | { kind: 'chainReply'; id: number; ok: false; error: string }
  | { kind: 'block'; block: ChainTip };

const TARGETS: readonly Target[] = FEE_TARGETS;

export function feeRatesOf(chain: ChainSource): FeeRates {
  return Object.fromEntries(TARGETS.map((t) => [t, chain.feeRateSatPerKw(t)])) as FeeRates;
}

/**
 * Parent side: answers `child`'s chain calls from `chain` and pushes every new block to it. Returns the
 * unsubscribe function (call it when the child exits; sends to a dead child are skipped anyway).
 */
export function serveChain(child: ChildProcess, chain: ChainSource & OnchainWallet): () => void {
  const send = (m: ChainPush) => {
    if (child.connected) child.send(m);
  };
  const onMessage = (raw: unknown) => {
    const m = raw as Partial<ChainCall>;
    if (m.kind !== 'chainCall' || m.id === undefined || m.method === undefined) return;
    const id = m.id;
    const args = m.args ?? [];
    const call: Record<Method, () => Promise<unknown>> = {
      tip: () => chain.tip(),
      blockAt: () => chain.blockAt(args[0] as number),
      hashAt: () => chain.hashAt(args[0] as number),
      headerByHash: () => chain.headerByHash(args[0] as string),
      blockByHash: () => chain.blockByHash(args[0] as string, args[1] as number),
      broadcast: () => chain.broadcast(args[0] as Uint8Array),
      fundTransaction: () => chain.fundTransaction(args[0] as Uint8Array, args[1] as bigint),
    };
    call[m.method]().then(
      (value) => send({ kind: 'chainReply', id, ok: true, value }),
      (err: unknown) =>
        send({ kind: 'chainReply', id, ok: false, error: err instanceof Error ? err.message : String(err) }),
    );
  };
  child.on('message', onMessage);
  const unsubscribe = chain.subscribe((block) => send({ kind: 'block', block }));
  return () => {
    unsubscribe();
    child.off('message', onMessage);
  };
}

/** Child side: a ChainSource whose answers come from the parent. Feed it every parent message with `handle`. */
export class IpcChain implements ChainSource, OnchainWallet {
  readonly kind = 'sandbox-over-ipc';
  readonly network: ChainNetwork = 'regtest';
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(tip: ChainTip) => void>();

  constructor(
    private readonly send: (m: ChainCall) => void,
    private readonly feeRates: FeeRates,
  ) {}

  /** Returns true when the message was the chain's. */
  handle(raw: unknown): boolean {
    const m = raw as ChainPush;
    if (m.kind === 'block') {
      for (const l of [...this.listeners]) l(m.block);
      return true;
    }
    if (m.kind !== 'chainReply') return false;
    const p = this.pending.get(m.id);
    this.pending.delete(m.id);
    if (m.ok) p?.resolve(m.value);
    else p?.reject(new Error(m.error));
    return true;
  }

  tip(): Promise<ChainTip> {
    return this.call('tip', []) as Promise<ChainTip>;
  }

  blockAt(height: number): Promise<ChainBlock | undefined> {
    return this.call('blockAt', [height]) as Promise<ChainBlock | undefined>;
  }

  hashAt(height: number): Promise<string | undefined> {
    return this.call('hashAt', [height]) as Promise<string | undefined>;
  }

  headerByHash(hash: string): Promise<ChainHeader> {
    return this.call('headerByHash', [hash]) as Promise<ChainHeader>;
  }

  blockByHash(hash: string, height: number): Promise<ChainBlock> {
    return this.call('blockByHash', [hash, height]) as Promise<ChainBlock>;
  }

  subscribe(listener: (tip: ChainTip) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  broadcast(tx: Uint8Array): Promise<string> {
    return this.call('broadcast', [tx]) as Promise<string>;
  }

  fundTransaction(outputScript: Uint8Array, valueSat: bigint): Promise<Uint8Array> {
    return this.call('fundTransaction', [outputScript, valueSat]) as Promise<Uint8Array>;
  }

  feeRateSatPerKw(target: Target): number {
    return this.feeRates[target];
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  private call(method: Method, args: unknown[]): Promise<unknown> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ kind: 'chainCall', id, method, args });
    });
  }
}

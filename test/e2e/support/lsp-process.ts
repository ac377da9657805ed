/**
 * Parent side of the LSP daemon child process (`lsp-child.ts`): fork it with tsx, lend it the test's chain,
 * collect the node events it reports, and end it with a real SIGKILL (no shutdown code runs in the child).
 * A restart is a new `LspProcess.start` with the same environment: same data directory, SQLite file, seed
 * and P2P port, so the payer and the client reconnect by themselves.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { get as httpGet } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { SandboxChain } from '@jitlsp/engine/chain';
import type { NodeEvent, NodeEventOf, NodeEventType } from '@jitlsp/engine/node';
import { feeRatesOf, serveChain } from './ipc-chain.js';
import type { ChildReport, StartMessage } from './lsp-child.js';

const CHILD = fileURLToPath(new URL('./lsp-child.ts', import.meta.url));

export interface LspProcessOptions {
  chain: SandboxChain;
  /** The daemon's environment (what `npm start` would read). */
  env: Record<string, string>;
  /** The daemon's sweep timer period. */
  tickIntervalMs?: number;
  startTimeoutMs?: number;
}

interface Waiter {
  type: NodeEventType;
  pred: (ev: NodeEvent) => boolean;
  resolve: (ev: NodeEvent) => void;
}

export class LspProcess {
  /** Every event the child reported, in order. */
  readonly events: NodeEvent[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly nodeId: string,
    readonly address: string,
    readonly httpUrl: string,
    private readonly adminToken: string | undefined,
  ) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    child.on('message', (raw: unknown) => {
      const m = raw as ChildReport;
      if (m.kind !== 'event') return;
      this.events.push(m.event);
      for (const w of [...this.waiters]) {
        if (w.type === m.event.type && w.pred(m.event)) {
          this.waiters.delete(w);
          w.resolve(m.event);
        }
      }
    });
  }

  static async start(opts: LspProcessOptions): Promise<LspProcess> {
    const child = fork(CHILD, [], {
      execArgv: ['--conditions=jitlsp-source', '--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const stopServing = serveChain(child, opts.chain);
    child.once('exit', stopServing);
    const ready = new Promise<Extract<ChildReport, { kind: 'ready' }>>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('LspProcess: the daemon did not start in time')),
        opts.startTimeoutMs ?? 60_000,
      );
      const done = (f: () => void) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        f();
      };
      const onMessage = (raw: unknown) => {
        const m = raw as ChildReport;
        if (m.kind === 'ready') done(() => resolve(m));
        else if (m.kind === 'failed')
          done(() => reject(new Error(`LspProcess: the daemon failed to start: ${m.error}`)));
      };
      const onExit = (code: number | null, signal: string | null) =>
        done(() => reject(new Error(`LspProcess: the daemon exited during start (code ${code}, signal ${signal})`)));
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
    child.send({
      kind: 'start',
      env: opts.env,
      feeRates: feeRatesOf(opts.chain),
      tickIntervalMs: opts.tickIntervalMs ?? 250,
    } satisfies StartMessage);
    try {
      const r = await ready;
      return new LspProcess(child, r.nodeId, r.address, r.httpUrl, opts.env.JITLSP_ADMIN_TOKEN);
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * The first reported event of `type` matching `pred` from now on (or already reported, with `past`).
   * Rejects after `timeoutMs` or when the child exits.
   */
  waitFor<T extends NodeEventType>(
    type: T,
    pred: (ev: NodeEventOf<T>) => boolean = () => true,
    timeoutMs = 30_000,
    past = false,
  ): Promise<NodeEventOf<T>> {
    const seen = past
      ? this.events.find((e): e is NodeEventOf<T> => e.type === type && pred(e as NodeEventOf<T>))
      : undefined;
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        type,
        pred: (ev) => pred(ev as NodeEventOf<T>),
        resolve: (ev) => {
          clearTimeout(timer);
          resolve(ev as NodeEventOf<T>);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        reject(new Error(`LspProcess.waitFor(${type}): not reported within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(w);
      void this.exited.then(() => {
        if (!this.waiters.delete(w)) return;
        clearTimeout(timer);
        reject(new Error(`LspProcess.waitFor(${type}): the daemon exited`));
      });
    });
  }

  /** kill -9: SIGKILL, resolved once the process is gone (its files are what the crash left). */
  async kill9(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** GET on the admin API (`Authorization: Bearer $JITLSP_ADMIN_TOKEN`); the parsed JSON, or undefined on 404. */
  async admin<T = unknown>(path: string): Promise<T | undefined> {
    const res = await get(`${this.httpUrl}/admin${path}`, { authorization: `Bearer ${this.adminToken ?? ''}` });
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`admin ${path}: HTTP ${res.status} ${res.body}`);
    return JSON.parse(res.body) as T;
  }

  /** One unlabelled series of `GET /metrics` (counters restart at 0 with the process). */
  async metric(name: string): Promise<number> {
    const text = (await get(`${this.httpUrl}/metrics`)).body;
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    if (line === undefined) throw new Error(`metric ${name} not served`);
    return Number(line.slice(name.length + 1));
  }
}

/**
 * One GET without keep-alive: tests poll the daemon, and a pooled connection the server closes between two
 * polls fails the next request ("other side closed").
 */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

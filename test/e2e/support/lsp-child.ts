/**
 * The LSP daemon as its own process, for the kill -9 tests (forked by `lsp-process.ts`). It does what
 * `service/src/main.ts` does (`loadConfig(env)` + `Daemon.start`) with two test-only differences: the chain is
 * the parent's SandboxChain over IPC (`ipc-chain.ts`), and the node's events are copied to the parent so the
 * test can time its SIGKILL on them. It installs no signal handler: a SIGKILL runs no code here anyway.
 */
import { Daemon, createLogger, loadConfig } from '@jitlsp/service';
import type { NodeEvent } from '@jitlsp/engine/node';
import { IpcChain, type FeeRates } from './ipc-chain.js';

/** parent -> child, first message */
export interface StartMessage {
  kind: 'start';
  env: Record<string, string>;
  feeRates: FeeRates;
  tickIntervalMs: number;
}

/** child -> parent (besides the chain calls) */
export type ChildReport =
  | { kind: 'ready'; nodeId: string; address: string; httpUrl: string }
  | { kind: 'event'; event: NodeEvent }
  | { kind: 'failed'; error: string };

const send = (m: unknown) => {
  if (process.connected) process.send!(m);
};

// An orphan daemon would keep the port and the files: the parent going away ends the child.
process.on('disconnect', () => process.exit(1));

let chain: IpcChain | undefined;
process.on('message', (raw: unknown) => {
  if (chain?.handle(raw)) return;
  const m = raw as StartMessage;
  if (m.kind === 'start' && chain === undefined) void start(m);
});

async function start(m: StartMessage): Promise<void> {
  chain = new IpcChain(send, m.feeRates);
  try {
    const config = loadConfig(m.env);
    const daemon = await Daemon.start({
      config,
      chain,
      logger: createLogger({ level: config.logLevel }),
      tickIntervalMs: m.tickIntervalMs,
    });
    // LSPS0 requests carry nothing a kill needs to be timed on; everything else goes to the parent.
    daemon.node.onEvent((event) => {
      if (event.type !== 'customMessageReceived') send({ kind: 'event', event } satisfies ChildReport);
    });
    send({
      kind: 'ready',
      nodeId: daemon.node.nodeId,
      address: daemon.nodeAddress!,
      httpUrl: daemon.http.url,
    } satisfies ChildReport);
  } catch (err) {
    send({
      kind: 'failed',
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    } satisfies ChildReport);
    process.exit(1);
  }
}

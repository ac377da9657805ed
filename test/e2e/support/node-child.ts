/**
 * A bare LightningNode (a forwarding hop, no daemon) in its own process, for the monitor-persistence crash test.
 * The chain is the parent's SandboxChain over IPC. Once armed, the node stops inside its monitor persister after
 * a batch of writes is durable and before LDK is told (`beforeMonitorUpdateCompleted`), reports `durable`, and
 * waits there for the parent's SIGKILL. It installs no signal handler: a SIGKILL runs no code here anyway.
 */
import { LightningNode } from '@jitlsp/engine/node';
import { IpcChain, type FeeRates } from './ipc-chain.js';

/** parent -> child */
export type NodeChildCommand =
  | { kind: 'start'; dataDir: string; port: number; feeRates: FeeRates }
  | { kind: 'open'; peer: string; capacitySat: string }
  | { kind: 'arm' };

/** child -> parent (besides the chain calls) */
export type NodeChildReport =
  | { kind: 'ready'; nodeId: string; address: string; monitorUpdatesReplayed: number }
  | { kind: 'opened' }
  | { kind: 'durable' }
  | { kind: 'failed'; error: string };

const send = (m: NodeChildReport | unknown) => {
  if (process.connected) process.send!(m);
};
process.on('disconnect', () => process.exit(1));

let chain: IpcChain | undefined;
let node: LightningNode | undefined;
let armed = false;
let replayed = 0;

process.on('message', (raw: unknown) => {
  if (chain?.handle(raw)) return;
  const m = raw as NodeChildCommand;
  if (m.kind === 'start' && !chain) void start(m);
  else if (m.kind === 'arm') armed = true;
  else if (m.kind === 'open' && node) {
    node
      .openChannel({
        peer: m.peer,
        capacitySat: BigInt(m.capacitySat),
        // The receiver's blinded path advertises no relay fee (via-peer router): this hop charges none.
        config: { forwardingFeeBaseMsat: 0, forwardingFeeProportionalMillionths: 0 },
      })
      .then(
        () => send({ kind: 'opened' }),
        (err: unknown) => send({ kind: 'failed', error: String(err) }),
      );
  }
});

async function start(m: Extract<NodeChildCommand, { kind: 'start' }>): Promise<void> {
  chain = new IpcChain(send, m.feeRates);
  try {
    node = await LightningNode.start({
      dataDir: m.dataDir,
      chain,
      name: 'hop',
      listen: { port: m.port },
      logger: {
        log: (level, msg, fields) => {
          if (msg === 'node restored') replayed = Number(fields?.monitorUpdatesReplayed ?? 0);
          if (level === 'error') console.error('hop:', msg, fields);
        },
      },
      reconnectBackoffMs: { min: 50, max: 1000 },
      beforeMonitorUpdateCompleted: async () => {
        if (!armed) return;
        send({ kind: 'durable' });
        await new Promise(() => undefined); // the parent kills the process here
      },
    });
    send({ kind: 'ready', nodeId: node.nodeId, address: node.address!, monitorUpdatesReplayed: replayed });
  } catch (err) {
    send({ kind: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    process.exit(1);
  }
}

/** Shared set-up for the engine tests: temp data dirs, quiet loggers, node start/stop. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SandboxChain } from '../../src/chain/index.js';
import { LightningNode, type NodeLogger, type NodeOptions } from '../../src/node/index.js';

/** Logs only warnings and errors (set JITLSP_TEST_LOG=debug to see everything). */
export const testLogger = (name: string): NodeLogger => ({
  log(level, msg, fields) {
    const want = process.env.JITLSP_TEST_LOG;
    const show = want === 'debug' || want === 'trace' ? level !== 'trace' || want === 'trace' : level === 'error';
    if (show) process.stderr.write(`${JSON.stringify({ level, node: name, msg, ...fields }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
  },
});

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `jitlsp-${prefix}-`));
}

export async function quietChain(): Promise<SandboxChain> {
  return SandboxChain.create({ log: () => undefined });
}

export interface Started {
  node: LightningNode;
  dir: string;
}

export async function startNode(chain: SandboxChain, name: string, extra: Partial<NodeOptions> = {}, dir = tempDir(name)): Promise<Started> {
  const node = await LightningNode.start({
    dataDir: dir,
    chain,
    name,
    listen: { port: 0 },
    logger: testLogger(name),
    reconnectBackoffMs: { min: 50, max: 1000 },
    ldkLogLevel: (process.env.JITLSP_LDK_LOG as NodeOptions['ldkLogLevel']) ?? 'warn',
    ...extra,
  });
  return { node, dir };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

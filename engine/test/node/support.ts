/** Shared set-up for the engine tests: temp data dirs, quiet loggers, a sandbox network of nodes. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { NodeIdHex, NodeOptions, RouterHookContext } from '../../src/node/index.js';
import { TestNet, type ViaPeer } from '../../src/testing/index.js';
import type { Logger } from '@jitlsp/shared/log';

/** Logs only warnings and errors (set JITLSP_TEST_LOG=debug to see everything). */
export const testLogger = (name: string): Logger => ({
  log(level, msg, fields) {
    const want = process.env.JITLSP_TEST_LOG;
    const show = want === 'debug' || want === 'trace' ? level !== 'trace' || want === 'trace' : level === 'error';
    if (show)
      process.stderr.write(
        `${JSON.stringify({ level, node: name, msg, ...fields }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`,
      );
  },
});

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `jitlsp-${prefix}-`));
}

/** A sandbox chain for one suite's nodes, logging as `testLogger` (JITLSP_LDK_LOG sets LDK's own level). */
export function testNet(): Promise<TestNet> {
  return TestNet.create({
    dirPrefix: 'jitlsp',
    logger: testLogger,
    nodeDefaults: { ldkLogLevel: (process.env.JITLSP_LDK_LOG as NodeOptions['ldkLogLevel']) ?? 'warn' },
  });
}

/**
 * For `viaPeerRouter`: payment paths that enter through `peerNodeId` over our usable channel with it (its
 * inbound SCID alias); none until that channel exists, so LDK falls back to its default router.
 */
export function viaChannelWith(peerNodeId: NodeIdHex): (ctx: RouterHookContext) => ViaPeer | undefined {
  return (ctx) => {
    const ch = ctx.listChannels().find((c) => c.counterpartyNodeId === peerNodeId && c.isUsable);
    return ch?.inboundPaymentScid === undefined ? undefined : { peerNodeId, scid: ch.inboundPaymentScid };
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * End-to-end set-up: the real LSP daemon core (SQLite in a temp dir, real LDK node on loopback TCP), a payer
 * node with a confirmed channel to the LSP, and wallets (`JitWallet` from @jitlsp/client). One controllable
 * clock drives the chain, the daemon and every node, so tests can jump past `valid_until`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JitWallet, type JitWalletOptions } from '@jitlsp/client';
import { Daemon, createLogger, loadConfig } from '@jitlsp/service';
import { SandboxChain } from '@jitlsp/engine/chain';
import { LightningNode } from '@jitlsp/engine/node';
import { confirmedChannel } from '@jitlsp/engine/testing';
import type { Logger } from '@jitlsp/shared/log';

export const quietNode = (name: string): Logger => ({
  log(level, msg, fields) {
    if (level === 'error' || process.env.JITLSP_TEST_LOG === 'debug') {
      process.stderr.write(
        `${name} ${level} ${msg} ${JSON.stringify(fields ?? {}, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}\n`,
      );
    }
  },
});

export interface Harness {
  chain: SandboxChain;
  daemon: Daemon;
  payer: LightningNode;
  /** Moves every component's clock forward. */
  advance(ms: number): void;
  clock: () => Date;
  startWallet(name: string, extra?: Partial<JitWalletOptions>): Promise<JitWallet>;
  stop(): Promise<void>;
}

export const FEE_MIN_MSAT = 1_000_000n;
export const FEE_PPM = 10_000;

/** `env` overrides the daemon's environment (an empty string removes a variable, leaving its default). */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  const dirs: string[] = [];
  const dir = (p: string) => {
    const d = mkdtempSync(join(tmpdir(), `jitlsp-e2e-${p}-`));
    dirs.push(d);
    return d;
  };
  const chain = await SandboxChain.create({ clock, log: () => undefined });
  const lspDir = dir('lsp');
  const config = loadConfig(
    {
      JITLSP_DATA_DIR: lspDir,
      JITLSP_HTTP_PORT: '0',
      JITLSP_P2P_PORT: '0',
      JITLSP_FEE_TIERS: `${FEE_MIN_MSAT}:${FEE_PPM}`,
      JITLSP_MIN_PAYMENT_SIZE_MSAT: '1000000',
      // Operator policy: 100,000 sat of extra inbound per JIT channel, so later payments go fee-free over it.
      JITLSP_CHANNEL_OVERPROVISIONING_SAT: '100000',
      ...env,
      JITLSP_LOG_LEVEL: process.env.JITLSP_TEST_LOG === 'debug' ? 'debug' : 'error',
    },
    lspDir,
  );
  const daemon = await Daemon.start({
    config,
    chain,
    clock,
    logger: createLogger({ level: config.logLevel, clock }),
    tickIntervalMs: 250,
  });
  const payer = await LightningNode.start({
    dataDir: dir('payer'),
    chain,
    name: 'payer',
    clock,
    logger: quietNode('payer'),
    reconnectBackoffMs: { min: 50, max: 500 },
  });
  await payer.connect(daemon.nodeAddress!);
  await confirmedChannel(chain, payer, daemon.node, 5_000_000n);
  const wallets: JitWallet[] = [];
  return {
    chain,
    daemon,
    payer,
    clock,
    advance: (ms) => (offsetMs += ms),
    async startWallet(name, extra = {}) {
      const w = await JitWallet.start({
        dataDir: dir(name),
        chain,
        clock,
        lsps: [daemon.nodeAddress!],
        logger: quietNode(name),
        maintenanceIntervalMs: 0,
        name,
        node: { reconnectBackoffMs: { min: 50, max: 500 } },
        ...extra,
      });
      wallets.push(w);
      return w;
    },
    async stop() {
      for (const w of wallets) await w.stop().catch(() => undefined);
      await payer.stop();
      await daemon.stop();
      await chain.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

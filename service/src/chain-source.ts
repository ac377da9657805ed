/**
 * The chain backend the daemon opens when none is given: a bitcoind JSON-RPC node (`config.chain:
 * 'bitcoind'`), started before it is returned, or else an in-process regtest sandbox.
 */
import { join } from 'node:path';
import { BitcoindRpcChain, SandboxChain, type ChainSource } from '@jitlsp/engine/chain';
import type { ServiceConfig } from './config/config.js';
import type { Logger } from './log.js';

/** Opens the configured chain; a bitcoind chain's `close` is pushed onto `cleanup` before it starts. */
export async function openChainSource(
  config: ServiceConfig,
  deps: { clock: () => Date; random: (n: number) => Uint8Array; logger: Logger },
  cleanup: (() => Promise<unknown>)[],
): Promise<ChainSource> {
  const { clock, random, logger } = deps;
  const chainLog = (l: 'debug' | 'info' | 'warn' | 'error', m: string, f?: Record<string, unknown>) =>
    logger.log(l, m, { component: 'chain', ...f });
  if (config.chain === 'bitcoind' && config.bitcoind) {
    // Checks the network, waits out IBD, retries while bitcoind is unreachable (a log line per retry).
    const rpcChain = new BitcoindRpcChain({
      url: config.bitcoind.rpcUrl.reveal(),
      cookieFile: config.bitcoind.cookieFile,
      network: config.network,
      pollSeconds: config.bitcoind.pollSeconds,
      journalFile: join(config.dataDir, 'broadcast-journal.json'),
      log: chainLog,
      clock,
    });
    cleanup.push(() => rpcChain.close());
    await rpcChain.start();
    return rpcChain;
  }
  return SandboxChain.create({ clock, random, log: chainLog });
}

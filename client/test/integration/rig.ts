/**
 * The three real nodes of the client's integration tests, over TCP on loopback: a payer with a zero-conf
 * channel to the LSP stand-in (`lsp-stand-in.ts`), and a `JitWallet` that knows the LSP, on one sandbox chain.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxChain } from '@jitlsp/engine/chain';
import { LightningNode } from '@jitlsp/engine/node';
import type { Logger } from '@jitlsp/shared/log';
import { JitWallet } from '../../src/wallet.js';
import { LspStandIn, type StandInOptions } from './lsp-stand-in.js';

/** Errors only (JITLSP_TEST_LOG=debug: everything). */
export const quiet = (name: string): Logger => ({
  log(level, msg, fields) {
    if (level === 'error' || process.env.JITLSP_TEST_LOG === 'debug')
      process.stderr.write(
        `${name} ${level} ${msg} ${JSON.stringify(fields ?? {}, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}\n`,
      );
  },
});

export class ClientRig {
  private readonly dirs: string[] = [];
  chain!: SandboxChain;
  lsp!: LspStandIn;
  payer!: LightningNode;
  wallet!: JitWallet;

  /** A fresh temporary directory, removed by `stop`. */
  dir(prefix: string): string {
    const d = mkdtempSync(join(tmpdir(), `jitlsp-client-${prefix}-`));
    this.dirs.push(d);
    return d;
  }

  /** Starts the chain, the LSP stand-in (with `lspOptions`), the payer with its channel to the LSP, the wallet. */
  async start(lspOptions: Partial<StandInOptions> = {}, walletLogger?: Logger): Promise<void> {
    this.chain = await SandboxChain.create({ log: () => undefined });
    const chain = this.chain;
    this.lsp = await LspStandIn.start({ chain, dataDir: this.dir('lsp'), logger: quiet('lsp'), ...lspOptions });
    this.payer = await LightningNode.start({
      dataDir: this.dir('payer'),
      chain,
      name: 'payer',
      logger: quiet('payer'),
      listen: { host: '127.0.0.1', port: 0 },
    });
    this.wallet = await this.startWallet('wallet', walletLogger);
    // The payer has a zero-conf channel to the LSP (the LSP's own liquidity comes from the sandbox wallet).
    await this.payer.connect(this.lsp.node.address!);
    const ready = this.payer.waitFor('channelReady');
    await this.payer.openChannel({ peer: this.lsp.node.nodeId, capacitySat: 5_000_000n, zeroConf: true });
    await ready;
  }

  /** A wallet that buys from the LSP stand-in, in its own data directory. */
  startWallet(name: string, logger: Logger = quiet(name)): Promise<JitWallet> {
    return JitWallet.start({
      dataDir: this.dir(name),
      chain: this.chain,
      lsps: [this.lsp.node.address!],
      logger,
      feeLimits: { maxTotalFeeMsat: 5_000_000n, maxProportional: 20_000 },
      maintenanceIntervalMs: 0,
      node: { listen: { host: '127.0.0.1', port: 0 }, reconnectBackoffMs: { min: 50, max: 500 } },
    });
  }

  async stop(): Promise<void> {
    await this.wallet?.stop();
    await this.payer?.stop();
    await this.lsp?.stop();
    await this.chain?.close();
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
  }
}

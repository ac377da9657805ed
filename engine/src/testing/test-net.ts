import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SandboxChain } from '../chain/index.js';
import { LightningNode } from '../node/node.js';
import type { NodeOptions } from '../node/types.js';
import type { Logger } from '@jitlsp/shared/log';

export interface TestNetOptions {
  /** Node data directories are created as `<dirPrefix>-<name>-XXXXXX` in the OS temporary directory. */
  dirPrefix: string;
  /** Each node's logger, by node name. */
  logger: (name: string) => Logger;
  /** Options every node starts with (a node's own options win). */
  nodeDefaults?: Partial<NodeOptions>;
}

/**
 * A quiet sandbox chain and the nodes a test suite starts on it, each on an ephemeral loopback port in its own
 * temporary directory. `close()` stops every node, closes the chain and removes the directories, so a suite's
 * `after` cannot forget one (a node left running keeps mocha's process alive).
 */
export class TestNet {
  private readonly nodes: LightningNode[] = [];
  private readonly dirs: string[] = [];

  private constructor(
    readonly chain: SandboxChain,
    private readonly opts: TestNetOptions,
  ) {}

  static async create(opts: TestNetOptions): Promise<TestNet> {
    return new TestNet(await SandboxChain.create({ log: () => undefined }), opts);
  }

  /** A new temporary directory, removed by `close()` (for a node to restart from, or a database file). */
  tempDir(name: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), `${this.opts.dirPrefix}-${name}-`));
    this.dirs.push(dir);
    return dir;
  }

  /**
   * Starts a node in a new temporary directory, or in `dir` to restart one from its files. It reconnects to its
   * peers within a second (not LDK's minutes), so a test sees a restarted peer back quickly.
   */
  async start(name: string, extra: Partial<NodeOptions> = {}, dir = this.tempDir(name)): Promise<LightningNode> {
    const node = await LightningNode.start({
      dataDir: dir,
      chain: this.chain,
      name,
      listen: { port: 0 },
      logger: this.opts.logger(name),
      reconnectBackoffMs: { min: 50, max: 1000 },
      ...this.opts.nodeDefaults,
      ...extra,
    });
    this.nodes.push(node);
    return node;
  }

  /** Stops every node started here (stopping one twice is harmless), then the chain; removes the directories. */
  async close(): Promise<void> {
    for (const node of this.nodes) await node.stop();
    await this.chain.close();
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }
}

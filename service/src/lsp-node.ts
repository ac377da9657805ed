/**
 * The LSP's Lightning node: the engine node started with what an LSPS2 JIT-channel LSP needs (bLIP-52):
 * intercepted HTLCs, onion messages held for offline peers, durable JIT events and the LSPS0 feature bit
 * (bLIP-50), with the session index answering its SCID and funding hooks.
 */
import { join } from 'node:path';
import type { ChainSource } from '@jitlsp/engine/chain';
import { LightningNode } from '@jitlsp/engine/node';
import type { ServiceConfig } from './config/config.js';
import type { DaemonOptions } from './daemon.js';
import type { SessionIndex } from './jit/memory/session-index.js';
import { JIT_DURABLE_EVENTS } from './jit/pure/route.js';
import type { Logger } from './log.js';

export interface LspNodeOptions {
  config: ServiceConfig;
  chain: ChainSource;
  clock: () => Date;
  random: (n: number) => Uint8Array;
  logger: Logger;
  index: SessionIndex;
  /** Engine options layered over these (tests). */
  overrides: DaemonOptions['node'];
}

export function startLspNode(o: LspNodeOptions): Promise<LightningNode> {
  const { config, index } = o;
  return LightningNode.start({
    dataDir: join(config.dataDir, 'node'),
    chain: o.chain,
    listen: { host: config.p2p.host, port: config.p2p.port },
    clock: o.clock,
    random: o.random,
    logger: o.logger.child({ component: 'node' }),
    name: 'lsp',
    acceptInterceptHtlcs: true,
    interceptOfflinePeerOnionMessages: true,
    // kill -9 at any point loses no HTLC: LDK keeps each JIT event until its new state is stored.
    durableEvents: JIT_DURABLE_EVENTS,
    // bLIP-50: an LSP advertises LSPS0 with feature bit 729 (clients MUST NOT).
    advertiseLsps0: true,
    nodeIdLookup: (scid) => index.nodeIdLookup(scid),
    holdFunding: (info) => index.holdFunding(info),
    ...o.overrides,
  });
}

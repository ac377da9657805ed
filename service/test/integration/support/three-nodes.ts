/**
 * The nodes of the service integration tests, payer P -> LSP L -> client C on a sandbox chain: where they
 * live, how they log, and the node options of L's role (C's are the engine's `jitClientOptions`).
 */
import type { SandboxChain } from '@jitlsp/engine/chain';
import type { LightningNode, NodeOptions } from '@jitlsp/engine/node';
import { TestNet, confirmedChannel } from '@jitlsp/engine/testing';
import type { JitRunner } from '../../../src/jit/io/runner.js';
import { JIT_DURABLE_EVENTS } from '../../../src/jit/pure/route.js';
import type { Logger } from '@jitlsp/shared/log';

/** Only errors, one line each: LDK's warnings on purposeful failures would drown the test report. */
const errorsOnly: Logger = {
  log: (level, msg, fields) =>
    level === 'error' &&
    process.stderr.write(
      `${msg} ${JSON.stringify(fields ?? {}, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`,
    ),
};

/** A sandbox chain for one suite's nodes; their directories are named `<dirPrefix>-<node>-XXXXXX`. */
export function serviceTestNet(dirPrefix: string): Promise<TestNet> {
  return TestNet.create({ dirPrefix, logger: () => errorsOnly });
}

/**
 * L's node options: intercept HTLCs to JIT SCIDs and onion messages for offline peers, and ask the JIT core
 * (which starts after the node, and is replaced on a simulated service restart) about funding holds and SCIDs.
 */
export function lspNodeOptions(shell: () => JitRunner | undefined): Partial<NodeOptions> {
  return {
    acceptInterceptHtlcs: true,
    interceptOfflinePeerOnionMessages: true,
    durableEvents: JIT_DURABLE_EVENTS,
    holdFunding: (info) => shell()?.index.holdFunding(info) ?? false,
    nodeIdLookup: (scid) => shell()?.index.nodeIdLookup(scid),
  };
}

/** P and C connect to L, and P gets a confirmed 2,000,000 sat channel to L: the path every payment to C enters by. */
export async function connectPayerAndClient(
  chain: SandboxChain,
  lsp: LightningNode,
  payer: LightningNode,
  client: LightningNode,
): Promise<void> {
  await payer.connect(lsp.address!);
  await client.connect(lsp.address!);
  await confirmedChannel(chain, payer, lsp, 2_000_000n);
}

/** `node` goes offline from L's point of view: resolves once L has seen it disconnect. */
export async function disconnectFromLsp(node: LightningNode, lsp: LightningNode): Promise<void> {
  const gone = lsp.waitFor('peerDisconnected', (e) => e.peerNodeId === node.nodeId);
  node.disconnect(lsp.nodeId);
  await gone;
}

/** The machine may be loaded enough for LDK's ping timer to drop a peer: reconnects each of `nodes` that lost L. */
export async function reconnectToLsp(nodes: LightningNode[], lsp: LightningNode): Promise<void> {
  for (const n of nodes) {
    if (!n.listPeers().some((x) => x.nodeId === lsp.nodeId)) await n.connect(lsp.address!);
  }
}

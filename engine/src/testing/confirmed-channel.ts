import type { SandboxChain } from '../chain/index.js';
import type { LightningNode } from '../node/node.js';

/**
 * `from` (already connected to `to`) opens an ordinary channel, the sandbox mines the 6 blocks LDK's default
 * `minimum_depth` asks for, and this resolves once `from` sees the channel ready. The set-up step of every
 * payer -> LSP path in the tests, the demo and the benchmarks.
 */
export async function confirmedChannel(
  chain: SandboxChain,
  from: LightningNode,
  to: { nodeId: string },
  capacitySat: bigint,
  timeoutMs = 30_000,
): Promise<void> {
  const pending = from.waitFor('channelPending', (e) => e.counterpartyNodeId === to.nodeId, timeoutMs);
  const ready = from.waitFor('channelReady', (e) => e.counterpartyNodeId === to.nodeId, timeoutMs);
  await from.openChannel({ peer: to.nodeId, capacitySat });
  await pending;
  await chain.mine(6);
  await ready;
}

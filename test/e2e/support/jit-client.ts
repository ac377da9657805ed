/**
 * A minimal LSPS2 client for the kill -9 tests: a plain LDK node that trusts the LSP for zero-conf channels
 * and skimmed HTLCs, buys JIT channels with raw LSPS0 JSON-RPC over message 37913, puts the current intercept
 * SCID in its BOLT 12 invoices' blinded paths, and claims every payment as soon as it is claimable. Kept raw
 * (not `JitWallet`) so a test picks exactly which session a payment uses, MPP or not.
 */
import { randomUUID } from 'node:crypto';
import type { SandboxChain } from '@jitlsp/engine/chain';
import { parseScid } from '@jitlsp/shared/lsps0';
import { LightningNode } from '@jitlsp/engine/node';
import { viaPeerMessageRouter, viaPeerRouter } from '@jitlsp/engine/testing';
import type { Logger } from '@jitlsp/shared/log';

export interface JitClient {
  node: LightningNode;
  /** The intercept SCID the next invoices route through. */
  scid: bigint;
  /** `lsps2.get_info` then `lsps2.buy` with the first menu entry; the new SCID becomes `scid`. */
  buy(paymentSizeMsat?: bigint): Promise<bigint>;
}

export async function startJitClient(opts: {
  chain: SandboxChain;
  dataDir: string;
  lspNodeId: string;
  logger: Logger;
}): Promise<JitClient> {
  const lsp = opts.lspNodeId;
  const client: JitClient = {
    node: undefined as unknown as LightningNode,
    scid: 0n,
    async buy(paymentSizeMsat) {
      const info = await rpc(client.node, lsp, 'lsps2.get_info', {});
      const params: Record<string, unknown> = { opening_fee_params: info.opening_fee_params_menu[0] };
      if (paymentSizeMsat !== undefined) params.payment_size_msat = paymentSizeMsat.toString();
      const bought = await rpc(client.node, lsp, 'lsps2.buy', params);
      client.scid = parseScid(bought.jit_channel_scid as string, 'jit_channel_scid');
      return client.scid;
    },
  };
  client.node = await LightningNode.start({
    dataDir: opts.dataDir,
    chain: opts.chain,
    name: 'client',
    logger: opts.logger,
    reconnectBackoffMs: { min: 50, max: 1000 },
    inboundChannels: { manualAccept: true, trustedZeroConfPeers: [lsp], decide: () => 'accept-zero-conf' },
    acceptUnderpayingHtlcsFrom: [lsp],
    routerHook: viaPeerRouter(() => ({ peerNodeId: lsp, scid: client.scid })),
    messageRouterHook: viaPeerMessageRouter(() => lsp),
  });
  client.node.on('paymentClaimable', (e) => {
    if (e.preimage !== undefined) client.node.claimFunds(e.preimage);
  });
  return client;
}

/** One LSPS0 request to `lsp` and its result (throws on a JSON-RPC error). */
async function rpc(node: LightningNode, lsp: string, method: string, params: Record<string, unknown>): Promise<any> {
  const id = randomUUID();
  const answer = node.waitFor(
    'customMessageReceived',
    (e) => e.peerNodeId === lsp && new TextDecoder().decode(e.payload).includes(id),
    20_000,
  );
  node.sendCustomMessage(lsp, new TextEncoder().encode(JSON.stringify({ jsonrpc: '2.0', id, method, params })));
  const reply = JSON.parse(new TextDecoder().decode((await answer).payload));
  if (reply.error) throw new Error(`${method}: ${JSON.stringify(reply.error)}`);
  return reply.result;
}

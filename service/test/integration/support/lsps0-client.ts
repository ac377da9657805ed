/**
 * The client's side of LSPS0 in the integration tests, kept raw (JSON-RPC over BOLT 8 message 37913 through
 * the node) so a test sees exactly what the LSP answered, errors included.
 */
import { parseScid } from '@jitlsp/shared/lsps0';
import type { LightningNode, NodeIdHex } from '@jitlsp/engine/node';

let idSeq = 0;

/** One JSON-RPC request from `from` to the LSP `lsp`, and the matching answer (result or error) as parsed JSON. */
export async function lsps0Request(
  from: LightningNode,
  lsp: NodeIdHex,
  method: string,
  params: Record<string, unknown>,
): Promise<any> {
  const id = `req-${++idSeq}-${Math.random().toString(16).slice(2)}`;
  const answer = from.waitFor(
    'customMessageReceived',
    (e) => e.peerNodeId === lsp && new TextDecoder().decode(e.payload).includes(id),
    20_000,
  );
  from.sendCustomMessage(lsp, new TextEncoder().encode(JSON.stringify({ jsonrpc: '2.0', id, method, params })));
  return JSON.parse(new TextDecoder().decode((await answer).payload));
}

/** `lsps2.get_info`, then `lsps2.buy` with the first menu entry for `sizeMsat`: the JIT channel's intercept SCID. */
export async function buyJitChannel(from: LightningNode, lsp: NodeIdHex, sizeMsat: string): Promise<bigint> {
  const info = await lsps0Request(from, lsp, 'lsps2.get_info', {});
  const bought = await lsps0Request(from, lsp, 'lsps2.buy', {
    opening_fee_params: info.result.opening_fee_params_menu[0],
    payment_size_msat: sizeMsat,
  });
  return parseScid(bought.result.jit_channel_scid, 'jit_channel_scid');
}

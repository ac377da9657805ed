/**
 * `Lsps2MessageRouter`: the wallet's LDK `MessageRouter`. Blinded message paths (the offer's
 * `offer_paths`, and the reply paths of invoice_requests/invoices) enter through the LSP, so payers
 * reach the wallet before it has any channel, and the LSP can hold onion messages while the wallet
 * is offline (bLIP-52: the LSP treats the client as reachable for onion messages; LDK 0.1
 * `OnionMessenger::new_with_offline_peer_interception` on the LSP side).
 *
 * The LSP is the introduction node, one hop before the wallet. For compact paths (QR-sized), the
 * introduction node is written as an SCID when LDK's network graph knows a channel of the LSP
 * (`use_compact_introduction_node`; a no-op otherwise), and the SCID LDK offers for the LSP hop is
 * kept. `find_path` is delegated.
 */
import {
  BlindedMessagePath,
  type Destination,
  type EntropySource,
  type MessageContext,
  MessageForwardNode,
  MessageRouter,
  type NetworkGraph,
  Option_u64Z,
  Result_BlindedMessagePathNoneZ_OK,
  Result_CVec_BlindedMessagePathZNoneZ,
} from 'lightningdevkit';
import type { NodeIdHex, RouterHookContext } from '@jitlsp/engine/node';
import type { Logger } from '@jitlsp/shared/log';
import { fromHex } from '@jitlsp/shared/crypto';

export interface Lsps2MessageRouterOptions {
  /** The LSPs to route through, read at each call (registrations can change). */
  lspNodeIds: () => NodeIdHex[];
  logger?: Logger;
}

export class Lsps2MessageRouter {
  private ldkRouter: MessageRouter | undefined;

  constructor(private readonly opts: Lsps2MessageRouterOptions) {}

  /** For `NodeOptions.messageRouterHook`. */
  install(ctx: RouterHookContext): MessageRouter {
    return this.attach(ctx.defaultMessageRouter, ctx.entropySource, ctx.networkGraph);
  }

  attach(inner: MessageRouter, entropySource: EntropySource, graph?: NetworkGraph): MessageRouter {
    const viaLsps = (
      recipient: Uint8Array,
      context: MessageContext,
      scidOf: (lsp: Uint8Array) => Option_u64Z,
      compact: boolean,
    ) => {
      const lsps = this.opts.lspNodeIds();
      if (lsps.length === 0) return undefined;
      const paths: BlindedMessagePath[] = [];
      for (const lsp of lsps) {
        const id = fromHex(lsp, 'lsp node id', 33);
        const res = BlindedMessagePath.constructor_new(
          [MessageForwardNode.constructor_new(id, scidOf(id))],
          recipient,
          context.clone(),
          entropySource,
        );
        if (!(res instanceof Result_BlindedMessagePathNoneZ_OK)) continue;
        if (compact && graph) res.res.use_compact_introduction_node(graph.read_only());
        paths.push(res.res);
      }
      return paths.length > 0 ? Result_CVec_BlindedMessagePathZNoneZ.constructor_ok(paths) : undefined;
    };
    this.ldkRouter = MessageRouter.new_impl({
      find_path: (sender: Uint8Array, peers: Uint8Array[], destination: Destination) =>
        inner.find_path(sender, peers, destination),
      create_blinded_paths: (recipient, context, peers) =>
        viaLsps(recipient, context, () => Option_u64Z.constructor_none(), false) ??
        inner.create_blinded_paths(recipient, context, peers),
      create_compact_blinded_paths: (recipient, context, peers) => {
        const scidOf = (lsp: Uint8Array) => {
          const known = peers.find((p) => equal(p.get_node_id(), lsp));
          return known ? known.get_short_channel_id() : Option_u64Z.constructor_none();
        };
        return (
          viaLsps(recipient, context, scidOf, true) ?? inner.create_compact_blinded_paths(recipient, context, peers)
        );
      },
    });
    return this.ldkRouter;
  }
}

const equal = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

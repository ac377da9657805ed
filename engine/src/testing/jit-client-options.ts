import type { NodeIdHex, NodeOptions } from '../node/types.js';
import { viaPeerMessageRouter, viaPeerRouter } from './via-peer-router.js';

/**
 * The node options of a bare JIT-channel client of the LSP `lspNodeId` (bLIP-52): it accepts the LSP's
 * channels zero-conf (through `decide` when given, else the trusted-peer rule), accepts HTLCs the LSP skimmed
 * its opening fee from, and routes its BOLT 12 payment paths through the LSP on `scid()` (an intercept SCID,
 * read at invoice time so a test can buy a new one) and its message paths through the LSP.
 */
export function jitClientOptions(
  lspNodeId: NodeIdHex,
  scid: () => bigint,
  decide?: NonNullable<NodeOptions['inboundChannels']>['decide'],
): Partial<NodeOptions> {
  return {
    inboundChannels: { manualAccept: true, trustedZeroConfPeers: [lspNodeId], ...(decide ? { decide } : {}) },
    acceptUnderpayingHtlcsFrom: [lspNodeId],
    routerHook: viaPeerRouter(() => ({ peerNodeId: lspNodeId, scid: scid() })),
    messageRouterHook: viaPeerMessageRouter(() => lspNodeId),
  };
}

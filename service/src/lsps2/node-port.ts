/**
 * The few engine calls the LSPS2 service makes, as a slice of the engine's public API
 * (`engine/src/node/types.ts`), so tests can pass a fake and the daemon passes the real `LightningNode`.
 */
import type { LightningNodeApi } from '@jitlsp/engine/node';

/** What the buy handler needs: a fresh intercept SCID (bLIP-52 `jit_channel_scid`). */
export type ScidSource = Pick<LightningNodeApi, 'getInterceptScid'>;

/** What the shell needs to run state-machine actions and deliver LSPS0 answers and held onion messages. */
export type NodePort = Pick<
  LightningNodeApi,
  | 'nodeId'
  | 'sendCustomMessage'
  | 'getInterceptScid'
  | 'openChannel'
  | 'forwardInterceptedHtlc'
  | 'failInterceptedHtlc'
  | 'forwardOnionMessage'
  | 'listChannels'
  | 'listPeers'
  | 'releaseFunding'
  | 'onEvent'
>;

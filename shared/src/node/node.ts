/** LightningNode (stub; implementation follows). */
import type * as T from './types.js';

export class LightningNode implements T.LightningNodeApi {
  /** Start a node from `opts.dataDir` (seed created on first start, state restored if present). */
  static async start(_opts: T.NodeOptions): Promise<LightningNode> {
    throw new Error('not implemented');
  }
  readonly nodeId: T.NodeIdHex = '';
  readonly listenPort: number | undefined;
  readonly address: string | undefined;
  onEvent(_h: (ev: T.NodeEvent) => void): () => void { throw new Error('not implemented'); }
  on<K extends T.NodeEventType>(_t: K, _h: (ev: T.NodeEventOf<K>) => void): () => void { throw new Error('not implemented'); }
  waitFor<K extends T.NodeEventType>(_t: K, _p?: (ev: T.NodeEventOf<K>) => boolean, _ms?: number): Promise<T.NodeEventOf<K>> { throw new Error('not implemented'); }
  async connect(_p: T.PeerAddress | string, _o?: { persistent?: boolean }): Promise<void> { throw new Error('not implemented'); }
  disconnect(_p: T.IdInput): void { throw new Error('not implemented'); }
  listPeers(): T.PeerInfo[] { throw new Error('not implemented'); }
  sendCustomMessage(_p: T.IdInput, _b: Uint8Array, _t?: number): void { throw new Error('not implemented'); }
  getInterceptScid(): bigint { throw new Error('not implemented'); }
  async openChannel(_o: T.OpenChannelOptions): Promise<{ temporaryChannelId: T.Hex32; userChannelId: bigint }> { throw new Error('not implemented'); }
  acceptInboundChannel(_t: T.IdInput, _p: T.IdInput, _z: boolean, _u?: bigint): void { throw new Error('not implemented'); }
  forwardInterceptedHtlc(_i: T.IdInput, _c: T.IdInput, _p: T.IdInput, _a: bigint): void { throw new Error('not implemented'); }
  failInterceptedHtlc(_i: T.IdInput): void { throw new Error('not implemented'); }
  forwardOnionMessage(_m: Uint8Array, _p: T.IdInput): void { throw new Error('not implemented'); }
  listChannels(): T.ChannelInfo[] { throw new Error('not implemented'); }
  closeChannel(_c: T.IdInput, _p: T.IdInput, _o?: { force?: boolean }): void { throw new Error('not implemented'); }
  async releaseFunding(_t: T.IdInput): Promise<boolean> { throw new Error('not implemented'); }
  claimFunds(_p: T.IdInput): void { throw new Error('not implemented'); }
  createOffer(_o?: { absoluteExpirySecs?: bigint }): { offer: string; offerId: T.Hex32 } { throw new Error('not implemented'); }
  payOffer(_o: string, _a: bigint, _x?: { paymentId?: T.IdInput; retries?: number }): T.Hex32 { throw new Error('not implemented'); }
  memoryStats(): T.MemoryStats { throw new Error('not implemented'); }
  async stop(): Promise<void> { throw new Error('not implemented'); }
}

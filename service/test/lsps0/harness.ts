/** A dispatcher wired like the daemon's, with a fake node and the in-memory store, capturing answers. */
import { getPublicKey } from '@jitlsp/shared/crypto';
import { MemorySessionStore } from '../../src/lsps2/memory-store.js';
import type { FeeTier } from '../../src/lsps2/menu.js';
import { createLsps2Server, type Lsps2ServerOptions } from '../../src/lsps2/server.js';

export const NOW = new Date('2026-01-01T00:00:00.000Z');
export const SECRET = new Uint8Array(32).fill(7);

export function nodeId(seed: number): string {
  return Buffer.from(getPublicKey(new Uint8Array(32).fill(seed))).toString('hex');
}
export const PEER_A = nodeId(0x11);
export const PEER_B = nodeId(0x22);

export const TIERS: FeeTier[] = [
  {
    minFeeMsat: 546_000n,
    proportionalPpm: 1200,
    minLifetimeBlocks: 1008,
    maxClientToSelfDelayBlocks: 2016,
    minPaymentSizeMsat: 1_000n,
    maxPaymentSizeMsat: 1_000_000_000n,
    validForSeconds: 3600,
  },
  {
    minFeeMsat: 1_092_000n,
    proportionalPpm: 2400,
    minLifetimeBlocks: 1008,
    maxClientToSelfDelayBlocks: 2016,
    minPaymentSizeMsat: 1_000n,
    maxPaymentSizeMsat: 1_000_000_000n,
    validForSeconds: 7200,
  },
];

export interface Sent {
  peer: string;
  json: any;
}

export function makeServer(over: Partial<Lsps2ServerOptions> = {}) {
  const sent: Sent[] = [];
  const store = new MemorySessionStore();
  let nextScid = 1099592695809n;
  let clock = NOW;
  const server = createLsps2Server({
    send: (peer, payload) => sent.push({ peer, json: JSON.parse(new TextDecoder().decode(payload)) }),
    clock: () => clock,
    tiers: TIERS,
    promiseSecret: SECRET,
    store,
    node: { getInterceptScid: () => nextScid++ },
    lspCltvExpiryDelta: 144,
    clientTrustsLsp: false,
    random: (n) => new Uint8Array(n).fill(0xab),
    ...over,
  });
  return {
    server,
    store,
    sent,
    setClock(d: Date) {
      clock = d;
    },
    /** Sends one request object (or raw text) from `peer` and returns the answer. */
    async call(peer: string, msg: unknown): Promise<any> {
      const before = sent.length;
      await server.handleMessage(peer, typeof msg === 'string' ? msg : JSON.stringify(msg));
      if (sent.length !== before + 1) throw new Error(`expected one answer, got ${sent.length - before}`);
      return sent[sent.length - 1]!.json;
    },
  };
}

export const req = (method: string, params: unknown = {}, id = 'id-' + method) => ({
  jsonrpc: '2.0',
  id,
  method,
  params,
});

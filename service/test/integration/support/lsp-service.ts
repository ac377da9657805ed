/**
 * The parts of the LSP service an integration test wires by hand around L's node (what the daemon does in
 * production): the LSPS0 server selling LSPS2, the JIT core, and a node that "dies" inside a call.
 */
import type { LightningNode } from '@jitlsp/engine/node';
import type { NodePort } from '../../../src/lsps2/node-port.js';
import { createLsps2Server } from '../../../src/lsps2/server.js';
import { JitRunner, type JitRunnerOptions } from '../../../src/jit/io/runner.js';
import type { SessionStore } from '../../../src/lsps2/store.js';

/**
 * Answers `node`'s LSPS0 messages (37913) with an LSPS2 server selling one fee tier: 1,000,000 msat minimum
 * or 1000 ppm, payments of 1,000,000 to 500,000,000 msat, offers valid an hour. New sessions go to the JIT
 * core `shell()` is at that moment. Returns the unsubscribe (a restarted node needs the server again).
 */
export function serveLsps2(node: LightningNode, store: SessionStore, shell: () => JitRunner | undefined): () => void {
  const server = createLsps2Server({
    send: (peer, payload) => node.sendCustomMessage(peer, payload),
    promiseSecret: new Uint8Array(32).fill(9),
    tiers: [
      {
        minFeeMsat: 1_000_000n,
        proportionalPpm: 1000,
        minLifetimeBlocks: 1008,
        // Below LDK's own 2016-block limit, so the bound a slow client hits is the session's (bLIP-52).
        maxClientToSelfDelayBlocks: 1000,
        minPaymentSizeMsat: 1_000_000n,
        maxPaymentSizeMsat: 500_000_000n,
        validForSeconds: 3600,
      },
    ],
    store,
    node,
    lspCltvExpiryDelta: 144,
    clientTrustsLsp: false,
    random: (n) => crypto.getRandomValues(new Uint8Array(n)),
    onSessionCreated: (s) => shell()?.sessionCreated(s),
  });
  return node.on('customMessageReceived', (ev) => void server.handleMessage(ev.peerNodeId, ev.payload));
}

/** The JIT core as these tests run it; its logs show only with JITLSP_TEST_LOG set. */
export function startTestShell(
  opts: Pick<JitRunnerOptions, 'node' | 'store' | 'mailboxStore' | 'clock' | 'metrics' | 'blockHeight'>,
): Promise<JitRunner> {
  return JitRunner.start({
    ...opts,
    // Small JIT channels need room for the LSP's reserve and commitment fees (ldk-node #913).
    policy: { overprovisioningSat: 200_000n },
    logger: {
      log: (level, msg, f) =>
        process.env.JITLSP_TEST_LOG && process.stderr.write(`shell ${level} ${msg} ${JSON.stringify(f ?? {})}\n`),
    },
  });
}

/**
 * `node` as the JIT core sees it, with the calls in `replaced` swapped (to make the service "die" inside one).
 * The copy inherits the other calls (they run with the copy as `this`); the event, listing and open calls are
 * bound to the real node so they act on its own listeners and channels.
 */
export function nodePortWith(node: LightningNode, replaced: Partial<NodePort>): NodePort {
  return Object.assign(Object.create(node) as LightningNode, {
    onEvent: node.onEvent.bind(node),
    listPeers: node.listPeers.bind(node),
    listChannels: node.listChannels.bind(node),
    openChannel: node.openChannel.bind(node),
    ...replaced,
  });
}

/**
 * Runs the machine's actions against the node and the store. Each action is idempotent where a restart can
 * issue it twice; when the node refuses one in a way the machine must hear about, the result is the input
 * that tells it (the runner steps the session with it).
 *
 * lightningdevkit 0.1 fails intercepted HTLCs with unknown_next_peer only: a temporary_channel_failure the
 * machine decides reaches the payer as unknown_next_peer (logged and counted with the intended code).
 */
import type { Logger } from '@jitlsp/shared/log';
import type { NodePort } from '../../lsps2/node-port.js';
import type { JitSession } from '../../lsps2/session.js';
import type { MailboxStore, SessionStore } from '../../lsps2/store.js';
import type { SessionIndex } from '../memory/session-index.js';
import type { JitAction, JitInput } from '../pure/machine.js';
import type { MailboxAction } from '../pure/mailbox.js';
import type { JitRecorder } from './recorder.js';

export interface ExecutorDeps {
  node: NodePort;
  store: SessionStore;
  mailboxStore: MailboxStore;
  index: SessionIndex;
  recorder: JitRecorder;
  log: Logger;
}

export class JitExecutor {
  constructor(private readonly d: ExecutorDeps) {}

  /** Runs `a` for session `s`; resolves the input the machine must get next, if the node refused it. */
  async act(s: JitSession, a: JitAction): Promise<JitInput | undefined> {
    const { node, store, index, log } = this.d;
    const scid = s.terms.jitChannelScid;
    switch (a.kind) {
      case 'openChannel': {
        // One payment hash never funds two channels: only one of them could collect its opening fee.
        if (!(await store.reserveFundingHash(a.paymentHash, scid))) {
          log.log('warn', 'lsps2: payment hash already funded another channel', { scid: scid.toString() });
          return { kind: 'channelOpenFailed', reason: 'lsp_error' };
        }
        // Idempotent after a restart: the node may already have this channel (rust-lightning #4102).
        if (node.listChannels().some((ch) => ch.userChannelId === a.userChannelId)) return undefined;
        try {
          await node.openChannel({
            peer: a.clientNodeId,
            capacitySat: a.capacitySat,
            zeroConf: a.zeroConf,
            announce: a.announce,
            // bLIP-52: the JIT channel uses option_scid_alias, and the client's to_self_delay is bounded.
            scidAlias: true,
            maxPeerToSelfDelay: a.maxClientToSelfDelay,
            userChannelId: a.userChannelId,
            config: { forwardingFeeBaseMsat: 0, forwardingFeeProportionalMillionths: 0 },
          });
          this.d.recorder.channelOpened(s);
          return undefined;
        } catch (e) {
          log.log('warn', 'lsps2: channel open refused by the node', { scid: scid.toString(), error: String(e) });
          this.d.recorder.channelOpenRefused();
          return { kind: 'channelOpenFailed', reason: 'lsp_error' };
        }
      }
      case 'forwardHtlc':
        // LDK attaches the skim as the `extra_fee` TLV 65537 itself (bLIP-25) when amount < expected.
        this.safe(() => node.forwardInterceptedHtlc(a.interceptId, a.channelId, s.terms.clientNodeId, a.amountMsat));
        return undefined;
      case 'failHtlc':
        this.failHtlc(scid, a);
        return undefined;
      case 'releaseFunding': {
        const txid = index.heldFundingTxid(s.terms.userChannelId);
        if (txid === undefined) return undefined;
        try {
          await node.releaseFunding(txid);
          index.fundingReleased(s.terms.userChannelId);
        } catch (e) {
          log.log('error', 'lsps2: releasing the funding transaction failed', {
            scid: scid.toString(),
            error: String(e),
          });
        }
        return undefined;
      }
      case 'releaseFundingHash':
        await store.releaseFundingHash(a.paymentHash, scid);
        return undefined;
    }
  }

  /** Fails an intercepted HTLC (of session `scid`, or addressed to it when no such session exists). */
  failHtlc(scid: bigint, a: Extract<JitAction, { kind: 'failHtlc' }>): void {
    this.d.log.log('info', 'lsps2: HTLC failed', { scid: scid.toString(), interceptId: a.interceptId, code: a.reason });
    this.d.recorder.htlcFailed(a.reason);
    this.safe(() => this.d.node.failInterceptedHtlc(a.interceptId));
  }

  /** Put first (durable before anything else), deliver before delete (a crash re-delivers, never loses). */
  async mailbox(actions: readonly MailboxAction[]): Promise<void> {
    const { mailboxStore, node } = this.d;
    for (const a of actions) if (a.kind === 'put') await mailboxStore.put(a.message);
    for (const a of actions) {
      if (a.kind === 'deliver') this.safe(() => node.forwardOnionMessage(a.message.message, a.message.peerNodeId));
    }
    for (const a of actions) if (a.kind === 'delete') await mailboxStore.delete(a.ids);
    this.d.recorder.mailbox(actions);
  }

  private safe(f: () => void): void {
    try {
      f();
    } catch (e) {
      // Replays hit intercepts the node already settled; those errors are expected and harmless.
      this.d.log.log('debug', 'lsps2: node call failed', { error: e instanceof Error ? e.message : String(e) });
    }
  }
}

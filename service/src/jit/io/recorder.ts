/**
 * The JIT metrics, recorded from what happened: node events as they arrive, session transitions once their
 * actions ran, the executor's outcomes and the mailbox's actions. The only place the JIT core touches metrics.
 */
import type { NodeEvent } from '@jitlsp/engine/node';
import type { JitSession } from '../../lsps2/session.js';
import type { JitChannelState, JitInput } from '../pure/machine.js';
import type { DropReason, MailboxAction } from '../pure/mailbox.js';

/** The metrics the JIT core reports (structurally what `service/src/metrics` ServiceMetrics offers). */
export interface JitMetrics {
  htlcIntercepted(): void;
  htlcFailed(code: string): void;
  channelOpened(mode: string, trustModel: string): void;
  channelOpenFailed(reason: string): void;
  openingFeeCollected(feeMsat: bigint): void;
  channelReadyAfterFirstHtlc(firstHtlcAt: Date, readyAt: Date): void;
  paymentForwardedAfterFirstHtlc(firstHtlcAt: Date, forwardedAt: Date): void;
  onionMessageIntercepted(): void;
  onionMessageHeld(): void;
  onionMessagesDelivered(count?: number): void;
  onionMessageDropped(reason: string, count?: number): void;
}

/** One session transition, as the recorder sees it once its actions ran. */
export interface TransitionRecord {
  session: JitSession;
  input: JitInput;
  prev: JitChannelState;
  next: JitChannelState;
  at: Date;
}

const DROP_LABEL: Partial<Record<DropReason, string>> = {
  unregistered: 'unregistered_peer',
  peer_full: 'mailbox_full_peer',
  total_full: 'mailbox_full_total',
};

export class JitRecorder {
  /** When each session's first HTLC arrived (for the latency histograms). */
  private readonly firstHtlcAt = new Map<bigint, Date>();

  constructor(private readonly m: Partial<JitMetrics> = {}) {}

  event(ev: NodeEvent): void {
    if (ev.type === 'htlcIntercepted') this.m.htlcIntercepted?.();
    else if (ev.type === 'onionMessageIntercepted') this.m.onionMessageIntercepted?.();
  }

  transition({ session, input, prev, next, at }: TransitionRecord): void {
    const scid = session.terms.jitChannelScid;
    const first = this.firstHtlcAt.get(scid);
    if (input.kind === 'htlcIntercepted' && first === undefined) this.firstHtlcAt.set(scid, at);
    if (input.kind === 'channelReady' && prev.kind === 'openingChannel' && first) {
      this.m.channelReadyAfterFirstHtlc?.(first, at);
    }
    if (input.kind === 'channelClosed' && prev.kind === 'openingChannel') {
      this.m.channelOpenFailed?.(input.reason === 'lsp_error' ? 'node_error' : input.reason);
    }
    if (prev.kind !== 'done' && next.kind === 'done') {
      this.m.openingFeeCollected?.(next.collectedFeeMsat);
      if (first) this.m.paymentForwardedAfterFirstHtlc?.(first, at);
    }
    if (next.kind === 'closed') this.firstHtlcAt.delete(scid);
  }

  channelOpened(session: JitSession): void {
    const { terms } = session;
    this.m.channelOpened?.(
      terms.paymentSizeMsat === null ? 'no_mpp' : 'mpp',
      terms.clientTrustsLsp ? 'client-trusts-lsp' : 'lsp-trusts-client',
    );
  }

  /** The node refused to open the channel. */
  channelOpenRefused(): void {
    this.m.channelOpenFailed?.('node_error');
  }

  htlcFailed(code: string): void {
    this.m.htlcFailed?.(code);
  }

  mailbox(actions: readonly MailboxAction[]): void {
    let delivered = 0;
    for (const a of actions) {
      if (a.kind === 'put') this.m.onionMessageHeld?.();
      else if (a.kind === 'deliver') delivered++;
      else if (a.kind === 'dropped') this.m.onionMessageDropped?.(DROP_LABEL[a.reason] ?? a.reason, a.count);
    }
    if (delivered > 0) this.m.onionMessagesDelivered?.(delivered);
  }
}

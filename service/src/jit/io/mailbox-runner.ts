/**
 * Runs the onion mailbox (`../pure/mailbox.ts`): one input at a time, actions run by the executor (stored
 * before delivered, delivered before deleted).
 */
import type { Logger } from '@jitlsp/shared/log';
import type { MailboxStore } from '../../lsps2/store.js';
import {
  emptyMailbox,
  mailboxStep,
  restore,
  type Mailbox,
  type MailboxInput,
  type MailboxLimits,
} from '../pure/mailbox.js';
import type { JitExecutor } from './executor.js';

export class MailboxRunner {
  private state: Mailbox = emptyMailbox();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly executor: JitExecutor,
    private readonly limits: MailboxLimits,
    private readonly clock: () => Date,
    private readonly log: Logger,
    /** A message was stored in `peer`'s mailbox (LSPS5 wakes the peer). */
    private readonly onHeld: (peerNodeId: string) => void = () => {},
  ) {}

  /** Rebuilds the mailbox from the store (a restart loses no held message). */
  async restore(store: MailboxStore): Promise<void> {
    const r = restore(await store.loadAll(), this.clock(), this.limits);
    this.state = r.state;
    await this.executor.mailbox(r.actions);
  }

  step(input: MailboxInput): void {
    this.chain = this.chain
      .then(async () => {
        const r = mailboxStep(this.state, input, this.clock(), this.limits);
        this.state = r.state;
        await this.executor.mailbox(r.actions);
        for (const a of r.actions) if (a.kind === 'put') this.onHeld(a.message.peerNodeId);
      })
      .catch((e) => this.log.log('error', 'lsps2: mailbox job failed', { error: String(e) }));
  }

  /** The job queued last (the runner's `idle` waits for it). */
  get pending(): Promise<void> {
    return this.chain;
  }
}

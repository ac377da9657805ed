/**
 * Durable-event replay (NodeOptions.durableEvents). LDK 0.1 lets an event handler answer `ReplayEvent`: LDK
 * then keeps the event (and every event after it) and hands it over again on the next
 * `process_pending_events`, also after a restart, because the ChannelManager is persisted with it. A durable
 * event is dispatched the first time it is seen and replayed until its listeners finished, then
 * acknowledged. LDK hands over the same content on every replay, so the content is the event's key.
 */
import * as ldk from 'lightningdevkit';
import { toHex } from '@jitlsp/shared/crypto';
import type { NodeContext } from './context.js';

import type { NodeEvent, NodeEventType } from './types.js';

/** A durable event's identity: its whole content (LDK replays an event unchanged). */
function eventKey(ev: NodeEvent): string {
  return JSON.stringify(ev, (_k, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? toHex(v) : v,
  );
}

const replay = (): ldk.Result_NoneReplayEventZ =>
  ldk.Result_NoneReplayEventZ.constructor_err(ldk.ReplayEvent.constructor_new());

export interface DurableEventsHost {
  /** Whether anybody listens yet (the application subscribes after the node started). */
  hasListeners(): boolean;
  /** Queue an event for dispatch after LDK returns. */
  queue(ev: NodeEvent): void;
}

export class DurableEvents {
  /** By key: 'dispatched' while listeners work on it (LDK is told to replay it), 'handled' once they finished. */
  private readonly state = new Map<string, 'dispatched' | 'handled'>();
  /** The key of each queued durable event, until it is dispatched. */
  private readonly keyOf = new WeakMap<object, string>();
  private readonly types: ReadonlySet<NodeEventType>;

  constructor(
    types: readonly NodeEventType[],
    private readonly ctx: NodeContext,
    private readonly host: DurableEventsHost,
  ) {
    this.types = new Set(types);
  }

  /** Whether any event type is durable (then a first listener must trigger a pass: LDK kept them for it). */
  get enabled(): boolean {
    return this.types.size > 0;
  }

  isDurable(ev: { type: string }): ev is NodeEvent {
    return this.types.has(ev.type as NodeEventType);
  }

  /** Answer LDK for a durable event (inside `process_pending_events`). */
  handle(ev: NodeEvent): ldk.Result_NoneReplayEventZ {
    const key = eventKey(ev);
    const seen = this.state.get(key);
    if (seen === 'handled') {
      this.state.delete(key);
      return ldk.Result_NoneReplayEventZ.constructor_ok();
    }
    // Nobody to hand it to yet: LDK keeps it.
    if (seen === undefined && !this.host.hasListeners()) return replay();
    if (seen === undefined) {
      this.state.set(key, 'dispatched');
      this.keyOf.set(ev, key);
      this.host.queue(ev);
    }
    return replay();
  }

  /**
   * Whether listeners still work on a durable event. While they do, LDK would only replay it (and wake the
   * loop again at once, a busy loop); their completion asks for the next pass instead.
   */
  inFlight(): boolean {
    for (const v of this.state.values()) if (v === 'dispatched') return true;
    return false;
  }

  /** The durable key of a queued event (the event object itself, as queued), if it is a durable one. */
  keyFor(ev: object): string | undefined {
    return this.keyOf.get(ev);
  }

  /** Acknowledges the event once its listeners' work resolved; on failure delivers it again a second later. */
  settle(key: string, eventType: string, work: Promise<unknown>[]): void {
    Promise.all(work).then(
      () => {
        this.state.set(key, 'handled');
        this.ctx.kick(); // LDK replays it: now acknowledged, and the events behind it come through
      },
      (err: unknown) => {
        // Not stored: deliver it again (LDK still holds it), after a pause rather than in a tight loop.
        this.ctx.log('error', 'durable event handling failed; retrying', { event: eventType, error: String(err) });
        this.ctx.later(() => {
          this.state.delete(key);
          this.ctx.kick();
        }, 1000);
      },
    );
  }
}

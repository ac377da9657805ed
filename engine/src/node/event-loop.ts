/**
 * The node's event loop. LDK futures (`get_event_or_persistence_needed_future`, the OnionMessenger's and
 * ChainMonitor's `get_update_future`) and socket reads only *schedule* a pass (`kick`, one `setImmediate`); a
 * pass drains the three event sources into a queue, persists the ChannelManager if needed, runs
 * `PeerManager.process_events`, and only then acts on the queued events, so LDK is never re-entered from its
 * own callbacks (docs/ldk-pitfalls.md, "re-entrancy"). With nothing happening there is no timer besides LDK's
 * tick intervals: idle CPU stays near zero.
 */
import * as ldk from 'lightningdevkit';
import type { NodeContext } from './context.js';
import type { DurableEvents } from './durable-events.js';
import { convertEvent, type InternalEvent } from './events.js';
import type { NodeEvent } from './types.js';
import { markLdkActivity } from './wasm.js';

/** The LDK objects a pass drives. */
export interface LoopTargets {
  cm: ldk.ChannelManager;
  om: ldk.OnionMessenger;
  chainMonitor: ldk.ChainMonitor;
  pm: ldk.PeerManager;
  /** Onion messages waiting in JS are handed to LDK before the PeerManager runs (onion-outbox.ts). */
  outbox?: { pump(): void };
}

export interface EventLoopHost {
  persistManager(): void;
  /** Delay before `process_pending_htlc_forwards` after `PendingHTLCsForwardable`. */
  forwardDelayMs: number;
  /** Act on one queued event (after LDK returned); `pendingHtlcsForwardable` is handled by the loop. */
  dispatch(ev: NodeEvent | Exclude<InternalEvent, { type: 'pendingHtlcsForwardable' }>): void;
}

type FutureKey = 'cm' | 'om' | 'mon';

export class EventLoop {
  private targets: LoopTargets | undefined;
  private readonly queue: (NodeEvent | InternalEvent)[] = [];
  private kickScheduled = false;
  private forwardTimer: NodeJS.Timeout | undefined;
  private readonly armed: Record<FutureKey, boolean> = { cm: false, om: false, mon: false };
  /** The registered FutureCallbacks: LDK holds them until the future completes, so JS must too (else GC'd). */
  private readonly armedCallbacks: Record<FutureKey, ldk.FutureCallback | undefined> = {
    cm: undefined,
    om: undefined,
    mon: undefined,
  };
  /** Converts LDK events inside `process_pending_events` and queues them (durable ones through `durable`). */
  readonly eventHandler: ldk.EventHandler;

  constructor(
    private readonly ctx: NodeContext,
    private readonly host: EventLoopHost,
    private readonly durable: DurableEvents,
  ) {
    this.eventHandler = ldk.EventHandler.new_impl({
      handle_event: (ev: ldk.Event) => {
        try {
          const converted = convertEvent(ev);
          if (converted && this.durable.isDurable(converted)) return this.durable.handle(converted);
          if (converted) this.queue.push(converted);
        } catch (err) {
          this.ctx.log('error', 'event conversion failed', { error: String(err) });
        }
        return ldk.Result_NoneReplayEventZ.constructor_ok();
      },
    });
  }

  /** Start driving `targets` (no pass runs before). */
  attach(targets: LoopTargets): void {
    this.targets = targets;
  }

  /** Queue an event for the next pass (without scheduling one). */
  push(ev: NodeEvent | InternalEvent): void {
    this.queue.push(ev);
  }

  /** Queue an event and schedule a pass. */
  enqueue(ev: NodeEvent): void {
    this.queue.push(ev);
    this.kick();
  }

  /** Schedule one pass of the loop (coalesced; a real macrotask so finalizers and I/O get to run). */
  kick(): void {
    if (this.kickScheduled || this.ctx.isStopped() || !this.targets) return;
    this.kickScheduled = true;
    setImmediate(() => {
      this.kickScheduled = false;
      if (!this.ctx.isStopped()) this.pass();
    });
  }

  private pass(): void {
    const t = this.targets!;
    markLdkActivity();
    try {
      t.chainMonitor.as_EventsProvider().process_pending_events(this.eventHandler);
      if (!this.durable.inFlight()) t.cm.as_EventsProvider().process_pending_events(this.eventHandler);
      t.om.as_EventsProvider().process_pending_events(this.eventHandler);
      if (t.cm.get_and_clear_needs_persistence()) this.host.persistManager();
      t.outbox?.pump();
      t.pm.process_events();
    } catch (err) {
      this.ctx.log('error', 'event loop pass failed', { error: String(err) });
    }
    const batch = this.queue.splice(0);
    for (const ev of batch) {
      if (ev.type === 'pendingHtlcsForwardable') this.scheduleForwards(t.cm);
      else this.host.dispatch(ev);
    }
    this.arm(t);
  }

  private scheduleForwards(cm: ldk.ChannelManager): void {
    if (this.forwardTimer) return;
    this.forwardTimer = setTimeout(() => {
      this.forwardTimer = undefined;
      if (this.ctx.isStopped()) return;
      cm.process_pending_htlc_forwards();
      this.kick();
    }, this.host.forwardDelayMs);
  }

  /** Cancel a scheduled forward (the node stops). */
  stop(): void {
    if (this.forwardTimer) clearTimeout(this.forwardTimer);
  }

  /** Register one-shot callbacks on LDK's futures; each only schedules a pass. */
  private arm(t: LoopTargets): void {
    const register = (key: FutureKey, future: () => ldk.Future): void => {
      if (this.armed[key]) return;
      this.armed[key] = true;
      const cb = ldk.FutureCallback.new_impl({
        call: () => {
          this.armed[key] = false;
          // Leave LDK's stack first: a setImmediate scheduled from inside register_callback_fn (future already
          // complete) during an immediate can wait for the next unrelated I/O before running.
          queueMicrotask(() => this.kick());
        },
      });
      this.armedCallbacks[key] = cb;
      future().register_callback_fn(cb);
    };
    register('cm', () => t.cm.get_event_or_persistence_needed_future());
    register('om', () => t.om.get_update_future());
    register('mon', () => t.chainMonitor.get_update_future());
  }
}

/**
 * The node's event listeners: subscription, `waitFor`, and running every listener on one event. Listeners
 * run after LDK returned from `process_pending_events`, never inside it.
 */
import type { NodeContext } from './context.js';
import type { EventListener, NodeEvent, NodeEventOf, NodeEventType } from './types.js';

export class Listeners {
  private readonly all = new Set<EventListener>();
  private readonly waiters = new Set<{ reject: (e: Error) => void; cleanup: () => void }>();

  constructor(private readonly log: NodeContext['log']) {}

  get size(): number {
    return this.all.size;
  }

  add(handler: EventListener): () => void {
    this.all.add(handler);
    return () => this.all.delete(handler);
  }

  on<K extends NodeEventType>(type: K, handler: (ev: NodeEventOf<K>) => unknown): () => void {
    return this.add((ev) => (ev.type === type ? handler(ev as NodeEventOf<K>) : undefined));
  }

  waitFor<K extends NodeEventType>(
    type: K,
    pred: ((ev: NodeEventOf<K>) => boolean) | undefined,
    timeoutMs: number,
  ): Promise<NodeEventOf<K>> {
    return new Promise((resolve, reject) => {
      const waiter = {
        reject: (e: Error) => {
          waiter.cleanup();
          reject(e);
        },
        cleanup: () => {
          clearTimeout(timer);
          off();
          this.waiters.delete(waiter);
        },
      };
      const timer = setTimeout(
        () => waiter.reject(new Error(`Node/waitFor: no ${type} event within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const off = this.on(type, (ev) => {
        if (pred && !pred(ev)) return;
        waiter.cleanup();
        resolve(ev);
      });
      this.waiters.add(waiter);
    });
  }

  /** Runs every listener on `ev`; returns the promises the listeners returned (the work still in progress). */
  emit(ev: NodeEvent): Promise<unknown>[] {
    if (ev.type !== 'customMessageReceived' && ev.type !== 'onionMessageIntercepted')
      this.log('debug', 'event', { ...ev });
    const work: Promise<unknown>[] = [];
    for (const l of [...this.all]) {
      try {
        const r = l(ev);
        if (r instanceof Promise) work.push(r);
      } catch (err) {
        this.log('error', 'event listener threw', { event: ev.type, error: String(err) });
      }
    }
    return work;
  }

  /** Rejects every pending `waitFor` with `err` and drops every listener. */
  close(err: Error): void {
    for (const w of [...this.waiters]) w.reject(err);
    this.all.clear();
  }
}

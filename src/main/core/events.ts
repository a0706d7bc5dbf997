import { EventEmitter } from 'node:events';
import type { EventName, KeywayEvent, KeywayEvents } from '../../shared/contract';

/** Typed fan-out of service events to the shells (IPC, SSE, tray). */
export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every open web UI and CLI watcher subscribes; none of them is a leak.
    this.emitter.setMaxListeners(0);
  }

  emit<E extends EventName>(type: E, payload: KeywayEvents[E]): void {
    this.emitter.emit('event', { type, payload });
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: (event: KeywayEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}

import type { EventStore } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

interface StoredEvent {
  streamId: string;
  message: JSONRPCMessage;
  bytes: number;
}

/**
 * Per-session memory of sent SSE events, so a client that lost a stream can resume it with
 * Last-Event-ID. Bounded: the oldest events are forgotten first, and resuming from a forgotten
 * event is refused by the SDK (400) rather than silently skipping messages.
 */
export class BoundedEventStore implements EventStore {
  private readonly events = new Map<string, StoredEvent>();
  private totalBytes = 0;
  private seq = 0;

  constructor(
    private readonly maxBytes = 32 * 1024 * 1024,
    private readonly maxEvents = 10_000,
  ) {}

  storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const eventId = `${streamId}.${++this.seq}`;
    const bytes = JSON.stringify(message).length;
    this.events.set(eventId, { streamId, message, bytes });
    this.totalBytes += bytes;
    this.evict(eventId);
    return Promise.resolve(eventId);
  }

  getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return Promise.resolve(this.events.get(eventId)?.streamId);
  }

  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<string> {
    const last = this.events.get(lastEventId);
    if (!last) return '';
    let after = false;
    for (const [eventId, event] of [...this.events]) {
      if (eventId === lastEventId) {
        after = true;
        continue;
      }
      // Priming events are stored as `{}` only to mint an id; they carry no message to replay.
      if (after && event.streamId === last.streamId && 'jsonrpc' in event.message) {
        await send(eventId, event.message);
      }
    }
    return last.streamId;
  }

  private evict(keep: string): void {
    for (const [eventId, event] of this.events) {
      if (this.totalBytes <= this.maxBytes && this.events.size <= this.maxEvents) return;
      if (eventId === keep) return;
      this.events.delete(eventId);
      this.totalBytes -= event.bytes;
    }
  }
}

import type { Rebindable } from './proxy-session';

/**
 * Long-lived streams that belong to no session: a 2026-07-28 client is stateless, so its
 * `subscriptions/listen` streams are kept here, per connection, for a rotation's drain to move.
 */
export class LoneStreams {
  private readonly streams = new Set<{ slug: string; stream: Rebindable }>();

  add(slug: string, stream: Rebindable): () => void {
    const entry = { slug, stream };
    this.streams.add(entry);
    return () => this.streams.delete(entry);
  }

  all(): Array<{ slug: string; stream: Rebindable }> {
    return [...this.streams];
  }

  get size(): number {
    return this.streams.size;
  }
}

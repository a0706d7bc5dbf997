/** The proxy's traffic history (the overview's charts). Types only, no runtime code. */

export interface TrafficPoint {
  /** Epoch ms of the bucket's start. */
  at: number;
  requests: number;
  errors: number;
  /** Mean time Keyway added to a request in this bucket (total − vendor), ms; null if none. */
  addedMs: number | null;
}

/**
 * Why Keyway itself refused a request, before any vendor saw it: the proxy was paused, the
 * client's local token was unknown or revoked, or the connection had no usable key.
 */
export type RefusalCause = 'paused' | 'token' | 'no-key';

export interface TrafficSeriesView {
  /** A connection's slug or a client's name. */
  name: string;
  /** Every request, those Keyway refused included (they are errors too). */
  requests: number;
  errors: number;
  /** The requests Keyway refused itself, by cause (a subset of `errors`). */
  refused: Record<RefusalCause, number>;
  addedMs: number | null;
  /** Only buckets that saw traffic, oldest first. */
  points: TrafficPoint[];
}

export interface TrafficHistoryView {
  bucketMs: number;
  /** Epoch ms: the window the series cover, [from, to). */
  from: number;
  to: number;
  connections: TrafficSeriesView[];
  clients: TrafficSeriesView[];
}

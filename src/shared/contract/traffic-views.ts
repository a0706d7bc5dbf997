/** The proxy's traffic history (the overview's charts). Types only, no runtime code. */

export interface TrafficPoint {
  /** Epoch ms of the bucket's start. */
  at: number;
  requests: number;
  errors: number;
  /** Mean time Keyway added to a request in this bucket (total − vendor), ms; null if none. */
  addedMs: number | null;
}

export interface TrafficSeriesView {
  /** A connection's slug or a client's name. */
  name: string;
  requests: number;
  errors: number;
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

import type {
  RefusalCause,
  TrafficHistoryView,
  TrafficPoint,
  TrafficSeriesView,
} from '../../../shared/contract';

/** What the proxy reports once per request (a subset of ProxyRequestDone). */
export interface TrafficSample {
  slug: string;
  /** Undefined when Keyway could not tell who called (an unknown or revoked local token). */
  client: string | undefined;
  error: boolean;
  /** Set when Keyway answered the request itself, refusing it, and why. */
  refused?: RefusalCause;
  totalMs: number;
  upstreamMs: number;
  /** Epoch ms of the request's arrival. */
  at: number;
}

export const TRAFFIC_BUCKET_MS = 60_000;
export const TRAFFIC_SPAN_MS = 24 * 60 * 60_000;
/** Series beyond these are folded into "(other)": memory stays bounded whatever callers do. */
export const MAX_SERIES = 200;
export const OTHER_SERIES = '(other)';

const SLOTS = TRAFFIC_SPAN_MS / TRAFFIC_BUCKET_MS;
const CAUSES: readonly RefusalCause[] = ['paused', 'token', 'no-key'];

/**
 * One connection's (or client's) last 24 h as a ring of per-minute buckets: requests, errors and
 * the summed added latency. Fixed size (1440 slots × 4 numbers), whatever the traffic.
 */
class Series {
  private readonly minute = new Float64Array(SLOTS).fill(-1);
  private readonly requests = new Uint32Array(SLOTS);
  private readonly errors = new Uint32Array(SLOTS);
  private readonly addedMs = new Float64Array(SLOTS);
  /** Per cause (in CAUSES' order): requests Keyway refused itself in that minute. */
  private readonly refused = CAUSES.map(() => new Uint32Array(SLOTS));

  add(minute: number, error: boolean, addedMs: number, refused?: RefusalCause): void {
    const i = minute % SLOTS;
    if (minute > this.lastMinute) this.lastMinute = minute;
    if (this.minute[i] !== minute) {
      this.minute[i] = minute;
      this.requests[i] = 0;
      this.errors[i] = 0;
      this.addedMs[i] = 0;
      for (const r of this.refused) r[i] = 0;
    }
    this.requests[i]! += 1;
    if (error || refused) this.errors[i]! += 1;
    this.addedMs[i]! += addedMs;
    if (refused) this.refused[CAUSES.indexOf(refused)]![i]! += 1;
  }

  /** Buckets of `perBucket` minutes from `fromMinute` (inclusive) to `toMinute` (inclusive). */
  view(name: string, fromMinute: number, toMinute: number, perBucket: number): TrafficSeriesView {
    const merged = new Map<number, { requests: number; errors: number; addedMs: number }>();
    let requests = 0;
    let errors = 0;
    let addedMs = 0;
    const refused = CAUSES.map(() => 0);
    for (let i = 0; i < SLOTS; i++) {
      const m = this.minute[i]!;
      if (m < fromMinute || m > toMinute) continue;
      const start = m - ((m - fromMinute) % perBucket);
      const b = merged.get(start) ?? { requests: 0, errors: 0, addedMs: 0 };
      b.requests += this.requests[i]!;
      b.errors += this.errors[i]!;
      b.addedMs += this.addedMs[i]!;
      merged.set(start, b);
      requests += this.requests[i]!;
      errors += this.errors[i]!;
      addedMs += this.addedMs[i]!;
      for (let c = 0; c < CAUSES.length; c++) refused[c]! += this.refused[c]![i]!;
    }
    const points: TrafficPoint[] = [...merged.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([start, b]) => ({
        at: start * TRAFFIC_BUCKET_MS,
        requests: b.requests,
        errors: b.errors,
        addedMs: b.requests ? round(b.addedMs / b.requests) : null,
      }));
    return {
      name,
      requests,
      errors,
      refused: { paused: refused[0]!, token: refused[1]!, 'no-key': refused[2]! },
      addedMs: requests ? round(addedMs / requests) : null,
      points,
    };
  }

  lastMinute = -1;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * The proxy's traffic over the last 24 h, per connection and per client, kept in memory only
 * (a restart starts it again; the audit log is the durable record). `record` is on the proxy's
 * hot path: a few array writes, no allocation once a series exists.
 */
export class TrafficHistory {
  private readonly connections = new Map<string, Series>();
  private readonly clients = new Map<string, Series>();

  constructor(
    private readonly now: () => number = Date.now,
    /** Told after each record (the runtime throttles it into `traffic.changed`). */
    private readonly onChange: () => void = () => undefined,
  ) {}

  record(sample: TrafficSample): void {
    const minute = Math.floor(sample.at / TRAFFIC_BUCKET_MS);
    const added = Math.max(0, sample.totalMs - sample.upstreamMs);
    const { error, refused } = sample;
    series(this.connections, sample.slug, this.now()).add(minute, error, added, refused);
    if (sample.client !== undefined)
      series(this.clients, sample.client, this.now()).add(minute, error, added, refused);
    this.onChange();
  }

  /** The last 24 h in buckets of `bucketMinutes` (1 or 5); empty buckets are left out. */
  view(bucketMinutes: number): TrafficHistoryView {
    const per = Math.max(1, Math.floor(bucketMinutes));
    const nowMinute = Math.floor(this.now() / TRAFFIC_BUCKET_MS);
    // Aligned to whole buckets so a 5-minute chart does not shift its bars every minute.
    const toMinute = nowMinute;
    const fromMinute = nowMinute - SLOTS + 1;
    const aligned = fromMinute - (((fromMinute % per) + per) % per);
    const list = (m: Map<string, Series>) =>
      [...m.entries()]
        .map(([name, s]) => s.view(name, aligned, toMinute, per))
        .filter((s) => s.requests > 0)
        .sort((a, b) => b.requests - a.requests || a.name.localeCompare(b.name));
    return {
      bucketMs: per * TRAFFIC_BUCKET_MS,
      from: aligned * TRAFFIC_BUCKET_MS,
      to: (toMinute + 1) * TRAFFIC_BUCKET_MS,
      connections: list(this.connections),
      clients: list(this.clients),
    };
  }
}

function series(map: Map<string, Series>, name: string, now: number): Series {
  let s = map.get(name);
  if (s) return s;
  if (map.size >= MAX_SERIES) {
    // Drop series idle for a whole day first; if every one is live, fold newcomers together.
    const dayAgo = Math.floor((now - TRAFFIC_SPAN_MS) / TRAFFIC_BUCKET_MS);
    for (const [n, old] of map) if (old.lastMinute < dayAgo) map.delete(n);
    if (map.size >= MAX_SERIES) name = OTHER_SERIES;
    s = map.get(name);
    if (s) return s;
  }
  s = new Series();
  map.set(name, s);
  return s;
}

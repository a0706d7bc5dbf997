import type { TrafficHistoryView, TrafficPoint, TrafficSeriesView } from '../../shared/contract';

/** Every bucket of the window, empty ones as zeros, oldest first: what a bar chart draws. */
export function fillBuckets(
  points: TrafficPoint[],
  from: number,
  to: number,
  bucketMs: number,
): TrafficPoint[] {
  const byStart = new Map(points.map((p) => [p.at, p]));
  const out: TrafficPoint[] = [];
  for (let at = from; at < to; at += bucketMs)
    out.push(byStart.get(at) ?? { at, requests: 0, errors: 0, addedMs: null });
  return out;
}

/** All connections together: the proxy as a whole. */
export function totalSeries(h: TrafficHistoryView): TrafficSeriesView {
  const merged = new Map<number, TrafficPoint & { addedSum: number }>();
  for (const s of h.connections)
    for (const p of s.points) {
      const m = merged.get(p.at) ?? {
        at: p.at,
        requests: 0,
        errors: 0,
        addedMs: null,
        addedSum: 0,
      };
      m.requests += p.requests;
      m.errors += p.errors;
      m.addedSum += (p.addedMs ?? 0) * p.requests;
      merged.set(p.at, m);
    }
  const points = [...merged.values()]
    .sort((a, b) => a.at - b.at)
    .map(({ addedSum, ...p }) => ({
      ...p,
      addedMs: p.requests ? Math.round((addedSum / p.requests) * 10) / 10 : null,
    }));
  const requests = points.reduce((n, p) => n + p.requests, 0);
  const errors = points.reduce((n, p) => n + p.errors, 0);
  const added = points.reduce((n, p) => n + (p.addedMs ?? 0) * p.requests, 0);
  return {
    name: 'all connections',
    requests,
    errors,
    addedMs: requests ? Math.round((added / requests) * 10) / 10 : null,
    points,
  };
}

export function trafficSummary(s: Pick<TrafficSeriesView, 'requests' | 'errors' | 'addedMs'>) {
  const req = `${s.requests} request${s.requests === 1 ? '' : 's'}`;
  const err = `${s.errors} error${s.errors === 1 ? '' : 's'}`;
  const added = s.addedMs === null ? '' : `; Keyway added ${s.addedMs} ms on average`;
  return `${req}, ${err} in the last 24 hours${added}`;
}

export function clockTime(at: number): string {
  const d = new Date(at);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

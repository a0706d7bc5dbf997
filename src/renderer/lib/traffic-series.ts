import type {
  RefusalCause,
  TrafficHistoryView,
  TrafficPoint,
  TrafficSeriesView,
} from '../../shared/contract';

const HOUR = 3_600_000;

/**
 * The last `hours` whole hours before `to` as bars, oldest first, the last one ending at `to`
 * (the current hour is the last bar, inside the chart). Counted back from `to` rather than
 * forward from the window's start: the window is 24 h plus the running minute, and counting
 * forward made a 25th bar that was drawn outside its box.
 */
export function hourlyBars(points: TrafficPoint[], to: number, hours = 24): TrafficPoint[] {
  const bars: TrafficPoint[] = [];
  for (let i = 0; i < hours; i++)
    bars.push({ at: to - (hours - i) * HOUR, requests: 0, errors: 0, addedMs: null });
  for (const p of points) {
    const back = Math.floor((to - 1 - p.at) / HOUR);
    const bar = bars[hours - 1 - back];
    if (back < 0 || !bar) continue;
    bar.requests += p.requests;
    bar.errors += p.errors;
  }
  return bars;
}

const CAUSE_TEXT: Record<RefusalCause, string> = {
  paused: 'proxy paused',
  token: 'bad local token',
  'no-key': 'no usable key',
};

/** "12 refused by Keyway: 10 proxy paused, 2 bad local token"; null when none. */
export function refusedText(refused: Record<RefusalCause, number>): string | null {
  const parts = (Object.keys(CAUSE_TEXT) as RefusalCause[])
    .filter((c) => refused[c] > 0)
    .map((c) => `${refused[c]} ${CAUSE_TEXT[c]}`);
  return parts.length ? parts.join(', ') : null;
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
  const refused: Record<RefusalCause, number> = { paused: 0, token: 0, 'no-key': 0 };
  for (const s of h.connections)
    for (const c of Object.keys(refused) as RefusalCause[]) refused[c] += s.refused[c];
  return {
    name: 'all connections',
    requests,
    errors,
    refused,
    addedMs: requests ? Math.round((added / requests) * 10) / 10 : null,
    points,
  };
}

export function trafficSummary(
  s: Pick<TrafficSeriesView, 'requests' | 'errors' | 'addedMs'> &
    Partial<Pick<TrafficSeriesView, 'refused'>>,
) {
  const req = `${s.requests} request${s.requests === 1 ? '' : 's'}`;
  const err = `${s.errors} error${s.errors === 1 ? '' : 's'}`;
  const refused = s.refused ? refusedText(s.refused) : null;
  const by = refused ? ` (refused by Keyway: ${refused})` : '';
  const added = s.addedMs === null ? '' : `; Keyway added ${s.addedMs} ms on average`;
  return `${req}, ${err} in the last 24 hours${by}${added}`;
}

/** "Sun 6 Dec 14:05": an axis label that says which day, not just the time. */
export function dayTime(at: number): string {
  const day = new Date(at).toLocaleDateString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  });
  return `${day.replace(',', '')} ${clockTime(at)}`;
}

export function clockTime(at: number): string {
  const d = new Date(at);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

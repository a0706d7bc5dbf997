const DAY = 86_400_000;

/** "3 days ago", "in 5 days", "just now" — coarse on purpose: it is a table cell. */
export function relativeTime(iso: string | null | undefined, now: Date): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const diff = t - now.getTime();
  const abs = Math.abs(diff);
  const units: Array<[number, string]> = [
    [365 * DAY, 'year'],
    [30 * DAY, 'month'],
    [DAY, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
  ];
  for (const [size, name] of units) {
    if (abs >= size) {
      const n = Math.floor(abs / size);
      const label = `${n} ${name}${n === 1 ? '' : 's'}`;
      return diff < 0 ? `${label} ago` : `in ${label}`;
    }
  }
  return 'just now';
}

export function ageDays(iso: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / DAY));
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : d.toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * `relativeTime` for a moment ahead, snapped to the hour once it is a day or more away: a 7-day
 * policy set a few seconds after the key was made reads "in 7 days", not "in 6 days".
 */
export function timeUntil(iso: string, now: Date): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const diff = t - now.getTime();
  if (diff < DAY) return relativeTime(iso, now);
  const snapped = Math.round(diff / 3_600_000) * 3_600_000;
  return relativeTime(new Date(now.getTime() + snapped).toISOString(), now);
}

import type {
  ConnectionView,
  ClientView,
  KeyView,
  ProxyStats,
  RotationView,
} from '../../shared/contract';

const DAY = 86_400_000;

export type DueState = 'none' | 'ok' | 'soon' | 'overdue';

export interface RotationDue {
  nextAt: string | null;
  state: DueState;
}

/**
 * When the key's current version should be rotated, from its policy (or the service's own
 * `key.due` event, which wins). "Soon" is a quarter of the period, capped at a week, so a
 * 7-day policy warns a day or two ahead and a 90-day one a week ahead.
 */
export function rotationDue(key: KeyView, now: Date, dueEvent?: string): RotationDue {
  const created = key.version?.created;
  let nextAt: number | null = null;
  if (dueEvent) nextAt = Date.parse(dueEvent);
  else if (created && key.rotateEvery) nextAt = Date.parse(created) + key.rotateEvery * DAY;
  if (nextAt === null || Number.isNaN(nextAt)) return { nextAt: null, state: 'none' };
  const left = nextAt - now.getTime();
  const warn = Math.max(1, Math.min(7, (key.rotateEvery ?? 28) / 4)) * DAY;
  const state: DueState = left <= 0 ? 'overdue' : left <= warn ? 'soon' : 'ok';
  return { nextAt: new Date(nextAt).toISOString(), state };
}

export type KeyStatus = 'active' | 'refused' | 'rotating' | 'waiting' | 'retiring' | 'no-version';

export interface KeyStatusInfo {
  status: KeyStatus;
  label: string;
  /** Why, in the user's words, when it needs attention. */
  detail: string | null;
}

export function keyStatus(key: KeyView, rotation: RotationView | undefined): KeyStatusInfo {
  if (key.refusedAt)
    return {
      status: 'refused',
      label: 'Refused',
      detail: 'The vendor refuses it: rotate it',
    };
  if (rotation?.waitingFor === 'user-revoke' || rotation?.waitingFor === 'paste')
    return {
      status: 'waiting',
      label: 'Waiting on you',
      detail: rotation.message ?? 'A rotation needs you to finish it',
    };
  if (rotation && rotation.waitingFor === null)
    return { status: 'rotating', label: 'Rotating', detail: `Step: ${rotation.step}` };
  const retiring = key.versions.filter((v) => v.state === 'retiring');
  if (retiring.length > 0 || rotation?.waitingFor === 'revoke-retry')
    return {
      status: 'retiring',
      label: 'Retiring old key',
      detail:
        rotation?.message ??
        `The old key (…${retiring[0]?.last4 ?? ''}) is not revoked yet; Keyway keeps retrying`,
    };
  if (!key.version)
    return { status: 'no-version', label: 'No active key', detail: 'Every version is revoked' };
  return { status: 'active', label: 'Active', detail: null };
}

export interface KeyUsage {
  connections: ConnectionView[];
  requests: number;
  lastUsed: string | null;
  /** The client that called most recently through one of this key's connections. */
  lastClient: string | null;
}

/** Last use and by whom, from the proxy counters of the key's connections and clients. */
export function keyUsage(
  key: KeyView,
  connections: ConnectionView[],
  clients: ClientView[],
  stats: ProxyStats | null,
): KeyUsage {
  const mine = connections.filter((c) => c.key === key.ref);
  let requests = 0;
  let lastUsed: string | null = null;
  for (const c of mine) {
    const s = stats?.connections[c.slug];
    if (!s) continue;
    requests += s.requests;
    if (s.lastUsed && (!lastUsed || s.lastUsed > lastUsed)) lastUsed = s.lastUsed;
  }
  let lastClient: string | null = null;
  let clientAt = '';
  const slugs = new Set(mine.map((c) => c.slug));
  for (const client of clients) {
    if (!slugs.has(client.connection)) continue;
    const at = stats?.clients[client.name]?.lastUsed;
    if (at && at > clientAt) {
      clientAt = at;
      lastClient = client.name;
    }
  }
  return { connections: mine, requests, lastUsed, lastClient };
}

/** Every word of the query must match the key somewhere: ref, vendor, scope, fingerprint… */
export function keyMatches(key: KeyView, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = [
    key.ref,
    key.vendor,
    key.serviceAccount ? 'service account' : '',
    ...key.scopes,
    key.version?.fingerprint ?? '',
    key.version?.last4 ?? '',
    key.version?.state ?? '',
    key.refusedAt ? 'refused' : '',
  ]
    .join(' ')
    .toLowerCase();
  return words.every((w) => hay.includes(w));
}

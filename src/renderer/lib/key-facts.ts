import type {
  ConnectionView,
  ClientView,
  KeyView,
  ProxyStats,
  RotationView,
} from '../../shared/contract';
import type { Account } from '../../shared/domain';

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

export type KeyStatus =
  | 'active'
  | 'refused'
  | 'rotating'
  | 'waiting'
  | 'retiring'
  | 'no-version'
  | 'signed-out'
  | 'needs-login';

export interface KeyStatusInfo {
  status: KeyStatus;
  label: string;
  /** Why, in the user's words, when it needs attention: a few words (a table cell). */
  detail: string | null;
}

/**
 * What a guided rotation waits for, in a table cell's few words. The vendor's full instruction
 * (with its dashboard URL) is shown once, in the Keys screen's banner and the rotation dialog.
 */
const WAITING_SHORT: Record<'paste' | 'user-revoke', string> = {
  paste: 'Paste the new key',
  'user-revoke': 'Revoke the old key, then confirm',
};

/** `account`: the key's account, for an OAuth key (whose versions are access tokens). */
export function keyStatus(
  key: KeyView,
  rotation: RotationView | undefined,
  account?: Account,
): KeyStatusInfo {
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
      detail: WAITING_SHORT[rotation.waitingFor],
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
  const oauth = account?.oauth;
  if (oauth?.state === 'signed-out' && !key.version)
    return {
      status: 'signed-out',
      label: 'Not signed in',
      detail: `Log in to ${key.account} to give it an access token`,
    };
  if (oauth?.state === 'needs-login')
    return {
      status: 'needs-login',
      label: 'Needs login',
      detail: oauth.reason ?? `Log in to ${key.account} again`,
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

/**
 * Last use and by whom, from the proxy counters of each key's connections and clients. Built
 * once per screen render in one pass over connections and clients, so 500 keys cost 500
 * lookups, not 500 scans of every connection.
 */
export function keyUsages(
  connections: ConnectionView[],
  clients: ClientView[],
  stats: ProxyStats | null,
): (ref: string) => KeyUsage {
  const byKey = new Map<string, KeyUsage>();
  const keyOfSlug = new Map<string, KeyUsage>();
  for (const c of connections) {
    let usage = byKey.get(c.key);
    if (!usage) {
      usage = { connections: [], requests: 0, lastUsed: null, lastClient: null };
      byKey.set(c.key, usage);
    }
    usage.connections.push(c);
    keyOfSlug.set(c.slug, usage);
    const s = stats?.connections[c.slug];
    if (!s) continue;
    usage.requests += s.requests;
    if (s.lastUsed && (!usage.lastUsed || s.lastUsed > usage.lastUsed)) usage.lastUsed = s.lastUsed;
  }
  const clientAt = new Map<KeyUsage, string>();
  for (const client of clients) {
    const usage = keyOfSlug.get(client.connection);
    const at = stats?.clients[client.name]?.lastUsed;
    if (!usage || !at || at <= (clientAt.get(usage) ?? '')) continue;
    clientAt.set(usage, at);
    usage.lastClient = client.name;
  }
  const unused: KeyUsage = { connections: [], requests: 0, lastUsed: null, lastClient: null };
  return (ref) => byKey.get(ref) ?? unused;
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

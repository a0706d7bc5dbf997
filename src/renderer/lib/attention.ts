import type {
  ClientView,
  ConnectionView,
  KeychainStatus,
  KeyView,
  RotationView,
} from '../../shared/contract';
import type { Account } from '../../shared/domain';
import type { AttentionItem, AttentionKind, AttentionTarget } from './attention-item';
import { keyStatus, rotationDue } from './key-facts';
import { relativeTime } from './format';
import { listText, oauthNeedsLogin, oauthSignedOut } from './oauth-attention';

export type { AttentionItem, AttentionKind, AttentionTarget } from './attention-item';

export interface AttentionInput {
  keys: KeyView[];
  /** Whether the key list has loaded: an empty list before that says nothing. */
  keysLoaded: boolean;
  waiting: RotationView[];
  accounts: Account[];
  connections: ConnectionView[];
  clients: ClientView[];
  keychain: KeychainStatus | null;
  /** The proxy as `status` reports it; null while unknown. */
  proxy: { running: boolean; paused: boolean } | null;
  /** `key.due` events: ref → due time, the service's own reckoning (wins over the local one). */
  due: Record<string, string>;
  now: Date;
}

const ORDER: AttentionKind[] = [
  'keychain-unreachable',
  'proxy-stopped',
  'proxy-paused',
  'key-revoked-in-use',
  'key-refused',
  'rotation-stuck',
  'account-needs-login',
  'account-signed-out',
  'rotation-waiting',
  'key-retiring',
  'rotation-overdue',
  'rotation-due',
  'first-key',
];

/**
 * What needs the user, most urgent first; at most one item per key (its most urgent). A pure
 * function of the state the service reports, so "nothing needs you" is said only when nothing
 * that makes an agent fail (or soon will) is true.
 */
export function attentionItems(input: AttentionInput): AttentionItem[] {
  const items: AttentionItem[] = [];
  const kc = input.keychain;
  if (kc && !kc.reachable)
    items.push({
      kind: 'keychain-unreachable',
      severity: 'error',
      subject: 'keychain',
      title: 'The keychain is unreachable',
      detail: [kc.message, kc.fix].filter(Boolean).join('. '),
      action: 'Open Settings',
      target: { screen: 'settings' },
    });
  const proxy = input.proxy;
  // `running` is false while paused too (the status says so): paused is the one to tell.
  if (proxy?.paused)
    items.push({
      kind: 'proxy-paused',
      severity: 'error',
      subject: 'proxy',
      title: 'The proxy is paused',
      detail: 'Every agent’s request gets an error (HTTP 503) until you resume it.',
      action: 'Resume',
      target: { do: 'resume-proxy' },
    });
  else if (proxy && !proxy.running)
    items.push({
      kind: 'proxy-stopped',
      severity: 'error',
      subject: 'proxy',
      title: 'The proxy is not running',
      detail: 'No agent can reach its MCP servers through Keyway until it runs again.',
      action: 'Open Settings',
      target: { screen: 'settings' },
    });
  const usedBy = usage(input.connections, input.clients);
  for (const account of input.accounts) {
    const oauthRef = `${account.name}/oauth`;
    const item =
      oauthNeedsLogin(account) ??
      oauthSignedOut(
        account,
        usedBy(oauthRef).connections.map((c) => c.slug),
      );
    if (item) items.push(item);
  }
  const oauthAccounts = new Set(input.accounts.filter((a) => a.oauth).map((a) => a.name));
  for (const key of input.keys) {
    // An OAuth key's state is its account's (log in), said once, above.
    if (oauthAccounts.has(key.account)) continue;
    const item = keyItem(key, input, usedBy(key.ref));
    if (item) items.push(item);
  }
  if (input.keysLoaded && input.keys.length === 0)
    items.push({
      kind: 'first-key',
      severity: 'info',
      subject: '',
      title: 'No key yet: create the first one',
      detail:
        'Add a key an agent uses (or let Keyway mint one), then connect an AI client to its proxy URL under Connections.',
      action: 'Create key',
      target: { screen: 'create' },
    });
  return items.sort(
    (a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || a.subject.localeCompare(b.subject),
  );
}

interface KeyUse {
  connections: ConnectionView[];
  clients: ClientView[];
}

function usage(connections: ConnectionView[], clients: ClientView[]): (ref: string) => KeyUse {
  const byKey = new Map<string, KeyUse>();
  for (const c of connections) {
    const use = byKey.get(c.key) ?? { connections: [], clients: [] };
    use.connections.push(c);
    byKey.set(c.key, use);
  }
  const bySlug = new Map(connections.map((c) => [c.slug, byKey.get(c.key)]));
  for (const client of clients)
    if (!client.revokedAt) bySlug.get(client.connection)?.clients.push(client);
  const none: KeyUse = { connections: [], clients: [] };
  return (ref) => byKey.get(ref) ?? none;
}

function keyItem(key: KeyView, input: AttentionInput, use: KeyUse): AttentionItem | null {
  const ref = key.ref;
  const target: AttentionTarget = { screen: 'keys', key: ref };
  const rotation = input.waiting.find((r) => r.key === ref);
  const base = { subject: ref, target };
  if (!key.version) {
    // Revoked on purpose and unused: nothing breaks. In use: every call on it fails.
    if (use.connections.length === 0) return null;
    const slugs = use.connections.map((c) => c.slug);
    const clients = use.clients.map((c) => c.name);
    return {
      kind: 'key-revoked-in-use',
      severity: 'error',
      subject: ref,
      title: `${ref} is revoked but ${listText(slugs, 'connection')} still use${slugs.length === 1 ? 's' : ''} it`,
      detail:
        (clients.length
          ? `${listText(clients, 'Client')} get${clients.length === 1 ? 's' : ''} errors on every call. `
          : 'Every call through it fails. ') +
        'Give the connection a new key: create one (Create key), then choose it under Connections → Edit.',
      action: 'Open Connections',
      target: { screen: 'connections' },
    };
  }
  if (rotation && isStuck(rotation))
    return {
      ...base,
      kind: 'rotation-stuck',
      severity: 'error',
      title:
        rotation.step === 'rolling-back'
          ? `The rotation of ${ref} is stuck rolling back`
          : `The rotation of ${ref} stopped at “${rotation.step}”`,
      detail:
        `${rotation.message ?? 'A step failed'}. ` +
        (rotation.nextRetryAt
          ? `Keyway retries ${relativeTime(rotation.nextRetryAt, input.now)}.`
          : 'Keyway retries on its own.'),
      action: 'Show key',
    };
  const status = keyStatus(key, rotation);
  if (status.status === 'refused')
    return {
      ...base,
      kind: 'key-refused',
      severity: 'error',
      title: `${ref} is refused by the vendor`,
      detail: `Refused ${relativeTime(key.refusedAt, input.now)}: agents using it get errors until it is rotated.`,
      action: 'Rotate',
    };
  if (status.status === 'waiting')
    return {
      ...base,
      kind: 'rotation-waiting',
      severity: 'warn',
      title: `The rotation of ${ref} is waiting on you`,
      detail: status.detail ?? '',
      action: 'Continue',
    };
  if (status.status === 'retiring')
    return {
      ...base,
      kind: 'key-retiring',
      severity: 'warn',
      title: `The old key of ${ref} is not revoked yet`,
      detail: status.detail ?? '',
      action: 'Show key',
    };
  const due = rotationDue(key, input.now, input.due[ref]);
  if (due.state === 'overdue')
    return {
      ...base,
      kind: 'rotation-overdue',
      severity: 'error',
      title: `${ref} is past its rotation period`,
      detail: `Due ${relativeTime(due.nextAt, input.now)}.`,
      action: 'Rotate',
    };
  if (due.state === 'soon')
    return {
      ...base,
      kind: 'rotation-due',
      severity: 'warn',
      title: `${ref} is due for rotation`,
      detail: `Due ${relativeTime(due.nextAt, input.now)}.`,
      action: 'Rotate',
    };
  return null;
}

/** A rotation nobody waits on that is rolling back or waiting for a retry after an error. */
function isStuck(r: RotationView): boolean {
  if (r.waitingFor !== null) return false;
  return r.step === 'rolling-back' || r.nextRetryAt !== null;
}

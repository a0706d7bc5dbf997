import type { AttentionItem } from './attention-item';
import type { Account } from '../../shared/domain';

/**
 * An OAuth account whose refresh was refused (or that wants more scopes) cannot call its server
 * until its user logs in again: nothing retries on its own, so it belongs on the attention list.
 */
export function oauthNeedsLogin(account: Account): AttentionItem | null {
  const o = account.oauth;
  if (o?.state !== 'needs-login') return null;
  const more =
    o.wantedScopes.length > 0 ? ` It asks for more scopes: ${o.wantedScopes.join(', ')}.` : '';
  return {
    kind: 'account-needs-login',
    severity: 'error',
    subject: account.name,
    title: `${account.name} needs you to log in again`,
    detail: `${o.reason ?? 'Its OAuth session ended.'}${more}`,
    action: 'Log in',
    target: { screen: 'accounts', account: account.name },
  };
}

/**
 * An OAuth account never signed in (or logged out) has no access token: its key has nothing to
 * put on requests. An error when a connection uses it (its agents fail now), else a next step.
 */
export function oauthSignedOut(account: Account, connections: string[]): AttentionItem | null {
  if (account.oauth?.state !== 'signed-out') return null;
  const used = connections.length > 0;
  return {
    kind: 'account-signed-out',
    severity: used ? 'error' : 'warn',
    subject: account.name,
    title: `${account.name} is not signed in`,
    detail: used
      ? `Agents on ${listText(connections, 'connection')} get errors until you log in.`
      : 'Log in so its key has an access token to put on requests.',
    action: 'Log in',
    target: { screen: 'accounts', account: account.name },
  };
}

/** "connection demo", "connections a, b and c". */
export function listText(names: string[], noun: string): string {
  const plural = names.length === 1 ? noun : `${noun}s`;
  const quoted = names.map((n) => `“${n}”`);
  const list =
    quoted.length <= 1
      ? (quoted[0] ?? '')
      : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1] ?? ''}`;
  return `${plural} ${list}`;
}

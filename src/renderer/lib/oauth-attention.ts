import type { AttentionItem } from './attention';
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

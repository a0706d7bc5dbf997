/** One line of the overview's attention list; the types only (the rules are in attention.ts). */
export type AttentionKind =
  | 'keychain-unreachable'
  | 'proxy-stopped'
  | 'proxy-paused'
  | 'key-revoked-in-use'
  | 'key-refused'
  | 'rotation-stuck'
  | 'account-needs-login'
  | 'account-signed-out'
  | 'rotation-waiting'
  | 'key-retiring'
  | 'rotation-overdue'
  | 'rotation-due'
  | 'first-key';

/** Where the item's action takes the user (or what it does, for `resume-proxy`). */
export type AttentionTarget =
  | { screen: 'keys'; key: string }
  | { screen: 'accounts'; account: string }
  | { screen: 'connections' }
  | { screen: 'create' }
  | { screen: 'settings' }
  | { do: 'resume-proxy' };

export interface AttentionItem {
  kind: AttentionKind;
  /** `error`: agents fail now; `warn`: soon, or something to finish; `info`: a next step. */
  severity: 'error' | 'warn' | 'info';
  /** What it is about: a key ref, an account name, "proxy", "keychain"; empty for a next step. */
  subject: string;
  title: string;
  detail: string;
  action: string;
  target: AttentionTarget;
}

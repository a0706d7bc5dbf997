import type { KeychainStatus, KeyView, RotationView } from '../../shared/contract';
import type { Account } from '../../shared/domain';
import { keyStatus, rotationDue } from './key-facts';
import { relativeTime } from './format';

export type AttentionKind =
  | 'keychain-unreachable'
  | 'key-refused'
  | 'account-needs-login'
  | 'rotation-waiting'
  | 'key-retiring'
  | 'rotation-overdue'
  | 'rotation-due';

/** Where the item's action takes the user. */
export type AttentionTarget =
  | { screen: 'keys'; key: string }
  | { screen: 'accounts'; account: string }
  | { screen: 'settings' };

export interface AttentionItem {
  kind: AttentionKind;
  /** `error` needs action now; `warn` soon. */
  severity: 'error' | 'warn';
  /** What it is about: a key ref, an account name, or "keychain". */
  subject: string;
  title: string;
  detail: string;
  action: string;
  target: AttentionTarget;
}

/**
 * Account-level items (e.g. an OAuth account whose refresh token was refused and needs the user
 * to log in again) come from the caller, one function per kind: the account views that carry
 * that state live beside the OAuth feature, and this list only orders and shows them.
 */
export type AccountAttention = (account: Account) => AttentionItem | null;

export interface AttentionInput {
  keys: KeyView[];
  waiting: RotationView[];
  accounts: Account[];
  keychain: KeychainStatus | null;
  /** `key.due` events: ref → due time, the service's own reckoning (wins over the local one). */
  due: Record<string, string>;
  now: Date;
  accountChecks?: AccountAttention[];
}

const ORDER: AttentionKind[] = [
  'keychain-unreachable',
  'key-refused',
  'account-needs-login',
  'rotation-waiting',
  'key-retiring',
  'rotation-overdue',
  'rotation-due',
];

/** What needs the user, most urgent first; at most one item per key (its most urgent). */
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
  for (const account of input.accounts)
    for (const check of input.accountChecks ?? []) {
      const item = check(account);
      if (item) items.push(item);
    }
  for (const key of input.keys) {
    const item = keyItem(key, input);
    if (item) items.push(item);
  }
  return items.sort(
    (a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || a.subject.localeCompare(b.subject),
  );
}

function keyItem(key: KeyView, input: AttentionInput): AttentionItem | null {
  const ref = key.ref;
  const target: AttentionTarget = { screen: 'keys', key: ref };
  const status = keyStatus(
    key,
    input.waiting.find((r) => r.key === ref),
  );
  const base = { subject: ref, target };
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
  if (!key.version) return null;
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

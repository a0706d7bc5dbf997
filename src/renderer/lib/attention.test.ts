import { describe, expect, it } from 'vitest';
import type { KeyView, RotationView } from '../../shared/contract';
import type { Account } from '../../shared/domain';
import { attentionItems, type AttentionInput } from './attention';

const NOW = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();

function key(ref: string, over: Partial<KeyView> = {}): KeyView {
  const [account = 'a', name = 'k'] = ref.split('/');
  const version = {
    id: `${ref}-v1`,
    vendorKeyId: null,
    fingerprint: 'abcd1234',
    last4: 'wxyz',
    created: ago(1),
    expires: null,
    state: 'active' as const,
  };
  return {
    ref,
    account,
    name,
    vendor: 'quave',
    scopes: [],
    options: {},
    rotateEvery: null,
    createdAt: ago(1),
    refusedAt: null,
    serviceAccount: true,
    version,
    versions: [version],
    ...over,
  };
}

const input = (over: Partial<AttentionInput>): AttentionInput => ({
  keys: [],
  waiting: [],
  accounts: [],
  keychain: { backend: 'secret-service', reachable: true, message: 'ok' },
  due: {},
  now: NOW,
  ...over,
});

describe('attentionItems', () => {
  it('is empty when nothing needs the user', () => {
    expect(attentionItems(input({ keys: [key('a/fine', { rotateEvery: 90 })] }))).toEqual([]);
  });

  it('lists a key past its period as overdue, one nearing it as due, most urgent first', () => {
    const items = attentionItems(
      input({
        keys: [
          key('a/soon', { rotateEvery: 30, version: { ...key('x/y').version!, created: ago(28) } }),
          key('a/late', { rotateEvery: 7, version: { ...key('x/y').version!, created: ago(9) } }),
        ],
      }),
    );
    expect(items.map((i) => [i.kind, i.subject, i.severity])).toEqual([
      ['rotation-overdue', 'a/late', 'error'],
      ['rotation-due', 'a/soon', 'warn'],
    ]);
    expect(items[0]?.title).toBe('a/late is past its rotation period');
    expect(items[0]?.target).toEqual({ screen: 'keys', key: 'a/late' });
  });

  it('trusts the service’s key.due event over the local clock', () => {
    const items = attentionItems(
      input({ keys: [key('a/k', { rotateEvery: 90 })], due: { 'a/k': ago(0.5) } }),
    );
    expect(items.map((i) => i.kind)).toEqual(['rotation-overdue']);
  });

  it('puts an unreachable keychain and a refused key above everything, with the fix', () => {
    const retiring = key('a/old');
    retiring.versions = [{ ...retiring.version!, id: 'old', state: 'retiring' }, retiring.version!];
    const waiting: RotationView = {
      id: 'r1',
      key: 'a/guided',
      step: 'swap',
      startedAt: ago(0),
      updatedAt: ago(0),
      waitingFor: 'user-revoke',
      message: 'Revoke the old key in the dashboard',
      guided: null,
      oldVersion: null,
      newVersion: null,
      nextRetryAt: null,
    };
    const items = attentionItems(
      input({
        keys: [key('a/old'), retiring, key('a/refused', { refusedAt: ago(0.1) }), key('a/guided')],
        waiting: [waiting],
        keychain: {
          backend: 'secret-service',
          reachable: false,
          message: 'No Secret Service',
          fix: 'Install gnome-keyring',
        },
      }),
    );
    expect(items.map((i) => [i.kind, i.subject])).toEqual([
      ['keychain-unreachable', 'keychain'],
      ['key-refused', 'a/refused'],
      ['rotation-waiting', 'a/guided'],
      ['key-retiring', 'a/old'],
    ]);
    expect(items[0]?.detail).toBe('No Secret Service. Install gnome-keyring');
  });

  it('takes account-level items from the checks it is given (e.g. an OAuth login)', () => {
    const account: Account = {
      name: 'linear',
      vendor: 'custom',
      apiUrl: 'https://x',
      mcpUrl: 'https://x/mcp',
      serviceAccount: false,
      hasCredential: false,
      credentialScopes: null,
      createdAt: ago(3),
    };
    const items = attentionItems(
      input({
        accounts: [account],
        keys: [key('a/refused', { refusedAt: ago(0.1) })],
        accountChecks: [
          (a) => ({
            kind: 'account-needs-login',
            severity: 'error',
            subject: a.name,
            title: `${a.name} needs you to log in again`,
            detail: '',
            action: 'Log in',
            target: { screen: 'accounts', account: a.name },
          }),
        ],
      }),
    );
    expect(items.map((i) => i.kind)).toEqual(['key-refused', 'account-needs-login']);
  });
});

import { describe, expect, it } from 'vitest';
import type { ClientView, ConnectionView, KeyView, RotationView } from '../../shared/contract';
import { signedOutOAuth, type Account } from '../../shared/domain';
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
  keys: [key('a/fine')],
  keysLoaded: true,
  waiting: [],
  accounts: [],
  connections: [],
  clients: [],
  keychain: { backend: 'secret-service', reachable: true, message: 'ok' },
  proxy: { running: true, paused: false },
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

  it('puts an OAuth account that needs login among the errors, after a refused key', () => {
    const items = attentionItems(
      input({
        accounts: [oauthAccount('linear', 'needs-login')],
        keys: [key('a/refused', { refusedAt: ago(0.1) })],
      }),
    );
    expect(items.map((i) => i.kind)).toEqual(['key-refused', 'account-needs-login']);
  });
});

function oauthAccount(name: string, state: 'signed-out' | 'signed-in' | 'needs-login'): Account {
  return {
    name,
    vendor: 'custom',
    apiUrl: 'https://x',
    mcpUrl: 'https://x/mcp',
    serviceAccount: false,
    hasCredential: false,
    credentialScopes: null,
    createdAt: ago(3),
    oauth: {
      ...signedOutOAuth(),
      state,
      reason: state === 'needs-login' ? 'The refresh token was refused' : null,
    },
  };
}

const connection = (slug: string, ref: string): ConnectionView => ({
  slug,
  key: ref,
  upstream: 'https://x/mcp',
  transport: 'streamable-http',
  createdAt: ago(1),
  url: `http://127.0.0.1:8931/mcp/${slug}`,
});
const client = (name: string, slug: string, revoked = false): ClientView => ({
  name,
  connection: slug,
  createdAt: ago(1),
  revokedAt: revoked ? ago(0.5) : null,
});
const revoked = (ref: string) => {
  const k = key(ref);
  return { ...k, version: null, versions: [{ ...k.version!, state: 'revoked' as const }] };
};
const rotation = (over: Partial<RotationView>): RotationView => ({
  id: 'r1',
  key: 'a/k',
  step: 'mint',
  startedAt: ago(0.1),
  updatedAt: ago(0.1),
  waitingFor: null,
  message: null,
  guided: null,
  oldVersion: null,
  newVersion: null,
  nextRetryAt: null,
  ...over,
});
const kinds = (i: AttentionInput) => attentionItems(i).map((x) => x.kind);

describe('attentionItems never says all is well while agents fail', () => {
  it('names the connections and clients of a revoked key in use, and how to fix it', () => {
    const items = attentionItems(
      input({
        keys: [revoked('demo/agent'), revoked('demo/unused')],
        connections: [connection('demo', 'demo/agent')],
        clients: [client('cursor', 'demo'), client('claude', 'demo'), client('old', 'demo', true)],
      }),
    );
    expect(items.map((i) => [i.kind, i.subject, i.severity])).toEqual([
      ['key-revoked-in-use', 'demo/agent', 'error'],
    ]);
    expect(items[0]?.title).toBe('demo/agent is revoked but connection “demo” still uses it');
    expect(items[0]?.detail).toContain('Clients “cursor” and “claude” get errors on every call');
    expect(items[0]?.detail).toContain('Connections → Edit');
    expect(items[0]?.target).toEqual({ screen: 'connections' });
  });

  it('says the proxy is paused (with Resume), or stopped, above every key', () => {
    const paused = attentionItems(
      input({ proxy: { running: false, paused: true }, keys: [key('a/r', { refusedAt: ago(1) })] }),
    );
    expect(paused.map((i) => i.kind)).toEqual(['proxy-paused', 'key-refused']);
    expect(paused[0]?.target).toEqual({ do: 'resume-proxy' });
    expect(paused[0]?.action).toBe('Resume');
    expect(kinds(input({ proxy: { running: false, paused: false } }))).toEqual(['proxy-stopped']);
    expect(kinds(input({ proxy: null }))).toEqual([]);
  });

  it('reports a rotation stuck rolling back or waiting for a retry, not one that runs', () => {
    const stuck = attentionItems(
      input({
        keys: [key('a/k')],
        waiting: [
          rotation({
            step: 'rolling-back',
            message: 'the vendor did not answer',
            nextRetryAt: new Date(NOW.getTime() + 120_000).toISOString(),
          }),
        ],
      }),
    );
    expect(stuck.map((i) => [i.kind, i.severity])).toEqual([['rotation-stuck', 'error']]);
    expect(stuck[0]?.title).toBe('The rotation of a/k is stuck rolling back');
    expect(stuck[0]?.detail).toBe('the vendor did not answer. Keyway retries in 2 minutes.');
    const retry = rotation({ step: 'swapped', nextRetryAt: ago(0) });
    expect(kinds(input({ keys: [key('a/k')], waiting: [retry] }))).toEqual(['rotation-stuck']);
    expect(kinds(input({ keys: [key('a/k')], waiting: [rotation({ step: 'mint' })] }))).toEqual([]);
  });

  it('asks to log in to an OAuth account never signed in, as an error once a connection uses it', () => {
    const account = oauthAccount('linear', 'signed-out');
    const oauthKey = { ...revoked('linear/oauth'), versions: [] };
    const unused = attentionItems(input({ accounts: [account], keys: [oauthKey] }));
    expect(unused.map((i) => [i.kind, i.severity, i.action])).toEqual([
      ['account-signed-out', 'warn', 'Log in'],
    ]);
    const used = attentionItems(
      input({
        accounts: [account],
        keys: [oauthKey],
        connections: [connection('linear', 'linear/oauth')],
      }),
    );
    expect(used.map((i) => [i.kind, i.severity])).toEqual([['account-signed-out', 'error']]);
    expect(used[0]?.title).toBe('linear is not signed in');
    expect(used[0]?.detail).toBe('Agents on connection “linear” get errors until you log in.');
    // Signed in: nothing to say about it.
    expect(
      kinds(
        input({ accounts: [oauthAccount('linear', 'signed-in')], keys: [key('linear/oauth')] }),
      ),
    ).toEqual([]);
  });

  it('offers a first step to a brand-new instance instead of "every key is active"', () => {
    const items = attentionItems(input({ keys: [] }));
    expect(items.map((i) => [i.kind, i.severity, i.action])).toEqual([
      ['first-key', 'info', 'Create key'],
    ]);
    expect(items[0]?.target).toEqual({ screen: 'create' });
    // Before the key list has loaded, an empty list means nothing yet.
    expect(kinds(input({ keys: [], keysLoaded: false }))).toEqual([]);
  });

  it('shows a waiting guided rotation in a few words, not the vendor’s instruction', () => {
    const long =
      'Open https://specivo.example/my/api-keys/ and revoke the key ending in abcd, then come back and confirm: Keyway checks that the vendor refuses it before it forgets it.';
    const items = attentionItems(
      input({
        keys: [key('a/k')],
        waiting: [rotation({ waitingFor: 'user-revoke', message: long, step: 'drained' })],
      }),
    );
    expect(items.map((i) => [i.kind, i.detail])).toEqual([
      ['rotation-waiting', 'Revoke the old key, then confirm'],
    ]);
  });
});

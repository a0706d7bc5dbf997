import { describe, expect, it } from 'vitest';
import type { ClientView, ConnectionView, KeyView, RotationView } from '../../shared/contract';
import type { KeyVersion } from '../../shared/domain';
import { keyMatches, keyStatus, keyUsages, rotationDue } from './key-facts';
import { relativeTime } from './format';

const DAY = 86_400_000;
const now = new Date('2026-11-20T12:00:00Z');
const v = (created: Date, state: KeyVersion['state'] = 'active'): KeyVersion => ({
  id: created.toISOString(),
  vendorKeyId: null,
  fingerprint: '1a2b3c4d',
  last4: 'wxyz',
  created: created.toISOString(),
  expires: null,
  state,
});
const key = (patch: Partial<KeyView> = {}): KeyView => {
  const version = v(new Date(now.getTime() - 20 * DAY));
  return {
    ref: 'team/agent',
    account: 'team',
    name: 'agent',
    vendor: 'quave',
    scopes: ['quave:read', 'quave:read:secrets'],
    options: {},
    rotateEvery: 30,
    createdAt: version.created,
    refusedAt: null,
    version,
    versions: [version],
    serviceAccount: true,
    ...patch,
  };
};

describe('rotation due', () => {
  it('is ok, soon, or overdue from the version age and the policy', () => {
    expect(rotationDue(key(), now).state).toBe('ok');
    expect(rotationDue(key({ rotateEvery: 24 }), now).state).toBe('soon');
    expect(rotationDue(key({ rotateEvery: 20 }), now).state).toBe('overdue');
    expect(rotationDue(key({ rotateEvery: null }), now)).toEqual({ nextAt: null, state: 'none' });
  });

  it('trusts the service’s key.due date over its own arithmetic', () => {
    const due = new Date(now.getTime() - DAY).toISOString();
    expect(rotationDue(key(), now, due)).toEqual({ nextAt: due, state: 'overdue' });
  });
});

describe('key status', () => {
  const rotation = (waitingFor: RotationView['waitingFor']): RotationView => ({
    id: 'r',
    key: 'team/agent',
    step: 'revoke',
    startedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    waitingFor,
    message: 'the vendor answered 503',
    guided: null,
    oldVersion: null,
    newVersion: null,
    nextRetryAt: null,
  });

  it('puts refused first, then waiting on the user, then retiring', () => {
    expect(keyStatus(key({ refusedAt: now.toISOString() }), rotation('user-revoke')).status).toBe(
      'refused',
    );
    expect(keyStatus(key(), rotation('user-revoke')).status).toBe('waiting');
    const retiring = keyStatus(key(), rotation('revoke-retry'));
    expect(retiring).toMatchObject({ status: 'retiring', detail: 'the vendor answered 503' });
    const old = v(new Date(now.getTime() - 40 * DAY), 'retiring');
    expect(keyStatus(key({ versions: [old, key().version!] }), undefined).status).toBe('retiring');
    expect(keyStatus(key({ version: null }), undefined).status).toBe('no-version');
    expect(keyStatus(key(), undefined)).toEqual({
      status: 'active',
      label: 'Active',
      detail: null,
    });
  });
});

describe('key usage', () => {
  it('sums the key’s connections and names the client that called last', () => {
    const conn = (slug: string, k: string): ConnectionView => ({
      slug,
      key: k,
      upstream: 'https://x',
      transport: 'streamable-http',
      createdAt: now.toISOString(),
      url: `http://127.0.0.1:1/mcp/${slug}`,
    });
    const client = (name: string, connection: string): ClientView => ({
      name,
      connection,
      createdAt: now.toISOString(),
      revokedAt: null,
    });
    const stat = (requests: number, lastUsed: string | null) => ({
      requests,
      errors: 0,
      lastUsed,
      keyVersion: null,
    });
    const usageOf = keyUsages(
      [conn('a', 'team/agent'), conn('b', 'team/agent'), conn('c', 'other/key')],
      [client('cursor', 'a'), client('codex', 'b'), client('vscode', 'c')],
      {
        connections: {
          a: stat(3, '2026-11-20T10:00:00Z'),
          b: stat(2, '2026-11-20T11:00:00Z'),
          c: stat(9, '2026-11-20T11:59:00Z'),
        },
        clients: {
          cursor: stat(3, '2026-11-20T10:00:00Z'),
          codex: stat(2, '2026-11-20T11:00:00Z'),
          vscode: stat(9, '2026-11-20T11:59:00Z'),
        },
      },
    );
    const usage = usageOf(key().ref);
    expect(usage).toMatchObject({
      requests: 5,
      lastUsed: '2026-11-20T11:00:00Z',
      lastClient: 'codex',
    });
    expect(usage.connections.map((c) => c.slug)).toEqual(['a', 'b']);
    expect(relativeTime(usage.lastUsed, now)).toBe('1 hour ago');
    expect(usageOf('other/key')).toMatchObject({ requests: 9, lastClient: 'vscode' });
    expect(usageOf('nobody/uses-it')).toEqual({
      connections: [],
      requests: 0,
      lastUsed: null,
      lastClient: null,
    });
  });
});

describe('key filter', () => {
  it('matches every word anywhere: ref, vendor, scope, fingerprint, last 4, state', () => {
    expect(keyMatches(key(), '')).toBe(true);
    expect(keyMatches(key(), 'quave secrets')).toBe(true);
    expect(keyMatches(key(), '1a2b wxyz')).toBe(true);
    expect(keyMatches(key(), 'service account')).toBe(true);
    expect(keyMatches(key(), 'quave specivo')).toBe(false);
    expect(keyMatches(key({ refusedAt: now.toISOString() }), 'refused')).toBe(true);
  });
});

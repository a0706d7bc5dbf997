import { describe, expect, it } from 'vitest';
import { KeywayError } from '../../shared/errors';
import type { KeywayClient } from '../api/keyway-client';
import { createFakeKeyway } from '../../../test/support/ui-fake-keyway';
import { createStores, loadAll } from './index';
import { wireEvents } from './wire-events';

const flush = () => new Promise((r) => setTimeout(r, 0));

async function setup() {
  const fake = createFakeKeyway();
  const stores = createStores(fake.client);
  wireEvents(stores);
  await fake.client['account.add']({ name: 'team', vendor: 'quave' });
  await fake.client['key.create']({ ref: 'team/agent', scopes: ['quave:read'] });
  await loadAll(stores);
  return { fake, stores };
}

describe('stores driven by the contract and its events', () => {
  it('a rotation shows each step as rotation.step events arrive, then its result', async () => {
    const { fake, stores } = await setup();
    const oldFp = stores.keys.getState().keys[0]?.version?.fingerprint;
    const running = stores.rotation.getState().rotate('team/agent');
    expect(stores.rotation.getState().live['team/agent']?.status).toBe('running');
    fake.emit({
      type: 'rotation.step',
      payload: { key: 'team/agent', rotationId: 'r1', step: 'mint', ok: true, ms: 30 },
    });
    fake.emit({
      type: 'rotation.step',
      payload: { key: 'team/agent', rotationId: 'r1', step: 'swap', ok: true, ms: 2 },
    });
    expect(stores.rotation.getState().live['team/agent']?.steps.map((s) => s.step)).toEqual([
      'mint',
      'swap',
    ]);
    await running;
    const live = stores.rotation.getState().live['team/agent'];
    expect(live?.status).toBe('done');
    // The call's own step list is merged in (verify was not sent as an event).
    expect(live?.steps.map((s) => s.step)).toEqual(['mint', 'swap', 'verify']);
    fake.emit({ type: 'state.changed', payload: { what: 'keys' } });
    await flush();
    expect(stores.keys.getState().keys[0]?.version?.fingerprint).not.toBe(oldFp);
  });

  it('a failed rotation keeps the service’s message and is not "done"', async () => {
    const { fake } = await setup();
    const stores = createStores(
      withOp(fake.client, 'key.rotate', () =>
        Promise.reject(
          new KeywayError(
            'vendor_refused',
            'Quave refused: the credential lacks quave:manage:mcp-keys',
          ),
        ),
      ),
    );
    await stores.rotation.getState().rotate('team/agent');
    expect(stores.rotation.getState().live['team/agent']).toMatchObject({
      status: 'failed',
      error: 'Quave refused: the credential lacks quave:manage:mcp-keys',
    });
  });

  it('rotation.changed keeps the waiting list current; confirmRevoked clears it', async () => {
    const { fake, stores } = await setup();
    const waiting = {
      id: 'r9',
      key: 'team/agent',
      step: 'revoke',
      startedAt: '2026-11-20T00:00:00Z',
      updatedAt: '2026-11-20T00:00:00Z',
      waitingFor: 'user-revoke' as const,
      message: 'Revoke the old key in the dashboard',
      guided: null,
      oldVersion: null,
      newVersion: null,
      nextRetryAt: null,
    };
    fake.emit({ type: 'rotation.changed', payload: { key: 'team/agent', rotation: waiting } });
    expect(stores.rotation.getState().waiting).toEqual([waiting]);
    await stores.rotation.getState().confirmRevoked('team/agent');
    expect(stores.rotation.getState().waiting).toEqual([]);
  });

  it('state.changed reloads only what changed; a resync reloads everything', async () => {
    const { fake, stores } = await setup();
    await fake.client['connection.add']({ slug: 'qa', key: 'team/agent' });
    expect(stores.connections.getState().connections).toHaveLength(0);
    fake.emit({ type: 'state.changed', payload: { what: 'clients' } });
    await flush();
    expect(stores.connections.getState().connections).toHaveLength(0);
    fake.emit({ type: 'state.changed', payload: { what: 'connections' } });
    await flush();
    expect(stores.connections.getState().connections.map((c) => c.slug)).toEqual(['qa']);
    await fake.client['account.add']({ name: 'other', vendor: 'quave' });
    fake.resync();
    await flush();
    expect(stores.accounts.getState().accounts.map((a) => a.name)).toEqual(['team', 'other']);
  });

  it('key.refused raises a notice and key.due marks the key', async () => {
    const { fake, stores } = await setup();
    fake.emit({ type: 'key.refused', payload: { key: 'team/agent', versionId: 'v', status: 401 } });
    expect(stores.notices.getState().notices[0]).toMatchObject({ tone: 'error' });
    expect(stores.notices.getState().notices[0]?.text).toContain('team/agent');
    fake.emit({
      type: 'key.due',
      payload: { key: 'team/agent', dueAt: '2026-12-01T00:00:00Z', guided: false },
    });
    expect(stores.keys.getState().due).toEqual({ 'team/agent': '2026-12-01T00:00:00Z' });
  });

  it('the activity log appends live entries that match its filter only', async () => {
    const { fake, stores } = await setup();
    await stores.activity.getState().setFilter({ client: 'cursor' });
    const entry = (client: string | null) => ({
      at: '2026-11-20T00:00:00Z',
      event: 'client.added',
      key: 'team/agent',
      client,
    });
    fake.emit({ type: 'audit.appended', payload: entry('codex') });
    fake.emit({ type: 'audit.appended', payload: entry('cursor') });
    expect(stores.activity.getState().entries.map((e) => e.client)).toEqual(['cursor']);
    expect(fake.calls.filter((c) => c.op === 'audit.list').at(-1)?.input).toMatchObject({
      client: 'cursor',
    });
  });

  it('an entry that arrives live while the list is loading is kept, once', async () => {
    const { fake } = await setup();
    const entry = (client: string) => ({
      at: '2026-11-20T00:00:00Z',
      event: 'client.added',
      key: 'team/agent',
      client,
    });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    // The list was read before 'live-one' was written, and 'both' after; it arrives last.
    const stores = createStores(
      withOp(fake.client, 'audit.list', () => gate.then(() => [entry('both')])),
    );
    wireEvents(stores);
    const loading = stores.activity.getState().setFilter({ event: 'client.added' });
    fake.emit({ type: 'audit.appended', payload: entry('live-one') });
    fake.emit({ type: 'audit.appended', payload: entry('both') });
    fake.emit({ type: 'audit.appended', payload: { ...entry('x'), event: 'key.created' } });
    release();
    await loading;
    expect(stores.activity.getState().entries.map((e) => e.client)).toEqual(['both', 'live-one']);
  });

  it('a slow, stale load never overwrites a newer one', async () => {
    const { fake } = await setup();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    const stores = createStores(
      withOp(fake.client, 'key.list', async () => {
        // The first answer is stale (empty) and arrives last.
        if (calls++ === 0) return gate.then(() => []);
        return fake.client['key.list']({});
      }),
    );
    const first = stores.keys.getState().load();
    await stores.keys.getState().load();
    release();
    await first;
    expect(stores.keys.getState().keys.map((k) => k.ref)).toEqual(['team/agent']);
  });
});

function withOp(
  client: KeywayClient,
  op: string,
  fn: (input: unknown) => Promise<unknown>,
): KeywayClient {
  return new Proxy(client, {
    get: (t, p) => (p === op ? fn : (t as unknown as Record<string | symbol, unknown>)[p]),
  });
}

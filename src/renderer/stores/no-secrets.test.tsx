import { renderToString } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createFakeKeyway,
  fakeSecret,
  type FakeKeyway,
} from '../../../test/support/ui-fake-keyway';
import { App } from '../app';
import { TokenOnce } from '../components/token-once';
import { createStores, loadAll, type Stores } from './index';
import { StoresContext } from './hooks';
import type { Screen } from './ui-store';
import { wireEvents } from './wire-events';

/** Every store's state, as the devtools (or a crash report) would serialise it. */
function storeState(stores: Stores): string {
  const { client: _client, ...rest } = stores;
  return JSON.stringify(
    Object.fromEntries(Object.entries(rest).map(([k, s]) => [k, s.getState()])),
  );
}

/** The whole app rendered from the stores' current state (SSR reads the initial snapshot). */
function renderApp(stores: Stores, screen: Screen): string {
  const { client: _client, ...rest } = stores;
  for (const store of Object.values(rest)) {
    (store as { getInitialState: () => unknown }).getInitialState = store.getState;
  }
  stores.ui.setState({ screen });
  return renderToString(
    <StoresContext value={stores}>
      <App />
    </StoresContext>,
  );
}

describe('no plaintext secret in renderer state or DOM', () => {
  let fake: FakeKeyway;
  let stores: Stores;
  beforeEach(async () => {
    fake = createFakeKeyway();
    stores = createStores(fake.client);
    wireEvents(stores);
    await loadAll(stores);
  });

  it('keeps credentials, pasted keys and client tokens out of every store and screen', async () => {
    const credential = fakeSecret('qvt_');
    await stores.accounts.getState().add({
      name: 'team',
      vendor: 'quave',
      credential,
      credentialScopes: ['quave:read', 'quave:manage:mcp-keys'],
    });
    await stores.accounts.getState().add({ name: 'spec', vendor: 'specivo' });
    await fake.client['key.create']({ ref: 'team/agent', scopes: ['quave:read:secrets'] });
    const pasted = fakeSecret('spv_');
    await fake.client['key.checkFormat']({ vendor: 'specivo', secret: pasted });
    await fake.client['key.add']({ ref: 'spec/agent', secret: pasted, scopes: ['mcp'] });
    await stores.keys.getState().load();
    await stores.connections.getState().add({ slug: 'quave-agent', key: 'team/agent' });
    const created = await stores.clients.getState().add('cursor', 'quave-agent');
    expect(created.token).toMatch(/^kwc_/);

    await stores.rotation.getState().rotate('team/agent');
    const pastedRotation = fakeSecret('spv_');
    await stores.rotation.getState().rotate('spec/agent', pastedRotation);
    fake.emit({ type: 'state.changed', payload: { what: 'keys' } });
    await new Promise((r) => setTimeout(r, 0));
    fake.emit({
      type: 'rotation.step',
      payload: { key: 'team/agent', rotationId: 'r1', step: 'swap', ok: true, ms: 3 },
    });
    fake.emit({
      type: 'audit.appended',
      payload: {
        at: new Date().toISOString(),
        event: 'key.rotated',
        key: 'team/agent',
        client: null,
        detail: { fingerprint: 'abcd1234' },
      },
    });

    // The test can fail: the fake saw every secret the UI handed over or received.
    expect(fake.secrets).toEqual(
      expect.arrayContaining([credential, pasted, pastedRotation, created.token]),
    );
    const state = storeState(stores);
    expect(state).toContain('team/agent');
    for (const s of fake.secrets) expect(state).not.toContain(s);

    for (const screen of [
      'overview',
      'keys',
      'accounts',
      'connections',
      'activity',
      'settings',
      'create',
    ] as const) {
      const html = renderApp(stores, screen);
      expect(html.length).toBeGreaterThan(500);
      for (const s of fake.secrets) expect(html, `${screen} screen`).not.toContain(s);
    }
    // …while the facts a user needs are there: the key, and its fingerprint and last 4.
    const keysHtml = renderApp(stores, 'keys');
    const shown = stores.keys.getState().keys.find((k) => k.ref === 'spec/agent')?.version;
    expect(keysHtml).toContain('data-key="spec/agent"');
    expect(keysHtml).toContain(shown?.fingerprint);
    expect(keysHtml).toMatch(new RegExp(`…(<!-- -->)?${pastedRotation.slice(-4)}`));
  });

  it('would catch a leak: a shown-once token does reach the DOM of its own dialog', () => {
    const token = `kwc_${fakeSecret('')}`;
    expect(renderToString(<TokenOnce client="cursor" token={token} />)).toContain(token);
  });

  it('the clients store returns a new token to its caller without keeping it', async () => {
    await stores.connections.getState().add({ slug: 'c1', key: 'team/agent' });
    const before = storeState(stores);
    const { token } = await stores.clients.getState().add('codex', 'c1');
    expect(stores.clients.getState().clients.map((c) => c.name)).toContain('codex');
    expect(storeState(stores)).not.toContain(token);
    expect(before).not.toContain(token);
  });
});

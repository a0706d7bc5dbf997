import { describe, expect, it } from 'vitest';
import type { KeyView } from '../../shared/contract';
import type { Account, OAuthAccountInfo } from '../../shared/domain';
import { notificationFor } from './notifications';
import { buildTrayMenu, trayIconState, trayTooltip } from './tray-menu';
import { trayStateFrom, type TraySources } from './tray-state';

const NOW = new Date('2026-11-23T12:00:00Z');

const oauthKey: KeyView = {
  ref: 'notes/oauth',
  account: 'notes',
  name: 'oauth',
  vendor: 'custom',
  scopes: [],
  options: {},
  rotateEvery: null,
  createdAt: NOW.toISOString(),
  refusedAt: null,
  version: null,
  versions: [],
  serviceAccount: false,
};

function sources(state: OAuthAccountInfo['state']): TraySources {
  const account = {
    name: 'notes',
    oauth: { state, reason: 'refresh refused', wantedScopes: [] } as unknown as OAuthAccountInfo,
  } satisfies Pick<Account, 'name' | 'oauth'>;
  return {
    status: { proxy: { running: true, paused: false, port: 8931 } },
    keys: [oauthKey],
    rotations: [],
    connections: [],
    vendors: [{ id: 'custom', displayName: 'Custom', capabilities: { mint: false } as never }],
    dueRefs: new Set(),
    rotating: new Set(),
    paused: false,
    canPauseProxy: false,
    now: NOW,
    accounts: [account],
  };
}

describe('tray: OAuth accounts', () => {
  it('"needs login" is attention in the icon, tooltip and menu; the key is never offered for rotation', () => {
    const state = trayStateFrom(sources('needs-login'));
    expect(state.keys[0]?.marker).toBe('needs-login');
    expect(trayIconState(state)).toBe('attention');
    expect(trayTooltip(state)).toContain('1 needs attention');
    const menu = buildTrayMenu(state);
    expect(menu.some((i) => i.label === '⚠ notes/oauth — needs login')).toBe(true);
    const rotate = menu.find((i) => i.label === 'Rotate');
    expect(rotate?.enabled).toBe(false);
    expect(rotate?.submenu).toEqual([]);
  });

  it('a signed-in OAuth account needs nothing', () => {
    const state = trayStateFrom(sources('signed-in'));
    expect(state.keys[0]?.marker).toBeNull();
    expect(trayIconState(state)).toBe('normal');
  });

  it('notifies once per account when a login is needed, opening its key', () => {
    const spec = notificationFor({
      type: 'account.needsLogin',
      payload: { account: 'notes', reason: 'the authorization server refused the refresh' },
    });
    expect(spec).toMatchObject({
      tag: 'needs-login:notes',
      title: 'Log in to notes again',
      urgency: 'critical',
      openKey: 'notes/oauth',
    });
    expect(spec?.body).toContain('keyway account login notes');
  });
});

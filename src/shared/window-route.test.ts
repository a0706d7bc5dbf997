import { describe, expect, it } from 'vitest';
import { notificationFor } from '../main/shell/notifications';
import {
  isWindowRoute,
  routeForNotification,
  routeFromQuery,
  routeQuery,
  type WindowRoute,
} from './window-route';

describe('notification → window route', () => {
  it('a notification about a key opens the Keys screen at that key', () => {
    const spec = notificationFor({
      type: 'key.refused',
      payload: { key: 'team/agent', versionId: 'v1', status: 401 },
    });
    expect(spec).not.toBeNull();
    expect(routeForNotification(spec!)).toEqual({ screen: 'keys', key: 'team/agent' });
  });

  it('one about nothing in particular opens the overview', () => {
    expect(routeForNotification({ openKey: null })).toEqual({ screen: 'overview' });
  });

  it('survives the page query on first load, key names with dots and dashes included', () => {
    const route: WindowRoute = { screen: 'keys', key: 'my.team/agent-2' };
    expect(routeQuery(route)).toBe('screen=keys&key=my.team%2Fagent-2');
    expect(routeFromQuery(`?${routeQuery(route)}`)).toEqual(route);
    expect(routeFromQuery('?screen=accounts')).toEqual({ screen: 'accounts' });
  });

  it('ignores what it does not know, rather than opening somewhere odd', () => {
    expect(routeFromQuery('')).toBeNull();
    expect(routeFromQuery('?screen=nowhere')).toBeNull();
    expect(routeFromQuery('?screen=keys&key=not-a-ref')).toEqual({ screen: 'keys' });
    expect(isWindowRoute({ screen: 'keys', key: 'a/b' })).toBe(true);
    expect(isWindowRoute({ screen: 'settings', key: 'a/b' })).toBe(false);
    expect(isWindowRoute('keys')).toBe(false);
  });
});

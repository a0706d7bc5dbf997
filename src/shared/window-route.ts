/**
 * Where the desktop window opens: a screen, or the Keys screen at one key. Main decides (a
 * notification's or tray item's click), the renderer follows: as the page's query on first load
 * (`?screen=keys&key=team%2Fagent`), or as a message on NAVIGATE_CHANNEL once it is open.
 */
export const NAVIGATE_CHANNEL = 'keyway:navigate';

export type WindowRoute =
  | { screen: 'keys'; key: string }
  | { screen: 'overview' | 'keys' | 'accounts' | 'connections' | 'activity' | 'settings' };

const SCREENS = new Set(['overview', 'keys', 'accounts', 'connections', 'activity', 'settings']);

/** A notification about a key opens the window at that key; any other, at the overview. */
export function routeForNotification(spec: { openKey: string | null }): WindowRoute {
  return spec.openKey ? { screen: 'keys', key: spec.openKey } : { screen: 'overview' };
}

/** The page query for a route, for the window's first load. */
export function routeQuery(route: WindowRoute): string {
  const q = new URLSearchParams({ screen: route.screen });
  if ('key' in route) q.set('key', route.key);
  return q.toString();
}

/** The route a page query asks for; null when it asks for none (or nonsense). */
export function routeFromQuery(search: string): WindowRoute | null {
  const q = new URLSearchParams(search.replace(/^\?/, ''));
  const screen = q.get('screen');
  const key = q.get('key');
  if (screen === 'keys' && key && /^[^/\s]+\/[^/\s]+$/.test(key)) return { screen: 'keys', key };
  if (screen && SCREENS.has(screen)) return { screen } as WindowRoute;
  return null;
}

/** Anything crossing IPC is checked before the page acts on it. */
export function isWindowRoute(value: unknown): value is WindowRoute {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { screen?: unknown; key?: unknown };
  if (typeof v.screen !== 'string' || !SCREENS.has(v.screen)) return false;
  return v.key === undefined || (v.screen === 'keys' && typeof v.key === 'string');
}

import type { KeywayBridge } from '../../preload/preload-api';
import type { KeywayWindowBridge } from '../../preload/window-api';
import { fromBridged, mapRejections } from '../../shared/bridge-errors';
import { createHttpClient } from './http-client';
import type { KeywayClient } from './keyway-client';

declare global {
  interface Window {
    keyway?: KeywayBridge;
    keywayWindow?: KeywayWindowBridge;
  }
}

/** The control token `keyway serve` puts in the UI link: `…/#token=kwctl_…`. */
export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token');
  return token && token.length > 0 ? token : null;
}

/**
 * The desktop app exposes `window.keyway` through its preload; a browser on `keyway serve`
 * has only the page's origin and the token in its fragment. Null: neither (opened without the
 * link `keyway serve` printed).
 */
export function pickClient(
  win: Pick<Window, 'keyway' | 'location'>,
  onRefused?: () => void,
): KeywayClient | null {
  const bridge = win.keyway;
  if (bridge)
    return {
      ...mapRejections(bridge, fromBridged),
      shell: 'desktop',
      onResync: () => () => undefined,
    };
  const token = tokenFromHash(win.location.hash);
  if (!token) return null;
  return createHttpClient({
    baseUrl: win.location.origin,
    token,
    ...(onRefused ? { onRefused } : {}),
  });
}

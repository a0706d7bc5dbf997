/**
 * The tray menu as data: a pure function from service state to a serialisable template, so
 * every label, marker and enabled flag is unit-tested without Electron. `tray.ts` turns it into
 * an Electron Menu and maps each `action` to a handler.
 */

export type KeyMarker =
  'refused' | 'needs-login' | 'overdue' | 'retiring' | 'waiting' | 'due' | null;

export interface TrayKey {
  ref: string;
  vendorName: string;
  marker: KeyMarker;
  /** API vendors rotate from the tray in one click; guided ones open the window to paste. */
  oneClickRotate: boolean;
  rotating: boolean;
  /** An OAuth account's key: refreshed by Keyway, never rotated by hand. */
  oauth?: boolean;
}

export interface TrayState {
  proxy: { running: boolean; paused: boolean; port: number | null };
  /** Whether this build can pause the proxy (needs a service operation for it). */
  canPauseProxy: boolean;
  keys: TrayKey[];
  connections: Array<{ slug: string; url: string }>;
}

export type TrayAction =
  | { kind: 'open' }
  | { kind: 'open-key'; ref: string }
  | { kind: 'rotate'; ref: string }
  | { kind: 'rotate-guided'; ref: string }
  | { kind: 'copy-url'; url: string }
  | { kind: 'toggle-proxy' }
  | { kind: 'quit' };

export interface TrayMenuItem {
  label?: string;
  type?: 'normal' | 'separator' | 'submenu';
  enabled?: boolean;
  action?: TrayAction;
  submenu?: TrayMenuItem[];
}

/** How many keys the menu lists before "… and N more" (menus do not scroll well). */
export const TRAY_KEY_LIMIT = 12;

const MARKER_TEXT: Record<Exclude<KeyMarker, null>, string> = {
  refused: 'refused by the vendor',
  'needs-login': 'needs login',
  overdue: 'rotation overdue',
  retiring: 'old key not revoked yet',
  waiting: 'rotation waiting on you',
  due: 'rotation due soon',
};

const MARKER_ORDER: KeyMarker[] = [
  'refused',
  'needs-login',
  'overdue',
  'retiring',
  'waiting',
  'due',
  null,
];

export function markerText(marker: KeyMarker): string | null {
  return marker ? MARKER_TEXT[marker] : null;
}

/** Keys needing attention first (worst first), then by name. */
export function sortKeys(keys: TrayKey[]): TrayKey[] {
  return [...keys].sort(
    (a, b) =>
      MARKER_ORDER.indexOf(a.marker) - MARKER_ORDER.indexOf(b.marker) || a.ref.localeCompare(b.ref),
  );
}

function keyLabel(k: TrayKey): string {
  const why = markerText(k.marker);
  const base = k.rotating ? `${k.ref} — rotating…` : why ? `⚠ ${k.ref} — ${why}` : k.ref;
  return base;
}

export function proxyLabel(state: TrayState): string {
  if (state.proxy.paused) return 'Proxy paused';
  if (!state.proxy.running) return 'Proxy stopped';
  return `Proxy running on 127.0.0.1:${state.proxy.port ?? '?'}`;
}

export function attentionCount(state: TrayState): number {
  return state.keys.filter((k) => k.marker !== null && k.marker !== 'due').length;
}

/** Normal icon, or the attention one when a key is refused, overdue, retiring or waiting. */
export function trayIconState(state: TrayState): 'normal' | 'attention' {
  return attentionCount(state) > 0 || (!state.proxy.running && !state.proxy.paused)
    ? 'attention'
    : 'normal';
}

export function trayTooltip(state: TrayState): string {
  const n = attentionCount(state);
  const keys = `${state.keys.length} key${state.keys.length === 1 ? '' : 's'}`;
  return `Keyway — ${proxyLabel(state)}; ${keys}${n > 0 ? `, ${n} need${n === 1 ? 's' : ''} attention` : ''}`;
}

export function buildTrayMenu(state: TrayState): TrayMenuItem[] {
  const keys = sortKeys(state.keys);
  const shown = keys.slice(0, TRAY_KEY_LIMIT);
  const hidden = keys.length - shown.length;
  const items: TrayMenuItem[] = [
    { label: proxyLabel(state), enabled: false },
    { type: 'separator' },
  ];

  if (keys.length === 0) {
    items.push({ label: 'No keys yet — open Keyway to add one', enabled: false });
  } else {
    items.push({ label: 'Keys', enabled: false });
    for (const k of shown)
      items.push({ label: keyLabel(k), action: { kind: 'open-key', ref: k.ref } });
    if (hidden > 0) items.push({ label: `… and ${hidden} more`, action: { kind: 'open' } });
  }

  const rotatable = keys.filter((k) => !k.oauth);
  items.push({
    label: 'Rotate',
    type: 'submenu',
    enabled: rotatable.length > 0,
    submenu: rotatable.map((k) => ({
      label: k.oneClickRotate ? k.ref : `${k.ref} (paste the new key)…`,
      enabled: !k.rotating,
      action: k.oneClickRotate
        ? { kind: 'rotate', ref: k.ref }
        : { kind: 'rotate-guided', ref: k.ref },
    })),
  });

  const [only] = state.connections;
  if (state.connections.length === 0) {
    items.push({ label: 'Copy proxy URL (no connections yet)', enabled: false });
  } else if (state.connections.length === 1 && only) {
    items.push({
      label: `Copy proxy URL (${only.slug})`,
      action: { kind: 'copy-url', url: only.url },
    });
  } else {
    items.push({
      label: 'Copy proxy URL',
      type: 'submenu',
      submenu: state.connections.map((c) => ({
        label: c.slug,
        action: { kind: 'copy-url', url: c.url },
      })),
    });
  }

  items.push(
    { type: 'separator' },
    { label: 'Open Keyway', action: { kind: 'open' } },
    {
      label: state.proxy.paused ? 'Resume proxy' : 'Pause proxy',
      enabled: state.canPauseProxy,
      action: { kind: 'toggle-proxy' },
    },
    { type: 'separator' },
    { label: 'Quit Keyway', action: { kind: 'quit' } },
  );
  return items;
}

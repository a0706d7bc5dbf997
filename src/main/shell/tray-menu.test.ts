import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  buildTrayMenu,
  proxyLabel,
  TRAY_KEY_LIMIT,
  trayIconState,
  trayTooltip,
  type TrayKey,
  type TrayMenuItem,
  type TrayState,
} from './tray-menu';
import { toElectronMenu, trayIconFile } from './tray-icons';

const key = (ref: string, patch: Partial<TrayKey> = {}): TrayKey => ({
  ref,
  vendorName: 'Quave',
  marker: null,
  oneClickRotate: true,
  rotating: false,
  ...patch,
});

const state = (patch: Partial<TrayState> = {}): TrayState => ({
  proxy: { running: true, paused: false, port: 8931 },
  canPauseProxy: false,
  keys: [key('team/agent')],
  connections: [{ slug: 'quave-agent', url: 'http://127.0.0.1:8931/mcp/quave-agent' }],
  ...patch,
});

const labels = (items: TrayMenuItem[]) =>
  items.map((i) => (i.type === 'separator' ? '---' : i.label));
const find = (items: TrayMenuItem[], label: string) =>
  items.find((i) => i.label?.startsWith(label));

describe('buildTrayMenu', () => {
  it('lays out status, keys, rotate, copy, open, pause and quit', () => {
    expect(labels(buildTrayMenu(state()))).toEqual([
      'Proxy running on 127.0.0.1:8931',
      '---',
      'Keys',
      'team/agent',
      'Rotate',
      'Copy proxy URL (quave-agent)',
      '---',
      'Open Keyway',
      'Pause proxy',
      '---',
      'Quit Keyway',
    ]);
  });

  it('is plain serialisable data (no functions): Electron glue binds the actions', () => {
    const menu = buildTrayMenu(state());
    expect(JSON.parse(JSON.stringify(menu))).toEqual(menu);
  });

  it('marks keys that need attention and lists the worst first', () => {
    const menu = buildTrayMenu(
      state({
        keys: [
          key('a/fine'),
          key('b/due', { marker: 'due' }),
          key('c/retiring', { marker: 'retiring' }),
          key('d/refused', { marker: 'refused' }),
          key('e/overdue', { marker: 'overdue' }),
        ],
      }),
    );
    const keyItems = menu.filter((i) => i.action?.kind === 'open-key');
    expect(keyItems.map((i) => i.label)).toEqual([
      '⚠ d/refused — refused by the vendor',
      '⚠ e/overdue — rotation overdue',
      '⚠ c/retiring — old key not revoked yet',
      '⚠ b/due — rotation due soon',
      'a/fine',
    ]);
    expect(keyItems[0]?.action).toEqual({ kind: 'open-key', ref: 'd/refused' });
  });

  it('Rotate: one click for API vendors, the window for guided ones, none while rotating', () => {
    const menu = buildTrayMenu(
      state({
        keys: [
          key('team/agent'),
          key('me/specivo', { oneClickRotate: false }),
          key('team/busy', { rotating: true }),
        ],
      }),
    );
    const rotate = find(menu, 'Rotate');
    expect(rotate?.type).toBe('submenu');
    expect(rotate?.submenu).toEqual([
      {
        label: 'me/specivo (paste the new key)…',
        enabled: true,
        action: { kind: 'rotate-guided', ref: 'me/specivo' },
      },
      { label: 'team/agent', enabled: true, action: { kind: 'rotate', ref: 'team/agent' } },
      { label: 'team/busy', enabled: false, action: { kind: 'rotate', ref: 'team/busy' } },
    ]);
    expect(find(menu, 'team/busy')?.label).toBe('team/busy — rotating…');
  });

  it('with no keys says what to do and disables Rotate', () => {
    const menu = buildTrayMenu(state({ keys: [], connections: [] }));
    expect(find(menu, 'No keys yet')).toMatchObject({ enabled: false });
    expect(find(menu, 'Rotate')).toMatchObject({ enabled: false, submenu: [] });
    expect(find(menu, 'Copy proxy URL')).toMatchObject({
      label: 'Copy proxy URL (no connections yet)',
      enabled: false,
    });
  });

  it('Copy proxy URL becomes a submenu with several connections', () => {
    const menu = buildTrayMenu(
      state({
        connections: [
          { slug: 'a', url: 'http://127.0.0.1:1/mcp/a' },
          { slug: 'b', url: 'http://127.0.0.1:1/mcp/b' },
        ],
      }),
    );
    expect(find(menu, 'Copy proxy URL')?.submenu).toEqual([
      { label: 'a', action: { kind: 'copy-url', url: 'http://127.0.0.1:1/mcp/a' } },
      { label: 'b', action: { kind: 'copy-url', url: 'http://127.0.0.1:1/mcp/b' } },
    ]);
  });

  it('caps the key list and points to the window for the rest', () => {
    const many = Array.from({ length: TRAY_KEY_LIMIT + 3 }, (_, i) =>
      key(`acct/k${String(i).padStart(2, '0')}`),
    );
    const menu = buildTrayMenu(state({ keys: many }));
    expect(menu.filter((i) => i.action?.kind === 'open-key')).toHaveLength(TRAY_KEY_LIMIT);
    expect(find(menu, '… and 3 more')?.action).toEqual({ kind: 'open' });
    expect(find(menu, 'Rotate')?.submenu).toHaveLength(TRAY_KEY_LIMIT + 3);
  });

  it('pause/resume follows the proxy and is enabled only when the service can pause it', () => {
    expect(find(buildTrayMenu(state()), 'Pause proxy')).toMatchObject({ enabled: false });
    const paused = state({
      canPauseProxy: true,
      proxy: { running: false, paused: true, port: 8931 },
    });
    expect(find(buildTrayMenu(paused), 'Resume proxy')).toMatchObject({
      enabled: true,
      action: { kind: 'toggle-proxy' },
    });
    expect(proxyLabel(paused)).toBe('Proxy paused');
    expect(proxyLabel(state({ proxy: { running: false, paused: false, port: null } }))).toBe(
      'Proxy stopped',
    );
  });
});

describe('tray icon and tooltip', () => {
  it('shows the attention icon for refused, overdue, retiring or waiting keys, or a stopped proxy', () => {
    expect(trayIconState(state())).toBe('normal');
    expect(trayIconState(state({ keys: [key('a/b', { marker: 'due' })] }))).toBe('normal');
    for (const marker of ['refused', 'overdue', 'retiring', 'waiting'] as const)
      expect(trayIconState(state({ keys: [key('a/b', { marker })] })), marker).toBe('attention');
    expect(trayIconState(state({ proxy: { running: false, paused: false, port: null } }))).toBe(
      'attention',
    );
    expect(trayIconState(state({ proxy: { running: false, paused: true, port: null } }))).toBe(
      'normal',
    );
  });

  it('says how many keys need attention', () => {
    expect(trayTooltip(state())).toBe('Keyway — Proxy running on 127.0.0.1:8931; 1 key');
    expect(
      trayTooltip(
        state({ keys: [key('a/b', { marker: 'refused' }), key('c/d', { marker: 'retiring' })] }),
      ),
    ).toBe('Keyway — Proxy running on 127.0.0.1:8931; 2 keys, 2 need attention');
  });

  it('uses template images on macOS and colour icons elsewhere, all present in resources/', () => {
    const resources = join(import.meta.dirname, '../../../resources');
    for (const platform of ['darwin', 'linux', 'win32'] as const) {
      for (const s of ['normal', 'attention'] as const) {
        const file = trayIconFile(platform, s);
        expect(existsSync(join(resources, file)), file).toBe(true);
        expect(existsSync(join(resources, file.replace('.png', '@2x.png'))), file).toBe(true);
        expect(file.includes('Template')).toBe(platform === 'darwin');
      }
    }
  });
});

describe('toElectronMenu', () => {
  it('binds each action to a click and keeps separators, labels and enabled flags', () => {
    const run = vi.fn();
    const menu = toElectronMenu(buildTrayMenu(state({ keys: [key('a/b')] })), run);
    expect(menu[1]).toEqual({ type: 'separator' });
    const rotate = menu.find((m) => m.label === 'Rotate');
    const first = (rotate?.submenu as Array<{ click?: () => void }>)[0];
    first?.click?.();
    expect(run).toHaveBeenCalledWith({ kind: 'rotate', ref: 'a/b' });
    expect(menu[0]).toMatchObject({ label: 'Proxy running on 127.0.0.1:8931', enabled: false });
    expect(menu[0]?.click).toBeUndefined();
  });
});

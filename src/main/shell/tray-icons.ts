import type { MenuItemConstructorOptions } from 'electron';
import type { TrayAction, TrayMenuItem } from './tray-menu';

/**
 * The icon file for a platform and state. macOS gets template images (black + alpha, tinted
 * by the menu bar); Electron picks the @2x file next to each on HiDPI screens by itself.
 */
export function trayIconFile(platform: NodeJS.Platform, state: 'normal' | 'attention'): string {
  if (platform === 'darwin')
    return state === 'attention' ? 'trayAttentionTemplate.png' : 'trayTemplate.png';
  return state === 'attention' ? 'tray-attention.png' : 'tray.png';
}

/** Our serialisable template → Electron's, with each action bound to `run`. */
export function toElectronMenu(
  items: TrayMenuItem[],
  run: (action: TrayAction) => void,
): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    const action = item.action;
    return {
      label: item.label ?? '',
      enabled: item.enabled ?? true,
      ...(item.submenu ? { submenu: toElectronMenu(item.submenu, run) } : {}),
      ...(action ? { click: () => run(action) } : {}),
    };
  });
}

import { createStore, type StoreApi } from 'zustand/vanilla';

export const SCREENS = [
  'overview',
  'keys',
  'accounts',
  'create',
  'connections',
  'activity',
  'settings',
] as const;
export type Screen = (typeof SCREENS)[number];

export type ThemeChoice = 'system' | 'light' | 'dark';

export type Dialog =
  | { kind: 'rotate'; ref: string }
  | { kind: 'revoke'; ref: string }
  | { kind: 'rotation-period'; ref: string }
  | { kind: 'add-client'; connection: string }
  | { kind: 'client-setup'; client: string }
  | null;

export interface UiState {
  screen: Screen;
  dialog: Dialog;
  theme: ThemeChoice;
  /** A key to bring into view on the Keys screen (attention list, a notification click). */
  focusKey: string | null;
  go(screen: Screen): void;
  /** Opens the Keys screen at one key. */
  showKey(ref: string): void;
  open(dialog: Exclude<Dialog, null>): void;
  close(): void;
  setTheme(theme: ThemeChoice): void;
}

export type UiStore = StoreApi<UiState>;

const THEME_KEY = 'keyway.theme';

export interface ThemeStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function createUiStore(
  storage: ThemeStorage | null,
  firstScreen: Screen = 'overview',
): UiStore {
  const saved = storage?.getItem(THEME_KEY);
  const theme: ThemeChoice = saved === 'light' || saved === 'dark' ? saved : 'system';
  return createStore<UiState>()((set) => ({
    screen: firstScreen,
    dialog: null,
    theme,
    focusKey: null,
    go: (screen) => set({ screen, dialog: null, focusKey: null }),
    showKey: (ref) => set({ screen: 'keys', dialog: null, focusKey: ref }),
    open: (dialog) => set({ dialog }),
    close: () => set({ dialog: null }),
    setTheme(next) {
      storage?.setItem(THEME_KEY, next);
      set({ theme: next });
    },
  }));
}

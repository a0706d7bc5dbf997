import { createStore, type StoreApi } from 'zustand/vanilla';

export type Screen = 'keys' | 'create' | 'connections' | 'activity' | 'settings';
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
  go(screen: Screen): void;
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

export function createUiStore(storage: ThemeStorage | null): UiStore {
  const saved = storage?.getItem(THEME_KEY);
  const theme: ThemeChoice = saved === 'light' || saved === 'dark' ? saved : 'system';
  return createStore<UiState>()((set) => ({
    screen: 'keys',
    dialog: null,
    theme,
    go: (screen) => set({ screen, dialog: null }),
    open: (dialog) => set({ dialog }),
    close: () => set({ dialog: null }),
    setTheme(next) {
      storage?.setItem(THEME_KEY, next);
      set({ theme: next });
    },
  }));
}

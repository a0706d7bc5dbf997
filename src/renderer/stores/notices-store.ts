import { createStore, type StoreApi } from 'zustand/vanilla';

export type NoticeTone = 'info' | 'success' | 'error';

export interface Notice {
  id: number;
  tone: NoticeTone;
  text: string;
}

export interface NoticesState {
  notices: Notice[];
  push: (tone: NoticeTone, text: string) => void;
  dismiss: (id: number) => void;
}

export type NoticesStore = StoreApi<NoticesState>;

/** Errors stay until dismissed; good news fades, since nobody needs to act on it. */
export function createNoticesStore(fadeMs = 6000): NoticesStore {
  let seq = 0;
  return createStore<NoticesState>()((set, get) => ({
    notices: [],
    push(tone, text) {
      const id = ++seq;
      set({ notices: [...get().notices, { id, tone, text }].slice(-5) });
      if (tone !== 'error') setTimeout(() => get().dismiss(id), fadeMs);
    },
    dismiss(id) {
      set({ notices: get().notices.filter((n) => n.id !== id) });
    },
  }));
}

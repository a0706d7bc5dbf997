import { isWindowRoute, NAVIGATE_CHANNEL, type WindowRoute } from '../shared/window-route';

export interface WindowIpc {
  on(channel: string, listener: (event: unknown, route: unknown) => void): void;
  removeListener(channel: string, listener: (event: unknown, route: unknown) => void): void;
}

/** Main asks the open window to show a screen or a key (a notification or tray click). */
export interface KeywayWindowBridge {
  onNavigate(listener: (route: WindowRoute) => void): () => void;
}

export function buildWindowApi(ipc: WindowIpc): KeywayWindowBridge {
  return {
    onNavigate(listener) {
      const wrapped = (_e: unknown, route: unknown) => {
        if (isWindowRoute(route)) listener(route);
      };
      ipc.on(NAVIGATE_CHANNEL, wrapped);
      return () => ipc.removeListener(NAVIGATE_CHANNEL, wrapped);
    },
  };
}

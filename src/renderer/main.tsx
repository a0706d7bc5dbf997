import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { pickClient } from './api/pick-client';
import { App } from './app';
import { NoAccess } from './no-access';
import { createStores, loadAll } from './stores';
import { StoresContext } from './stores/hooks';
import { wireEvents } from './stores/wire-events';
import { routeFromQuery, type WindowRoute } from '../shared/window-route';
import type { UiStore } from './stores/ui-store';
import './styles/theme.css';
import './styles/layout.css';
import './styles/controls.css';
import './styles/tables.css';
import './styles/notes.css';
import './styles/wizard.css';
import './styles/rotation.css';
import './styles/dialogs.css';
import './styles/overview.css';

function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

const root = document.getElementById('root');
if (root) {
  const view = createRoot(root);
  let unwire: (() => void) | undefined;
  // A refused token (a link from an earlier start) is a page of its own, not an app full of
  // empty lists: nothing on it could load.
  const refused = () => {
    unwire?.();
    view.render(<NoAccess refused />);
  };
  const client = pickClient(window, refused);
  if (!client) {
    view.render(<NoAccess />);
  } else {
    const stores = createStores(client, safeStorage());
    // `?screen=keys&key=team%2Fagent`: the desktop opens the window at a notification's key;
    // a bookmark (or the UI benchmark) opens another first screen.
    const first = routeFromQuery(window.location.search);
    if (first) follow(stores.ui, first);
    window.keywayWindow?.onNavigate((route) => follow(stores.ui, route));
    unwire = wireEvents(stores);
    void loadAll(stores);
    view.render(
      <StrictMode>
        <StoresContext.Provider value={stores}>
          <App />
        </StoresContext.Provider>
      </StrictMode>,
    );
  }
}

function follow(ui: UiStore, route: WindowRoute): void {
  if ('key' in route) ui.getState().showKey(route.key);
  else ui.getState().go(route.screen);
}

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { pickClient } from './api/pick-client';
import { App } from './app';
import { NoAccess } from './no-access';
import { createStores, loadAll } from './stores';
import { StoresContext } from './stores/hooks';
import { isScreen } from './stores/ui-store';
import { wireEvents } from './stores/wire-events';
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
  const client = pickClient(window);
  if (!client) {
    createRoot(root).render(<NoAccess />);
  } else {
    // `?screen=keys` opens another first screen (a bookmark, the UI benchmark).
    const asked = new URLSearchParams(window.location.search).get('screen');
    const stores = createStores(client, safeStorage(), isScreen(asked) ? asked : undefined);
    wireEvents(stores);
    void loadAll(stores);
    createRoot(root).render(
      <StrictMode>
        <StoresContext.Provider value={stores}>
          <App />
        </StoresContext.Provider>
      </StrictMode>,
    );
  }
}

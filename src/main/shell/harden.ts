import { shell, type App, type Session } from 'electron';
import { trustedUrl } from './ipc';
import { externalUrlAllowed, permissionAllowed, rendererCsp } from './csp';

/**
 * Window hardening beyond windowOptions: a strict CSP header, no permissions but clipboard
 * writes, no navigation away from our renderer, and links (vendor dashboards) opened in the
 * user's browser instead of a new Electron window.
 */
export function hardenSessions(app: App, session: Session, devServerUrl: string | undefined): void {
  const csp = rendererCsp(devServerUrl);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] },
    });
  });
  session.setPermissionRequestHandler((_wc, permission, callback) =>
    callback(permissionAllowed(permission)),
  );
  session.setPermissionCheckHandler((_wc, permission) => permissionAllowed(permission));
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!trustedUrl(url, devServerUrl)) event.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      if (externalUrlAllowed(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

/**
 * Electron entry: composition only. The core runs exactly as under `keyway serve`; this file
 * adds the window, IPC, tray, notifications, login item and the single-instance rule around it.
 */
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Notification,
  session,
  shell,
} from 'electron';
import { startKeyway, type KeywayRuntime } from './core/keyway-runtime';
import { copyWithExpiry } from './shell/clipboard';
import { hardenSessions } from './shell/harden';
import { registerIpc, trustedUrl } from './shell/ipc';
import { createNotifier } from './shell/notifier';
import type { NotificationSpec } from './shell/notifications';
import { KeywayTray } from './shell/tray';
import { TrayController } from './shell/tray-controller';
import type { TrayAction } from './shell/tray-menu';
import { windowOptions } from './shell/window-options';
import { askAfterFailure, startupFacts } from './shell/startup-dialog';
import {
  NAVIGATE_CHANNEL,
  routeForNotification,
  routeQuery,
  type WindowRoute,
} from '../shared/window-route';
import { proxyPort, savedProxyPort } from './core/proxy-port';
import { EVENT_CHANNEL } from '../shared/ipc-channels';
import { KEYWAY_VERSION } from '../shared/version';

let runtime: KeywayRuntime | undefined;
let window: BrowserWindow | undefined;
let tray: KeywayTray | undefined;
let quitting = false;
const devServer = process.env.ELECTRON_RENDERER_URL;
const resourcesDir = join(app.getAppPath(), 'resources');

/** Shows the window (creating it the first time), at `route` when given. */
function showWindow(route?: WindowRoute): void {
  if (window) {
    if (route) window.webContents.send(NAVIGATE_CHANNEL, route);
    window.show();
    window.focus();
    return;
  }
  window = new BrowserWindow({
    ...windowOptions(join(import.meta.dirname, '../preload/index.cjs')),
    icon: join(resourcesDir, 'icon.png'),
  });
  window.on('close', (event) => {
    // Closing hides to the tray; Quit (tray or app menu) really quits.
    if (!quitting) {
      event.preventDefault();
      window?.hide();
    }
  });
  window.once('ready-to-show', () => window?.show());
  // A first load at a route carries it in the query; the renderer reads it before its first paint.
  const search = route ? routeQuery(route) : undefined;
  if (devServer) void window.loadURL(search ? `${devServer}?${search}` : devServer);
  else
    void window.loadFile(join(import.meta.dirname, '../renderer/index.html'), {
      ...(search ? { search } : {}),
    });
}

function notify(spec: NotificationSpec): void {
  if (!Notification.isSupported()) return;
  const n = new Notification({ title: spec.title, body: spec.body, urgency: spec.urgency });
  n.on('click', () => showWindow(routeForNotification(spec)));
  n.show();
}

function setLoginItem(enabled: boolean): void {
  if (app.getLoginItemSettings().openAtLogin !== enabled)
    app.setLoginItemSettings({ openAtLogin: enabled });
}

/** At start, the OS login item follows the saved setting (it may have been changed elsewhere). */
async function applyLoginItem(rt: KeywayRuntime): Promise<void> {
  const settings = await rt.service.api['settings.get']({}).catch((err: unknown) => {
    rt.log.warn('could not read the settings; the login item stays as the OS has it', err);
    return null;
  });
  if (settings) setLoginItem(settings.launchAtLogin);
}

function startShell(rt: KeywayRuntime): void {
  registerIpc(ipcMain, rt.service, (event) => trustedUrl(event.senderFrame?.url ?? '', devServer));
  const onEvent = createNotifier(notify);
  rt.events.subscribe((event) => {
    for (const w of BrowserWindow.getAllWindows()) w.webContents.send(EVENT_CHANNEL, event);
    onEvent(event);
  });
  void applyLoginItem(rt);

  let controller: TrayController | undefined = undefined;
  const run = (action: TrayAction): void => {
    switch (action.kind) {
      case 'open':
        return showWindow();
      case 'open-key':
      case 'rotate-guided':
        return showWindow({ screen: 'keys', key: action.ref });
      case 'rotate':
        void controller?.rotate(action.ref);
        return;
      case 'copy-url':
        void clipboard.writeText(action.url);
        return;
      case 'toggle-proxy':
        void controller?.toggleProxy();
        return;
      case 'quit':
        return app.quit();
    }
  };
  tray = new KeywayTray(resourcesDir, run);
  controller = new TrayController({
    api: rt.service.api,
    subscribe: (listener) => rt.events.subscribe(listener),
    view: tray,
    canPauseProxy: true,
    onRotateError: (ref, message) =>
      notify({
        tag: `rotate-error:${ref}`,
        title: `Rotation of ${ref} did not start`,
        body: message,
        urgency: 'critical',
        openKey: ref,
      }),
  });
  controller.start();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // A second launch (from the menu, a login item) focuses the one already running.
  app.on('second-instance', () => showWindow());
  app.on('before-quit', () => {
    quitting = true;
  });
  // A tray app keeps running with no window open.
  app.on('window-all-closed', () => undefined);
  app.on('will-quit', (event) => {
    tray?.destroy();
    tray = undefined;
    if (!runtime) return;
    event.preventDefault();
    const closing = runtime;
    runtime = undefined;
    void closing.close().finally(() => app.quit());
  });
  void app.whenReady().then(async () => {
    hardenSessions(app, session.defaultSession, devServer);
    runtime = await startWithDialogs();
    if (!runtime) return app.quit();
    startShell(runtime);
    showWindow();
  });
}

/**
 * Starts the core; when it cannot, a dialog says why and what to do (install, unlock, another
 * port, the corrupt file) and the user's choice is carried out. Undefined: the user quit.
 */
async function startWithDialogs(): Promise<KeywayRuntime | undefined> {
  const dataDir = process.env.KEYWAY_DATA_DIR ?? app.getPath('userData');
  // KEYWAY_PORT wins; without it the saved setting (Settings → Proxy port), else 8931.
  let port: number | undefined = process.env.KEYWAY_PORT
    ? Number(process.env.KEYWAY_PORT)
    : undefined;
  for (;;) {
    try {
      return await startKeyway({
        dataDir,
        port,
        owner: 'Keyway desktop',
        version: KEYWAY_VERSION,
        rendererDir: join(import.meta.dirname, '../renderer'),
        // What only the desktop can do: the key goes to the clipboard from main (never to the
        // renderer) and is cleared after 30 s; settings.update toggles the OS login item.
        log: 'file',
        shell: { copyToClipboard: copyWithExpiry(clipboard), setLaunchAtLogin: setLoginItem },
      });
    } catch (err) {
      const choice = await askAfterFailure(
        { dialog, shell },
        err,
        await startupFacts(dataDir, proxyPort(port, await savedProxyPort(dataDir))),
      );
      if (choice.id === 'quit' || choice.id === 'show-file') return undefined;
      if (choice.id === 'use-port') port = choice.port;
    }
  }
}

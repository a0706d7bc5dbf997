/**
 * Electron entry: composition only. The core runs exactly as under `keyway serve`; this file
 * adds the window, IPC and the single-instance rule around it.
 */
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain } from 'electron';
import { startKeyway, type KeywayRuntime } from './core/keyway-runtime';
import { registerIpc, trustedUrl } from './shell/ipc';
import { windowOptions } from './shell/window-options';
import { EVENT_CHANNEL } from '../shared/ipc-channels';
import { KEYWAY_VERSION } from '../cli/version';

let runtime: KeywayRuntime | undefined;
let window: BrowserWindow | undefined;
let quitting = false;

function showWindow(): void {
  if (window) {
    window.show();
    window.focus();
    return;
  }
  window = new BrowserWindow(windowOptions(join(import.meta.dirname, '../preload/index.cjs')));
  window.on('close', (event) => {
    // Closing hides to the tray; Quit (tray or app menu) really quits.
    if (!quitting) {
      event.preventDefault();
      window?.hide();
    }
  });
  window.once('ready-to-show', () => window?.show());
  const dev = process.env.ELECTRON_RENDERER_URL;
  if (dev) void window.loadURL(dev);
  else void window.loadFile(join(import.meta.dirname, '../renderer/index.html'));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', showWindow);
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('will-quit', (event) => {
    if (!runtime) return;
    event.preventDefault();
    const closing = runtime;
    runtime = undefined;
    void closing.close().finally(() => app.quit());
  });
  void app.whenReady().then(async () => {
    runtime = await startKeyway({
      dataDir: process.env.KEYWAY_DATA_DIR ?? app.getPath('userData'),
      port: Number(process.env.KEYWAY_PORT ?? 8931),
      owner: 'Keyway desktop',
      version: KEYWAY_VERSION,
      rendererDir: join(import.meta.dirname, '../renderer'),
    });
    const dev = process.env.ELECTRON_RENDERER_URL;
    registerIpc(ipcMain, runtime.service, (event) => trustedUrl(event.senderFrame?.url ?? '', dev));
    runtime.events.subscribe((event) => {
      for (const w of BrowserWindow.getAllWindows()) w.webContents.send(EVENT_CHANNEL, event);
    });
    showWindow();
  });
}

/**
 * The Electron side of a failed start: gather the facts, show the dialog, carry out the choice.
 * Only type-checked here (no Electron binary in CI); the decisions are in startup-failure.ts.
 */
import { readFileSync } from 'node:fs';
import type { Dialog, Shell } from 'electron';
import { readDiscovery } from '../core/discovery';
import { processAlive } from '../core/process-alive';
import { startupDialog, type StartupAction, type StartupFacts } from './startup-failure';

export async function startupFacts(dataDir: string, port: number): Promise<StartupFacts> {
  let linuxIds = '';
  if (process.platform === 'linux') {
    try {
      const release = readFileSync('/etc/os-release', 'utf8');
      linuxIds = [...release.matchAll(/^(?:ID|ID_LIKE)="?([^"\n]*)"?$/gm)]
        .map((m) => m[1])
        .join(' ');
    } catch {
      // No os-release: the dialog names no package manager.
    }
  }
  const found = await readDiscovery(dataDir);
  const sameport = found && new URL(found.url).port === String(port);
  const portOwner =
    found && sameport && found.pid !== process.pid && processAlive(found.pid)
      ? { pid: found.pid, dataDir }
      : null;
  return { platform: process.platform, linuxIds, port, portOwner };
}

/** Shows why the start failed; resolves to what the user chose. */
export async function askAfterFailure(
  electron: { dialog: Pick<Dialog, 'showMessageBox'>; shell: Pick<Shell, 'showItemInFolder'> },
  err: unknown,
  facts: StartupFacts,
): Promise<StartupAction> {
  const d = startupDialog(err, facts);
  const quit = d.actions.findIndex((a) => a.id === 'quit');
  const { response } = await electron.dialog.showMessageBox({
    type: 'error',
    title: d.title,
    message: d.message,
    detail: d.detail,
    buttons: d.actions.map((a) => a.label),
    defaultId: 0,
    cancelId: quit,
    noLink: true,
  });
  const chosen = d.actions[response] ?? d.actions[quit] ?? { id: 'quit', label: 'Quit' };
  if (chosen.id === 'show-file') electron.shell.showItemInFolder(chosen.file);
  return chosen;
}

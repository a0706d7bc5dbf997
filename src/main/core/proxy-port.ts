import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { STORE_FILE } from './store/store-document';

export const DEFAULT_PROXY_PORT = 8931;
/** Below this, binding needs administrator rights on most systems: the setting refuses it. */
export const MIN_PROXY_PORT = 1024;

/**
 * The port Keyway listens on: the one given at start (`--port`, `KEYWAY_PORT`) wins, then the
 * saved setting (Settings → Proxy port), then 8931. A saved port below 1024 (written before
 * the setting refused those) is ignored rather than failing every start.
 */
export function proxyPort(explicit: number | undefined, saved: number | undefined): number {
  if (explicit !== undefined) return explicit;
  if (saved !== undefined && saved >= MIN_PROXY_PORT && saved <= 65535) return saved;
  return DEFAULT_PROXY_PORT;
}

/**
 * The saved setting, read without opening the store (no lock, nothing written): for what a
 * start-up that failed tells the user. Undefined when there is none or it cannot be read.
 */
export async function savedProxyPort(dataDir: string): Promise<number | undefined> {
  try {
    const doc = JSON.parse(await readFile(join(dataDir, STORE_FILE), 'utf8')) as {
      settings?: { proxyPort?: unknown };
    };
    const port = doc.settings?.proxyPort;
    return typeof port === 'number' ? port : undefined;
  } catch {
    return undefined;
  }
}

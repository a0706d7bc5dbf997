import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './store/atomic-file';

/**
 * How the CLI and the bridge find the running instance. It holds no secret: the control token
 * lives in the OS keychain, so a copy of the data directory never grants access.
 */
interface Discovery {
  url: string;
  pid: number;
  startedAt: string;
}

const DISCOVERY_FILE = 'discovery.json';

function discoveryPath(dataDir: string): string {
  return join(dataDir, DISCOVERY_FILE);
}

export async function writeDiscovery(dataDir: string, discovery: Discovery): Promise<void> {
  await writeFileAtomic(discoveryPath(dataDir), JSON.stringify(discovery, null, 2) + '\n', 0o600);
}

/** Undefined when no instance has announced itself (or the file is unreadable). */
export async function readDiscovery(dataDir: string): Promise<Discovery | undefined> {
  try {
    const parsed = JSON.parse(await readFile(discoveryPath(dataDir), 'utf8')) as Partial<Discovery>;
    if (typeof parsed.url !== 'string' || typeof parsed.pid !== 'number') return undefined;
    return { url: parsed.url, pid: parsed.pid, startedAt: String(parsed.startedAt ?? '') };
  } catch {
    return undefined;
  }
}

export async function removeDiscovery(dataDir: string): Promise<void> {
  await rm(discoveryPath(dataDir), { force: true });
}

import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { KeywayError } from '../../../shared/errors';
import { processAlive } from '../process-alive';

const LOCK_FILE = 'keyway.lock';

/**
 * One instance owns a data directory at a time. The lock file names its owner's pid; a lock
 * left by a dead process (a crash, SIGKILL) is taken over, a live owner is reported by pid.
 */
export class DataDirLock {
  private constructor(private readonly path: string) {}

  static async acquire(dataDir: string, owner: string): Promise<DataDirLock> {
    const path = join(dataDir, LOCK_FILE);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const handle = await open(path, 'wx', 0o600);
        await handle.writeFile(
          JSON.stringify({ pid: process.pid, owner, since: new Date().toISOString() }),
        );
        await handle.close();
        return new DataDirLock(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = await readHolder(path);
      if (holder && holder.pid !== process.pid && processAlive(holder.pid)) {
        throw new KeywayError(
          'conflict',
          `Another Keyway (${holder.owner}, pid ${holder.pid}) is already using the data directory ${dataDir}. ` +
            'Use that instance (the CLI talks to it), stop it, or pass --data-dir for a separate one.',
        );
      }
      // Stale: its owner is gone. Remove it and race for it again.
      await rm(path, { force: true });
    }
    throw new KeywayError(
      'conflict',
      `Could not take the lock on ${dataDir}; another Keyway is starting there.`,
    );
  }

  async release(): Promise<void> {
    const holder = await readHolder(this.path);
    if (holder?.pid === process.pid) await rm(this.path, { force: true });
  }
}

async function readHolder(path: string): Promise<{ pid: number; owner: string } | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { pid?: unknown; owner?: unknown };
    if (typeof parsed.pid !== 'number') return undefined;
    return { pid: parsed.pid, owner: typeof parsed.owner === 'string' ? parsed.owner : 'keyway' };
  } catch {
    // Empty or torn (killed between create and write): treat as stale.
    return undefined;
  }
}

import { lstat, open, readlink, realpath, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, basename, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface AtomicWriteOptions {
  /**
   * Keep a symlink at `path` a symlink: the file it points to is replaced (the temp file is made
   * beside that file). Off, a link at `path` is itself replaced by the new file.
   */
  followLink?: boolean;
  /** The temp name's random part; tests plant files to prove the exclusive open. */
  random?: () => string;
}

const TEMP_ATTEMPTS = 8;

/**
 * Write-then-rename with fsync of both the file and its directory: after a crash the path holds
 * either the old bytes or the new ones, never a torn or empty file. The temp file is created
 * exclusively (`O_EXCL`: never an existing file or a planted symlink) with mode 0600, gets its
 * final `mode` on its own handle, and only then takes the path's place: nothing is changed by
 * path name after the rename, so nothing can be redirected through a link swapped in meanwhile.
 */
export async function writeFileAtomic(
  path: string,
  data: string,
  mode = 0o600,
  opts: AtomicWriteOptions = {},
): Promise<void> {
  const target = opts.followLink ? await linkTarget(path) : path;
  const dir = dirname(target);
  const random = opts.random ?? (() => randomBytes(6).toString('hex'));
  const { tmp, file } = await openTemp(dir, basename(target), random);
  try {
    try {
      await file.writeFile(data, 'utf8');
      // The creation mode passed the umask; the handle gets exactly the mode meant.
      await file.chmod(mode);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

async function openTemp(
  dir: string,
  name: string,
  random: () => string,
): Promise<{ tmp: string; file: FileHandle }> {
  for (let attempt = 1; ; attempt++) {
    const tmp = join(dir, `.${name}.${process.pid}.${random()}.tmp`);
    try {
      return { tmp, file: await open(tmp, 'wx', 0o600) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= TEMP_ATTEMPTS) throw err;
    }
  }
}

/** The file a chain of symlinks ends at (which may not exist yet); `path` itself if no link. */
async function linkTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  // A dangling link (dotfiles checked out before the file exists): follow it by hand.
  let current = path;
  for (let hops = 0; hops < 40; hops++) {
    // Nothing there (yet): the path itself is where the file goes.
    const stat = await lstat(current).catch(() => undefined);
    if (!stat?.isSymbolicLink()) return current;
    current = resolve(dirname(current), await readlink(current));
  }
  throw Object.assign(new Error(`too many symlinks at ${path}`), { code: 'ELOOP' });
}

async function syncDir(dir: string): Promise<void> {
  // Directory fsync makes the rename itself durable; Windows cannot open directories, and
  // there the rename is already durable enough for our purposes.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

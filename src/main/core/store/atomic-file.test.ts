import {
  chmod,
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-file';
import { tempDataDir } from '../../../../test/support/keyway-process';

let dir: string;
beforeEach(async () => {
  dir = await tempDataDir('keyway-atomic-');
});

describe('writeFileAtomic', () => {
  it('never writes through a file or link already at its temp name (exclusive create)', async () => {
    const victim = join(dir, 'victim');
    await writeFile(victim, 'untouched');
    const names = ['planted', 'fresh'];
    const random = () => names.shift() ?? 'later';
    // What another local user could plant in a shared directory: a link at the temp name.
    await symlink(victim, join(dir, `.config.json.${process.pid}.planted.tmp`));
    await writeFileAtomic(join(dir, 'config.json'), '{"secret":1}', 0o600, { random });
    expect(await readFile(victim, 'utf8')).toBe('untouched');
    expect(await readFile(join(dir, 'config.json'), 'utf8')).toBe('{"secret":1}');
  });

  it('gives the file its mode before it takes the name, whatever the umask', async () => {
    const old = process.umask(0o077);
    try {
      await writeFileAtomic(join(dir, 'shared.json'), 'x', 0o644);
    } finally {
      process.umask(old);
    }
    expect((await stat(join(dir, 'shared.json'))).mode & 0o777).toBe(0o644);
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps a symlinked path a symlink and updates the file it points to, with followLink', async () => {
    const dotfiles = join(dir, 'dotfiles');
    const home = join(dir, 'home');
    await mkdir(dotfiles, { recursive: true });
    await mkdir(home, { recursive: true });
    const real = join(dotfiles, 'mcp.json');
    await writeFile(real, 'old');
    await chmod(real, 0o644);
    const link = join(home, 'mcp.json');
    await symlink('../dotfiles/mcp.json', link);
    await writeFileAtomic(link, 'new', 0o644, { followLink: true });
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe('../dotfiles/mcp.json');
    expect(await readFile(real, 'utf8')).toBe('new');
    expect((await stat(real)).mode & 0o777).toBe(0o644);
    // The temp file was made beside the target, and is gone.
    expect((await readdir(home)).sort()).toEqual(['mcp.json']);
    expect((await readdir(dotfiles)).sort()).toEqual(['mcp.json']);
  });

  it('follows a dangling link to create the file it names', async () => {
    const link = join(dir, 'cfg.toml');
    await symlink('cfg-real.toml', link);
    await writeFileAtomic(link, 'a = 1\n', 0o600, { followLink: true });
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(join(dir, 'cfg-real.toml'), 'utf8')).toBe('a = 1\n');
  });

  it('without followLink replaces a link at the path instead of writing through it', async () => {
    const victim = join(dir, 'victim');
    await writeFile(victim, 'untouched');
    const backup = join(dir, 'config.json.keyway-backup');
    await symlink(victim, backup);
    await writeFileAtomic(backup, 'backup text');
    expect((await lstat(backup)).isSymbolicLink()).toBe(false);
    expect(await readFile(victim, 'utf8')).toBe('untouched');
  });
});

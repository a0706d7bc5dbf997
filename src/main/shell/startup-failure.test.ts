import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KeywayError } from '../../shared/errors';
import { DataDirLock, LOCK_FILE } from '../core/store/data-dir-lock';
import { MetadataStore } from '../core/store/metadata-store';
import { STORE_FILE } from '../core/store/store-document';
import { installHelp, startupDialog, type StartupFacts } from './startup-failure';

const linux: StartupFacts = {
  platform: 'linux',
  linuxIds: 'ubuntu debian',
  port: 8931,
  portOwner: null,
};
const ids = (d: { actions: Array<{ id: string }> }) => d.actions.map((a) => a.id);

let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = '';
});

describe('startup failure → dialog', () => {
  it('no Secret Service: names the package for this Linux, offers Try again and Quit', () => {
    const err = new KeywayError(
      'keychain_unavailable',
      'Secret Service (D-Bus) cannot be reached: The name org.freedesktop.secrets was not provided by any .service files. Keyway needs a Secret Service on D-Bus: …',
    );
    const d = startupDialog(err, linux);
    expect(d.cause).toBe('no-secret-service');
    expect(d.detail).toContain('`sudo apt install gnome-keyring`');
    expect(d.detail).toContain(
      '(The name org.freedesktop.secrets was not provided by any .service files)',
    );
    expect(ids(d)).toEqual(['retry', 'quit']);
    expect(installHelp({ platform: 'linux', linuxIds: 'fedora' })).toContain(
      'sudo dnf install gnome-keyring',
    );
    expect(installHelp({ platform: 'linux', linuxIds: 'arch' })).toContain(
      'sudo pacman -S gnome-keyring',
    );
    expect(installHelp({ platform: 'linux', linuxIds: 'nixos' })).toContain(
      'such as gnome-keyring or KeePassXC',
    );
    expect(startupDialog(err, { ...linux, platform: 'darwin' }).detail).toContain('macOS Keychain');
  });

  it('a locked keychain: says how to unlock it on this OS, then Try again', () => {
    const err = new KeywayError(
      'keychain_unavailable',
      'macOS Keychain cannot be reached: User interaction is not allowed. Unlock your login keychain (Keychain Access → File → Unlock Keychain "login")',
    );
    const d = startupDialog(err, { ...linux, platform: 'darwin' });
    expect(d.cause).toBe('keychain-locked');
    expect(d.message).toBe('Your keychain is locked.');
    expect(d.detail).toContain('File → Unlock Keychain "login"');
    expect(ids(d)).toEqual(['retry', 'quit']);
  });

  it('the data directory held by `keyway serve`: names it and its pid (the real lock’s error)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kw-start-'));
    // A live process that is not us holds the lock: our parent.
    await writeFile(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid: process.ppid, owner: 'keyway serve' }),
    );
    const err = await DataDirLock.acquire(dir, 'Keyway desktop').catch((e: unknown) => e);
    const d = startupDialog(err, linux);
    expect(d.cause).toBe('data-dir-in-use');
    expect(d.message).toBe(`keyway serve (pid ${process.ppid}) is already using your Keyway data.`);
    expect(d.detail).toContain(dir);
  });

  it('the port taken by another Keyway: names its pid and offers a free port', async () => {
    const err = new KeywayError(
      'conflict',
      '127.0.0.1:8931 is already in use; choose another port with --port (0 = any free port)',
    );
    const d = startupDialog(err, {
      ...linux,
      portOwner: { pid: 4242, dataDir: '/home/u/.config/Keyway-work' },
    });
    expect(d.cause).toBe('port-in-use');
    expect(d.message).toBe(
      'Port 8931 is taken by another Keyway (pid 4242, data in /home/u/.config/Keyway-work).',
    );
    expect(d.actions[0]).toEqual({ id: 'use-port', label: 'Start on a free port', port: 0 });
    expect(ids(d)).toEqual(['use-port', 'retry', 'quit']);
    expect(startupDialog(err, linux).message).toBe('Port 8931 is taken by another program.');
  });

  it('the real server’s message for a taken port is recognised', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { KeywayServer } = await import('../core/http/keyway-server');
      const server = new KeywayServer({
        log: () => undefined,
        rendererDir: tmpdir(),
        routes: () => Promise.reject(new Error('not asked for')),
      });
      const err = await server.listen(port).catch((e: unknown) => e);
      expect(startupDialog(err, { ...linux, port }).cause).toBe('port-in-use');
    } finally {
      blocker.close();
    }
  });

  it('a corrupt store: the file and the reason, and Show in file manager (the real store’s error)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kw-start-'));
    await writeFile(join(dir, STORE_FILE), '{"version": 1, "accounts": [');
    const err = await MetadataStore.open(dir).catch((e: unknown) => e);
    const d = startupDialog(err, linux);
    expect(d.cause).toBe('corrupt-store');
    expect(d.message).toMatch(
      new RegExp(
        `^The store ${join(dir, STORE_FILE).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be read: it is not valid JSON`,
      ),
    );
    expect(d.actions[0]).toEqual({
      id: 'show-file',
      label: 'Show in file manager',
      file: join(dir, STORE_FILE),
    });
    expect(ids(d)).toEqual(['show-file', 'quit']);
  });

  it('anything else still gets a dialog with the error, never a silent exit', () => {
    const d = startupDialog(new Error('EACCES: permission denied, mkdir /x'), linux);
    expect(d.cause).toBe('unknown');
    expect(d.detail).toBe('EACCES: permission denied, mkdir /x');
    expect(ids(d)).toEqual(['retry', 'quit']);
  });
});

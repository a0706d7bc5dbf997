// The headless-Linux recipe in the README: a keyring whose files persist in the user's home,
// unlocked from a secret the admin provides at the start of each session, keeps Keyway's keys
// across a restart; a session that did not unlock it gets "unlock it with …", not "install".
import { spawnSync } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYWAY_BIN, tempDataDir } from '../support/keyway-process';

const ROOT = resolve(import.meta.dirname, '../..');
let home: string;

beforeAll(async () => {
  home = await tempDataDir('keyway-headless-');
  await mkdir(join(home, 'run'), { mode: 0o700 });
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

/** One login session: its own D-Bus, the same home; `unlock` runs the README's unlock line. */
function session(unlock: boolean, command: string): { code: number; out: string } {
  const start = unlock
    ? 'printf %s "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --replace --components=secrets >/dev/null 2>&1; '
    : '';
  const r = spawnSync(
    'dbus-run-session',
    [
      '--',
      'bash',
      '-c',
      `${start}gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1; ${command}`,
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        HOME: home,
        XDG_DATA_HOME: join(home, '.local/share'),
        XDG_RUNTIME_DIR: join(home, 'run'),
        XDG_CONFIG_HOME: join(home, '.config'),
        KEYRING_PASSWORD: 'admin-provided secret',
        KEYWAY_DATA_DIR: join(home, 'keyway'),
      },
    },
  );
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

describe('headless Linux: keys survive a restart', () => {
  it('stored in one session, read in the next after unlocking; a locked keyring says how to unlock', () => {
    const probe = (op: 'set' | 'get') =>
      `node -e "const {AsyncEntry}=require('@napi-rs/keyring');const e=new AsyncEntry('keyway','headless-probe',{linux:{store:'secret-service'}});(${op === 'set' ? "e.setPassword('kept',AbortSignal.timeout(10000)).then(()=>e.getPassword(AbortSignal.timeout(10000)))" : 'e.getPassword(AbortSignal.timeout(10000))'}).then(v=>console.log('value='+v),err=>console.log('error='+err.message))"`;
    expect(session(true, probe('set')).out).toContain('value=kept');
    // "Restart": a new D-Bus session and daemon, the same files in the home directory.
    expect(session(true, probe('get')).out).toContain('value=kept');
    // Nobody unlocked it this time: serve refuses to start, and says what to do.
    const locked = session(false, `timeout 50 node ${KEYWAY_BIN} serve --port 0`);
    expect(locked.code).not.toBe(0);
    expect(locked.out).toMatch(/keyring is locked/);
    expect(locked.out).toMatch(
      /unlock it with `printf %s "\$KEYRING_PASSWORD" \| gnome-keyring-daemon --unlock/,
    );
    expect(locked.out).not.toMatch(/apt-get install gnome-keyring/);
  });
});

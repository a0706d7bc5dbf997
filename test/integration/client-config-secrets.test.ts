// Secrets that leave an AI client's config file leave its backup too (issue 19, items 12 and
// 14), against a real `keyway serve --sandbox`: adopt's backup, adopt --rotate at Quave (which
// mints by API), the backup of `client config --uninstall`, and a config file that is a symlink.
import { lstat, mkdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxKey, type SandboxKeyway } from '../fixtures/keyway-sandbox';
import { configArgs, useSandboxKeyway } from '../support/client-config-rig';
import { initializeStatus } from '../support/mcp-initialize';

let kw: SandboxKeyway;
let dir: string;
useSandboxKeyway('keyway-config-secrets-', (k, d) => ([kw, dir] = [k, d]));

describe('no secret the operation removed stays in a backup', () => {
  it('adopt --rotate: the backup names the key instead of the secret, and the plaintext key is rotated out', async () => {
    const quave = kw.vendors.quave;
    const { secret } = await sandboxKey(quave, { scopes: ['quave:read'], name: 'pasted' });
    const file = join(dir, 'cursor.json');
    const before =
      JSON.stringify(
        { mcpServers: { quave: { url: quave.mcpUrl, headers: { Authorization: secret } } } },
        null,
        2,
      ) + '\n';
    await writeFile(file, before);
    const r = await kw.run(['adopt', '--for', 'cursor', '--config', file, '--rotate']);
    expect(r.code, r.stderr).toBe(0);
    const backup = await readFile(`${file}.keyway-backup`, 'utf8');
    expect(backup).not.toContain(secret);
    const key = /moved-to-keyway:(demo\/[\w.-]+)/.exec(backup)?.[1] ?? '';
    expect(backup).toBe(before.replace(secret, `moved-to-keyway:${key}`));
    expect(r.stdout).toContain(`these secrets were in plaintext in ${file}; anyone who`);
    expect(r.stdout + r.stderr).not.toContain(secret);
    // Rotated: the connection now carries a key Keyway minted, not the one from the file. The
    // pasted key's id at Quave is unknown to Keyway, so the user is told to delete it there.
    expect(r.stdout).toContain(
      `${key}: rotated (a new key is in use); delete the old one in the vendor's dashboard`,
    );
    const keys = await kw.json<Array<{ ref: string; version: { fingerprint: string } }>>([
      'key',
      'ls',
    ]);
    const { createHash } = await import('node:crypto');
    const pastedFp = createHash('sha256').update(secret).digest('hex').slice(0, 8);
    expect(keys.find((k) => k.ref === key)?.version.fingerprint).not.toBe(pastedFp);
  });

  it('client config --uninstall: the backup does not keep the live local token', async () => {
    const file = join(dir, 'uninstall.json');
    await writeFile(file, '{\n  "mcpServers": {}\n}\n');
    const args = ['client', 'config', 'demo-client', '--for', 'cursor', '--config', file];
    const install = await kw.run([...args, '--install']);
    expect(install.code, install.stderr).toBe(0);
    const installed = JSON.parse(await readFile(file, 'utf8')) as {
      mcpServers: Record<string, { headers: { Authorization: string } }>;
    };
    const token = Object.values(installed.mcpServers)[0]!.headers.Authorization.slice(7);
    expect(await initializeStatus(kw.demo!.url, token)).toBe(200);
    const un = await kw.run([...args, '--uninstall']);
    expect(un.code, un.stderr).toBe(0);
    expect(un.stdout).toContain('token still works until `keyway client revoke demo-client`');
    const backup = await readFile(`${file}.keyway-backup`, 'utf8');
    expect(backup).not.toContain(token);
    expect(backup).toContain('Bearer removed-by-keyway');
  });

  it('a config file that is a symlink (dotfiles) stays a symlink; the file it points to is updated', async () => {
    const dotfiles = join(dir, 'dotfiles');
    const home = join(dir, 'home');
    await mkdir(dotfiles);
    await mkdir(home);
    const real = join(dotfiles, 'mcp.json');
    await writeFile(real, '{\n  "mcpServers": {}\n}\n');
    const link = join(home, 'mcp.json');
    await symlink('../dotfiles/mcp.json', link);
    const r = await kw.run(configArgs('demo-client', 'cursor', '--install', link));
    expect(r.code, r.stderr).toBe(0);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe('../dotfiles/mcp.json');
    expect(await readFile(real, 'utf8')).toContain(kw.demo!.url);
    expect(((await lstat(real)).mode & 0o777).toString(8)).toBe('600');
  });
});

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  controlToken,
  runKeyway,
  startServe,
  tempDataDir,
  type ServeProcess,
} from '../support/keyway-process';

const running: ServeProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

async function storeText(dataDir: string): Promise<string> {
  return readFile(join(dataDir, 'keyway-store.json'), 'utf8');
}

describe('bad input gets a clear error and leaves state unchanged', () => {
  it('CLI: malformed arguments exit 2 with a usage line, before anything changes', async () => {
    const dataDir = await tempDataDir();
    const serve = await startServe({ dataDir });
    running.push(serve);
    const before = await storeText(dataDir);
    const cases: string[][] = [
      ['key', 'add', 'no-slash', '--secret-stdin'],
      ['account', 'add', 'x', '--vendor', 'nope'],
      ['account', 'add', 'x', '--vendor', 'qyvo', '--bogus'],
      ['connection', 'add', 'Bad Slug', '--key', 'a/b'],
      ['account', 'add'],
      ['serve', '--port', 'abc'],
      ['frobnicate'],
    ];
    for (const args of cases) {
      const r = await runKeyway(args, { dataDir, stdin: 'whatever' });
      expect(r.code, `${args.join(' ')} → ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().length).toBeGreaterThan(0);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    const slash = await runKeyway(['key', 'add', 'no-slash', '--secret-stdin'], {
      dataDir,
      stdin: 'x',
    });
    // Named as typed on the command line, not by the contract's field (`field "ref"`).
    expect(slash.stderr).toMatch(/^keyway key add: ACCOUNT\/KEY: /);
    expect(await storeText(dataDir)).toBe(before);
  });

  it('control API: invalid body → 400 naming the field; no token → 401; wrong token → 401; foreign Origin → 403; bad Host → 403', async () => {
    const dataDir = await tempDataDir();
    const serve = await startServe({ dataDir });
    running.push(serve);
    const before = await storeText(dataDir);
    const auth = {
      Authorization: `Bearer ${controlToken(serve.ui)}`,
      'Content-Type': 'application/json',
    };
    const post = (body: unknown, headers: Record<string, string> = auth) =>
      fetch(`${serve.url}/api/op/account.add`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });

    const invalid = await post({ name: 'ok', vendor: 'qyvo', apiUrl: 'not a url' });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { code: 'bad_input', field: 'apiUrl' } });
    const unknownField = await post({ name: 'ok', vendor: 'qyvo', colour: 'red' });
    expect(unknownField.status).toBe(400);
    expect(((await unknownField.json()) as { error: { message: string } }).error.message).toContain(
      'colour',
    );

    const noToken = await post(
      { name: 'ok', vendor: 'qyvo' },
      { 'Content-Type': 'application/json' },
    );
    expect(noToken.status).toBe(401);
    const wrongToken = await post(
      { name: 'ok', vendor: 'qyvo' },
      { ...auth, Authorization: 'Bearer kwctl_wrong' },
    );
    expect(wrongToken.status).toBe(401);
    const foreign = await post(
      { name: 'ok', vendor: 'qyvo' },
      { ...auth, Origin: 'https://evil.example' },
    );
    expect(foreign.status).toBe(403);
    // fetch will not let us forge Host; a raw request does.
    const { request } = await import('node:http');
    const badHost = await new Promise<number>((res, rej) => {
      const u = new URL(serve.url);
      const req = request(
        {
          host: '127.0.0.1',
          port: u.port,
          path: '/api/op/status',
          method: 'POST',
          headers: { ...auth, Host: 'attacker.example:80' },
        },
        (r) => {
          r.resume();
          res(r.statusCode ?? 0);
        },
      );
      req.on('error', rej);
      req.end('{}');
    });
    expect(badHost).toBe(403);
    expect(await storeText(dataDir)).toBe(before);

    const sameOrigin = await post({ name: 'ok', vendor: 'qyvo' }, { ...auth, Origin: serve.url });
    expect(sameOrigin.status).toBe(200);
  });

  it('a second instance on the same data directory is refused with the owner pid', async () => {
    const dataDir = await tempDataDir();
    const serve = await startServe({ dataDir });
    running.push(serve);
    const second = await runKeyway(['serve', '--port', '0'], { dataDir });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`pid ${serve.child.pid}`);
    expect(second.stderr).toContain(dataDir);
    // The first one still answers.
    const ls = await runKeyway(['account', 'ls', '--json'], { dataDir });
    expect(ls.code).toBe(0);
  });

  it('a corrupt store is refused, named, and left byte-for-byte untouched', async () => {
    const dataDir = await tempDataDir();
    const corrupt = '{"version":1,"accounts":[{"name":"half';
    await writeFile(join(dataDir, 'keyway-store.json'), corrupt);
    const r = await runKeyway(['serve', '--port', '0'], { dataDir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(join(dataDir, 'keyway-store.json'));
    expect(r.stderr).toMatch(/not valid JSON/);
    expect(r.stderr).toMatch(/left untouched/);
    expect(await storeText(dataDir)).toBe(corrupt);

    await writeFile(join(dataDir, 'keyway-store.json'), '{"version":1,"accounts":"nope"}');
    const wrongShape = await runKeyway(['serve', '--port', '0'], { dataDir });
    expect(wrongShape.code).toBe(1);
    expect(wrongShape.stderr).toMatch(/does not look like a Keyway store/);

    await writeFile(join(dataDir, 'keyway-store.json'), '{"version":99}');
    const future = await runKeyway(['serve', '--port', '0'], { dataDir });
    expect(future.code).toBe(1);
    expect(future.stderr).toMatch(/newer Keyway/);
    expect(await storeText(dataDir)).toBe('{"version":99}');
  });

  it('a keychain that cannot be reached stops serve with what to install or unlock — no plaintext fallback', async () => {
    const dataDir = await tempDataDir();
    const r = await runKeyway(['serve', '--port', '0'], {
      dataDir,
      env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/keyway-bus' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Secret Service/);
    expect(r.stderr).toMatch(/gnome-keyring/);
    expect(r.stderr).toMatch(/never falls back/);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('serve --port 0 is ready within 2 s and exits 0 on SIGTERM', async () => {
    const dataDir = await tempDataDir();
    const serve = await startServe({ dataDir });
    expect(serve.readyMs).toBeLessThan(2000);
    expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(serve.ui).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=kwctl_/);
    const discovery = JSON.parse(await readFile(join(dataDir, 'discovery.json'), 'utf8')) as {
      url: string;
      pid: number;
    };
    expect(discovery).toMatchObject({ url: serve.url, pid: serve.child.pid });
    expect(await serve.stop('SIGTERM')).toBe(0);
    await expect(readFile(join(dataDir, 'discovery.json'))).rejects.toThrow();
  });
});

describe('the control API is derived from the contract', () => {
  it('routes every contract operation (none answers "no control API route")', async () => {
    const { OP_NAMES } = await import('../../src/shared/contract');
    const dataDir = await tempDataDir();
    const serve = await startServe({ dataDir });
    running.push(serve);
    const headers = {
      Authorization: `Bearer ${controlToken(serve.ui)}`,
      'Content-Type': 'application/json',
    };
    for (const name of OP_NAMES) {
      // An empty input is invalid for most operations: what matters is that the route exists
      // and the contract's validation (400) or the handler answers, never the router's 404.
      const res = await fetch(`${serve.url}/api/op/${name}`, {
        method: 'POST',
        headers,
        body: '{"__probe":1}',
      });
      const body = (await res.json()) as { error?: { code: string; message: string } };
      expect(body.error?.message ?? '', name).not.toMatch(/no control API route|unknown operation/);
      expect(res.status, name).toBe(400);
    }
  });
});

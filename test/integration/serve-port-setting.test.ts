import { createServer } from 'node:net';
import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { controlCall } from '../support/ui-serve';
import {
  controlToken,
  runKeyway,
  startServe,
  tempDataDir,
  type ServeProcess,
} from '../support/keyway-process';

/** A port nobody listens on right now (bound, then released). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const dirs: string[] = [];
const running: ServeProcess[] = [];
afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('Settings → Proxy port', () => {
  it('is the port keyway serve listens on at its next start, unless --port is given', async () => {
    const dataDir = await tempDataDir('keyway-port-');
    dirs.push(dataDir);
    const first = await startServe({ dataDir });
    running.push(first);
    const token = controlToken(first.ui);
    await expect(
      controlCall(first.url, token, 'settings.update', { proxyPort: 80 }),
    ).rejects.toThrow(/1024 or above/);
    const port = await freePort();
    await controlCall(first.url, token, 'settings.update', { proxyPort: port });
    await first.stop();

    // No --port: the setting.
    const second = await startServe({ dataDir, port: null });
    running.push(second);
    expect(new URL(second.url).port).toBe(String(port));
    const status = await controlCall(second.url, controlToken(second.ui), 'status', {});
    expect(status.proxy.port).toBe(port);
    await second.stop();

    // --port wins over the setting.
    const third = await startServe({ dataDir });
    running.push(third);
    expect(new URL(third.url).port).not.toBe(String(port));
  });

  it('refuses --port below 1024 with the reason, before starting anything', async () => {
    const dataDir = await tempDataDir('keyway-port-');
    dirs.push(dataDir);
    const r = await runKeyway(['serve', '--port', '80'], { dataDir });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--port 80 is below 1024, which needs administrator rights/);
  });
});

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { KeywayApi } from '../../shared/contract';
import { watchRotations } from './instance-link';

const servers: Array<{ close(): void }> = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

/** A stand-in for `/api/events` that writes the given bytes, then holds the stream open. */
async function eventsServer(body: string): Promise<string> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push({ close: () => server.close() && server.closeAllConnections() });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('watchRotations', () => {
  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('sees a swap whatever the line ends (%s)', async (_name, eol) => {
    const event = (data: unknown): string =>
      `event: rotation.step${eol}data: ${JSON.stringify(data)}${eol}${eol}`;
    const url = await eventsServer(
      `: hello${eol}${eol}` +
        event({ key: 'me/a', step: 'mint', ok: true }) +
        event({ key: 'me/b', step: 'swap', ok: false }) +
        event({ key: 'me/c', step: 'swap', ok: true }),
    );
    const swapped = await new Promise<string>((resolve) => {
      const watch = watchRotations({ api: {} as KeywayApi, url, token: 't' }, (key) => {
        watch.stop();
        resolve(key);
      });
    });
    expect(swapped).toBe('me/c');
  });
});

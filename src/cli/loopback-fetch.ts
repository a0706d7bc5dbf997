import type { IncomingMessage } from 'node:http';
import type { ControlFetch } from '../shared/control-http';

// Not `import … from 'node:http'`: on Node 22 an ES import of node:http reads its lazy WebSocket
// getter, which loads Node's internal undici, as the global fetch does. Either costs a short CLI
// command (`keyway key ls`) more start-up time than the rest of its work (issue 24).
const { request } = process.getBuiltinModule('node:http');

/**
 * The CLI's way to call the control API of the Keyway on 127.0.0.1: plain node:http, which Node
 * has loaded already, where the global fetch would first load and compile its own HTTP client.
 * Only what `controlCaller` uses: POST a JSON body, read a JSON answer, give up on a signal.
 */
export const loopbackFetch: ControlFetch = (url, init) =>
  new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: init.method, headers: init.headers, signal: init.signal ?? undefined },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('error', reject);
        res.once('end', () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status,
            ok: status >= 200 && status < 300,
            json: () => Promise.resolve(JSON.parse(text) as unknown),
          });
        });
      },
    );
    req.once('error', reject);
    req.end(init.body);
  });

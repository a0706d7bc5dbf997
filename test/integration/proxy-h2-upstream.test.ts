// A vendor that speaks HTTP/2 (TLS with ALPN h2, HTTP/1.1 still accepted, as CDNs in front of
// vendors do), reached through `keyway serve` as shipped: Keyway's upstream pool offers h2 and
// uses it, a warm connection serving one session after another; a streamed (SSE) answer arrives as it is
// sent; a client that gives up mid-stream ends the vendor's stream too, and the shared
// connection keeps serving. The vendor trusts nothing but its key; Keyway trusts the test's own
// CA through NODE_EXTRA_CA_CERTS.
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createSecureServer,
  type Http2SecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxMcpEndpoint } from '../../src/sandbox/mcp/index';
import { runKeyway, startServe, tempDataDir, type ServeProcess } from '../support/keyway-process';
import { makeCa } from '../support/local-ca';

const KEY = 'h2-vendor-secret-0123456789abcdef';

let work: string;
let dataDir: string;
let vendor: Http2SecureServer;
let serve: ServeProcess;
let localUrl: string;
let token: string;
/** Each request the vendor saw: its HTTP version and the TLS session it came on. */
const seen: { version: string; session: unknown; method: string }[] = [];
/** Vendor responses to POSTs (calls) still open; a session's GET stream stays open by design. */
const open = new Set<Http2ServerResponse>();

beforeAll(async () => {
  work = await tempDataDir('keyway-h2-');
  const tls = makeCa(work);
  const sandbox: { endpoint?: ReturnType<typeof createSandboxMcpEndpoint> } = {};
  vendor = createSecureServer(
    { key: readFileSync(tls.key), cert: readFileSync(tls.cert), allowHTTP1: true },
    (req: Http2ServerRequest, res: Http2ServerResponse) => {
      seen.push({ version: req.httpVersion, session: req.stream?.session, method: req.method });
      if (req.method === 'POST') {
        open.add(res);
        res.once('close', () => open.delete(res));
      }
      // An h2 request names its host in :authority; the sandbox's Host check reads `host`.
      req.headers.host ??= req.headers[':authority'];
      void sandbox
        .endpoint!.handle(req as unknown as IncomingMessage, res as unknown as ServerResponse)
        .catch(() => res.stream?.close());
    },
  );
  await new Promise<void>((r) => vendor.listen(0, '127.0.0.1', r));
  sandbox.endpoint = createSandboxMcpEndpoint({
    vendor: 'Qyvo',
    boundSessions: () => false,
    allowedHosts: [`127.0.0.1:${(vendor.address() as AddressInfo).port}`],
    authenticate: (req) =>
      req.headers.authorization === `Bearer ${KEY}`
        ? { ok: true, caller: { keyId: 'k1', label: 'h2 test' } }
        : { ok: false, status: 401, headers: { 'WWW-Authenticate': 'Bearer' }, body: '{}' },
  });
  const vendorUrl = `https://127.0.0.1:${(vendor.address() as AddressInfo).port}/mcp`;

  dataDir = await tempDataDir('keyway-h2-');
  serve = await startServe({ dataDir, env: { NODE_EXTRA_CA_CERTS: tls.ca } });
  const cli = async (args: string[], input?: string) => {
    const r = await runKeyway(args, { dataDir, stdin: input });
    if (r.code !== 0) throw new Error(`keyway ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  await cli(['account', 'add', 'h2v', '--vendor', 'custom', '--mcp-url', vendorUrl]);
  await cli(['key', 'add', 'h2v/main', '--secret-stdin'], KEY);
  localUrl = (await cli(['connection', 'add', 'h2', '--key', 'h2v/main'])).trim();
  token = (
    JSON.parse(await cli(['client', 'add', 'agent', '--connection', 'h2', '--json'])) as {
      token: string;
    }
  ).token;
}, 60_000);

afterAll(async () => {
  await serve?.stop();
  vendor?.close();
  await rm(work, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

async function connect(): Promise<{ client: Client; close: () => Promise<void> }> {
  const transport = new StreamableHTTPClientTransport(new URL(localUrl), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'h2-test', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    close: async () => {
      await transport.terminateSession().catch(() => undefined);
      await client.close();
    },
  };
}

const textOf = (r: unknown) =>
  ((r as { content: { type: string; text: string }[] }).content[0] ?? { text: '' }).text;

describe('an HTTP/2 vendor through keyway serve', () => {
  it('is spoken to over HTTP/2 for every proxied call, session after session', async () => {
    seen.length = 0; // (Keyway's own probe of the vendor at `connection add` is not the proxy)
    const answers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await connect();
      answers.push(textOf(await s.client.callTool({ name: 'echo', arguments: { text: `s${i}` } })));
      await s.close();
    }
    expect(answers).toEqual(['s0', 's1', 's2']);
    expect(seen.length).toBeGreaterThanOrEqual(9); // initialize, initialized, call, per session
    expect(new Set(seen.map((s) => s.version))).toEqual(new Set(['2.0']));
    // Each session's GET stream holds a pooled connection of its own (one call per connection),
    // so sessions are not multiplexed onto one connection yet.
  });

  it('streams an SSE answer as it comes; a client that gives up mid-stream gets nothing more, and the connection serves on', async () => {
    const s = await connect();
    const before = seen.length;
    const progress: number[] = [];
    const abort = new AbortController();
    const call = s.client.callTool(
      { name: 'slow', arguments: { steps: 400, delayMs: 25 } },
      undefined,
      {
        signal: abort.signal,
        onprogress: (p) => {
          progress.push(p.progress);
          if (progress.length === 5) abort.abort(new Error('the user pressed stop'));
        },
      },
    );
    await expect(call).rejects.toThrow();
    // Progress came step by step (streamed), far from the 400 steps a buffered answer would hold.
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    // The vendor's response streams end: nothing keeps running for a client that left.
    await new Promise((r) => setTimeout(r, 500));
    expect(progress).toHaveLength(5); // nothing more reached the client that left
    // NOT YET CHECKED: that the vendor's stream for the abandoned call ends. It stays open (seen
    // over HTTP/1.1 too), which is reported in issue 24's note; `open` counts it.
    // The shared connection still serves the next call.
    expect(textOf(await s.client.callTool({ name: 'echo', arguments: { text: 'after' } }))).toBe(
      'after',
    );
    await s.close();
    expect(new Set(seen.slice(before).map((x) => x.version))).toEqual(new Set(['2.0']));
    expect(serve.output().stderr).not.toContain(KEY);
  });
});

// Loopback peers for the proxy steps' unit tests: a raw node:http "vendor" whose every answer a
// test writes by hand (slow, huge, cut, lying), the real proxy in front of it with an in-memory
// backend, and a raw client that can stop reading or walk away mid-body. Nothing is mocked: each
// hop is a real HTTP exchange on 127.0.0.1.
import { createServer, request } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { ProxyOptions, ProxyRoute } from '../../src/main/core/proxy/index';
import { afterEach } from 'vitest';
import { listen, MemoryBackend, startProxy, type TestProxy } from './mcp-upstream';

export const SLUG = 'qyvo';
export const TOKEN = 'local-token-of-the-client';
export const SECRET = 'vendor-secret-v1';

export interface SeenByVendor {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type VendorHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

export interface RawVendor {
  url: string;
  seen: SeenByVendor[];
  /** Resolves when the vendor saw its `n`-th request's socket close (the proxy let go of it). */
  requestClosed(n: number): Promise<void>;
  handle: VendorHandler;
  close(): Promise<void>;
}

/** A vendor on loopback whose answers the test writes (`handle`, replaceable per test). */
export async function startRawVendor(handle: VendorHandler): Promise<RawVendor> {
  const seen: SeenByVendor[] = [];
  const closed: Promise<void>[] = [];
  const vendor: RawVendor = {
    url: '',
    seen,
    handle,
    requestClosed: (n) => closed[n - 1] ?? Promise.reject(new Error(`no request ${n}`)),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req, res) => {
    closed.push(new Promise((resolve) => res.once('close', () => resolve())));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      vendor.handle(req, res, body);
    });
  });
  vendor.url = `http://127.0.0.1:${await listen(server)}/mcp`;
  return vendor;
}

export interface Loopback {
  vendor: RawVendor;
  proxy: TestProxy;
  backend: MemoryBackend;
  close(): Promise<void>;
}

/** The proxy in front of a raw vendor, one connection `SLUG` with key `SECRET` (version v1). */
export async function startLoopback(
  handle: VendorHandler,
  opts: Partial<ProxyOptions> & { route?: Partial<ProxyRoute> } = {},
): Promise<Loopback> {
  const vendor = await startRawVendor(handle);
  const backend = new MemoryBackend();
  backend.addRoute(SLUG, vendor.url, { versionId: 'v1', secret: SECRET }, opts.route);
  backend.tokens.set(TOKEN, { client: 'claude', slug: SLUG });
  const proxy = await startProxy(backend, opts);
  return {
    vendor,
    proxy,
    backend,
    close: async () => {
      await proxy.close();
      await vendor.close();
    },
  };
}

/**
 * For a test file: `start` makes a loopback (one per test) that is closed after the test,
 * whatever happened in it.
 */
export function useLoopback(): typeof startLoopback {
  let open: Loopback | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });
  return async (handle, opts) => (open = await startLoopback(handle, opts));
}

export interface ClientAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** True when the response ended cleanly; false when it broke off (the proxy cut it). */
  complete: boolean;
}

export interface ClientCall {
  /** The response as it arrives: a test may read it slowly, or not at all. */
  response: Promise<IncomingMessage>;
  /** The whole answer. */
  answer(): Promise<ClientAnswer>;
  /** The client walks away (closes its socket). */
  abort(): void;
}

/** A raw HTTP call to the proxy with the client's local token; its own socket, no pooling. */
export function callProxy(
  lb: Loopback,
  opts: {
    method?: string;
    body?: string | Buffer;
    headers?: Record<string, string>;
    token?: string;
  } = {},
): ClientCall {
  const req = request(lb.proxy.url(SLUG), {
    method: opts.method ?? 'POST',
    agent: false,
    headers: {
      authorization: `Bearer ${opts.token ?? TOKEN}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...opts.headers,
    },
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });
  req.end(opts.body);
  return {
    response,
    abort: () => req.destroy(),
    answer: async () => {
      const res = await response;
      const chunks: Buffer[] = [];
      const complete = await new Promise<boolean>((resolve) => {
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('end', () => resolve(true));
        res.once('aborted', () => resolve(false));
        res.once('error', () => resolve(false));
      });
      return {
        status: res.statusCode ?? 0,
        headers: res.headers,
        body: Buffer.concat(chunks),
        complete,
      };
    },
  };
}

export const rpc = (method: string, id = 1, params: object = {}): string =>
  JSON.stringify({ jsonrpc: '2.0', id, method, params });

/** The proxy holds nothing for `versionId` any more: every lease of the request was released. */
export async function released(lb: Loopback, versionId = 'v1'): Promise<boolean> {
  return (await lb.proxy.proxy.drain(versionId, 5_000)).drained;
}

/** Timers alive in this process now (a leak shows as more after a test than before it). */
export function liveTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

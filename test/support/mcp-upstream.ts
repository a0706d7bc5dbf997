// Test peers for the Keyway proxy: a sandbox vendor MCP server on loopback that records every
// header it receives, and the proxy itself mounted at /mcp/<slug> with an in-memory backend (the
// backend is the seam KeyService fills in production; the proxy and both peers are real).
import { existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  createSandboxLegacySseEndpoint,
  createSandboxMcpEndpoint,
} from '../../src/sandbox/mcp/index';
import type { McpAuthResult, McpCaller } from '../../src/sandbox/mcp/index';
import { createMcpProxy } from '../../src/main/core/proxy/index';
import type {
  McpProxy,
  ProxyBackend,
  ProxyRequestDone,
  ProxyKey,
  ProxyOptions,
  ProxyRoute,
} from '../../src/main/core/proxy/index';

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface TestUpstream {
  /** Streamable HTTP MCP URL. */
  url: string;
  /** Legacy HTTP+SSE stream URL (GET); it announces `/legacy/messages?sessionId=…`. */
  legacyUrl: string;
  /** An URL that answers 307 to another origin, for the redirect rule. */
  redirectUrl: string;
  keys: Map<string, McpCaller>;
  bound: { value: boolean };
  seen: SeenRequest[];
  /**
   * Set by a test to play a vendor misbehaving on some requests: it sees each request first and
   * calls `pass()` to hand it to the sandbox (later, or never).
   */
  intercept: ((req: IncomingMessage, res: ServerResponse, pass: () => void) => void) | undefined;
  revoke(secret: string): void;
  close(): Promise<void>;
}

export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** `scheme` is how the vendor wants its key: `bearer` (most) or `raw` (Quave). */
export async function startUpstream(scheme: 'bearer' | 'raw' = 'bearer'): Promise<TestUpstream> {
  const keys = new Map<string, McpCaller>();
  const bound = { value: false };
  const seen: SeenRequest[] = [];
  const authenticate = (req: { headers: IncomingHttpHeaders }): McpAuthResult => {
    const header = req.headers.authorization ?? '';
    const secret = scheme === 'bearer' ? header.replace(/^Bearer /, '') : header;
    const caller = keys.get(secret);
    if (caller && (scheme === 'raw' || header.startsWith('Bearer '))) return { ok: true, caller };
    return {
      ok: false,
      status: 401,
      headers: { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer' },
      body: JSON.stringify({ message: 'Unauthenticated.' }),
    };
  };
  const opts = { vendor: 'Qyvo', authenticate, boundSessions: () => bound.value };
  const streamable = createSandboxMcpEndpoint(opts);
  const legacy = createSandboxLegacySseEndpoint(opts);
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    seen.push({ method: req.method ?? '', path, headers: { ...req.headers } });
    if (path.startsWith('/redirect')) {
      res.writeHead(307, { location: 'http://127.0.0.2:9/elsewhere' }).end();
      return;
    }
    const endpoint = path.startsWith('/legacy') ? legacy : streamable;
    const pass = (): void => void endpoint.handle(req, res).catch(() => res.destroy());
    if (upstream.intercept) upstream.intercept(req, res, pass);
    else pass();
  });
  const port = await listen(server);
  const base = `http://127.0.0.1:${port}`;
  const upstream: TestUpstream = {
    url: `${base}/mcp`,
    legacyUrl: `${base}/legacy/sse`,
    redirectUrl: `${base}/redirect/mcp`,
    keys,
    bound,
    seen,
    intercept: undefined,
    revoke(secret) {
      const caller = keys.get(secret);
      keys.delete(secret);
      if (caller) {
        streamable.revokeKey(caller.keyId);
        legacy.revokeKey(caller.keyId);
      }
    },
    async close() {
      await Promise.allSettled([streamable.close(), legacy.close()]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return upstream;
}

/** The backend as KeyService would be, in memory: routes, current keys, client tokens. */
/** A test's key: bound to its route's upstream origin unless the test says otherwise. */
export type TestKey = Omit<ProxyKey, 'origin'> & { origin?: string };

export class MemoryBackend implements ProxyBackend {
  readonly routes = new Map<string, ProxyRoute>();
  readonly keys = new Map<string, TestKey>();
  /** token → client name and the slug it may use. */
  readonly tokens = new Map<string, { client: string; slug: string }>();
  readonly refused: { slug: string; versionId: string; status: number }[] = [];
  readonly sessionEvents: { type: string; slug: string; client: string; sessionId: string }[] = [];

  addRoute(slug: string, upstream: string, key: TestKey, extra: Partial<ProxyRoute> = {}): void {
    this.routes.set(slug, {
      slug,
      upstream: new URL(upstream),
      transport: 'streamable-http',
      auth: { header: 'Authorization', prefix: 'Bearer ' },
      credential: { kind: 'api-key' },
      ...extra,
    });
    this.keys.set(slug, key);
  }

  route(slug: string): ProxyRoute | undefined {
    return this.routes.get(slug);
  }

  /**
   * Set by a test to make each key read take its own time (ms), as a keychain read after a swap
   * does: requests then finish their steps in another order than they arrived.
   */
  keyReadMs: (() => number) | undefined;

  currentKey(slug: string): Promise<ProxyKey> {
    const k = this.keys.get(slug);
    const origin = k?.origin ?? this.routes.get(slug)?.upstream.origin ?? '';
    const key = k && { ...k, origin };
    const read = key ? Promise.resolve(key) : Promise.reject(new Error(`no key for ${slug}`));
    const ms = this.keyReadMs?.();
    if (ms === undefined) return read;
    return new Promise((resolve) => setTimeout(resolve, ms)).then(() => read);
  }

  authenticate(slug: string, token: string): { client: string } | undefined {
    const entry = this.tokens.get(token);
    return entry && entry.slug === slug ? { client: entry.client } : undefined;
  }

  /** Set by a test to play an OAuth account: returns true once it has put a newer key in `keys`. */
  renew: ((slug: string, versionId: string) => Promise<boolean>) | undefined;
  readonly done: ProxyRequestDone[] = [];

  renewKey(slug: string, versionId: string): Promise<boolean> {
    return this.renew ? this.renew(slug, versionId) : Promise.resolve(false);
  }

  onRequestDone(event: ProxyRequestDone): void {
    this.done.push(event);
  }

  onKeyRefused(slug: string, versionId: string, status: number): void {
    this.refused.push({ slug, versionId, status });
  }

  onClientSession(event: { type: string; slug: string; client: string; sessionId: string }): void {
    this.sessionEvents.push(event);
  }
}

export interface TestProxy {
  proxy: McpProxy;
  backend: MemoryBackend;
  port: number;
  url(slug: string): string;
  close(): Promise<void>;
}

export async function startProxy(
  backend: MemoryBackend,
  opts: Partial<ProxyOptions> & {
    extraHosts?: string[];
    /** The hosts to answer to, given the port; default 127.0.0.1 and localhost on it. */
    hosts?: (port: number) => string[];
  } = {},
): Promise<TestProxy> {
  let port = 0;
  const hosts = opts.hosts ?? ((p: number) => [`127.0.0.1:${p}`, `localhost:${p}`]);
  const proxy = createMcpProxy(backend, {
    ...opts,
    allowedHosts: () => [...hosts(port), ...(opts.extraHosts ?? [])],
  });
  const server = createServer((req, res) => {
    const match = /^\/mcp\/([^/?]+)/.exec(req.url ?? '');
    if (match?.[1]) proxy.handle(req, res, decodeURIComponent(match[1]));
    else res.writeHead(404).end();
  });
  port = await listen(server);
  return {
    proxy,
    backend,
    port,
    url: (slug) => `http://127.0.0.1:${port}/mcp/${slug}`,
    async close() {
      await proxy.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An SDK client over Streamable HTTP that sends a local token, as an AI client would. */
export async function connectClient(
  url: string,
  token: string | undefined,
  opts: {
    client?: ClientOptions;
    sessionId?: string;
    headers?: Record<string, string>;
    /** The client's own fetch, e.g. one that gives up early. */
    fetch?: typeof fetch;
  } = {},
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (token !== undefined) headers.Authorization = `Bearer ${token}`;
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    sessionId: opts.sessionId,
    requestInit: { headers },
    fetch: opts.fetch,
  });
  const client = new Client({ name: 'proxy-test-client', version: '1.0.0' }, opts.client);
  await client.connect(transport);
  return { client, transport };
}

/** The first text content of a tool result. */
export function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  const first = content.find((c) => c.type === 'text');
  return first?.text ?? '';
}

const ROOT = resolve(import.meta.dirname, '../..');
const BRIDGE_SOURCES = [
  'src/cli/bridge-main.ts',
  'src/cli/bridge.ts',
  'src/cli/bridge-io.ts',
  'src/shared/mcp/sse.ts',
  'src/shared/mcp/modern-headers.ts',
  'src/main/core/discovery.ts',
  'src/main/core/data-dir.ts',
];

/**
 * Node arguments that start `keyway bridge`: the built bundle (what users run) when it is newer
 * than the bridge's sources, else the sources through tsx, so a stale build is never tested.
 */
export function bridgeArgs(): string[] {
  const bundle = resolve(ROOT, 'out/node/bridge.js');
  if (existsSync(bundle)) {
    const built = statSync(bundle).mtimeMs;
    if (BRIDGE_SOURCES.every((file) => statSync(resolve(ROOT, file)).mtimeMs <= built))
      return [bundle];
  }
  return ['--import', 'tsx', resolve(ROOT, 'src/cli/bridge-main.ts')];
}

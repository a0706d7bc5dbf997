// The one way the sandbox serves an MCP server built on the SDK v2: the 2026-only vendor, the
// dual-era vendor, the conformance servers and the tests' 2026-only servers all go through it.
// The era is an option: `modern` speaks only 2026-07-28 (a 2025 `initialize` gets the
// unsupported-version error naming 2026-07-28, as the spec's versioning page asks), `dual` also
// serves 2025-era clients statelessly (the SDK's default: a fresh server per request, no session).
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpHandler } from '@modelcontextprotocol/server';
import type { McpHttpHandler, McpServer } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { McpAuthResult, SandboxMcpEndpoint } from '../mcp';

export type ModernEra = 'modern' | 'dual';

export interface ModernEndpointOptions {
  era: ModernEra;
  /** A fresh server per exchange (the SDK v2 handler builds one for each request). */
  factory: () => McpServer;
  /** Called on every request; a refusal is sent exactly as returned. */
  authenticate(req: IncomingMessage): McpAuthResult;
  /**
   * DNS-rebinding defence: when given, a request whose Host is not one of these is refused
   * (403), as the conformance suite's scenario expects. Read on every request.
   */
  allowedHosts?: () => ReadonlySet<string>;
  /** SSE keep-alive comments; the SDK's default (15 s) when not given, 0 turns them off. */
  keepAliveMs?: number;
}

export interface ModernEndpoint extends SandboxMcpEndpoint {
  /** Publishes changes to the open `subscriptions/listen` streams. */
  readonly handler: McpHttpHandler;
}

/**
 * The SDK v2 handler behind the sandbox's key check. Like the SDK v1 endpoint, a revoked key
 * fails at once: every response still open with it (a call's stream, a listen stream) is ended,
 * which is what a vendor that revokes a key does to the requests that carry it.
 */
export function createModernEndpoint(opts: ModernEndpointOptions): ModernEndpoint {
  const handler = createMcpHandler(opts.factory, {
    legacy: opts.era === 'dual' ? 'stateless' : 'reject',
    ...(opts.keepAliveMs === undefined ? {} : { keepAliveMs: opts.keepAliveMs }),
  });
  const serve = toNodeHandler(handler);
  const open = new Map<string, Set<ServerResponse>>();
  return {
    handler,
    async handle(req, res) {
      const hosts = opts.allowedHosts?.();
      if (hosts && !hosts.has(String(req.headers.host))) {
        res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden: Host not allowed');
        return;
      }
      const auth = opts.authenticate(req);
      if (!auth.ok) {
        res.writeHead(auth.status, auth.headers ?? {}).end(auth.body);
        return;
      }
      const keyId = auth.caller.keyId;
      const mine = open.get(keyId) ?? new Set<ServerResponse>();
      open.set(keyId, mine.add(res));
      res.on('close', () => {
        mine.delete(res);
        if (mine.size === 0 && open.get(keyId) === mine) open.delete(keyId);
      });
      await serve(req, res);
    },
    revokeKey(keyId) {
      for (const res of open.get(keyId) ?? []) {
        // An answer under way is cut; one not begun never leaves the server.
        if (res.headersSent) res.end();
        else res.destroy();
      }
      open.delete(keyId);
    },
    async close() {
      await handler.close();
    },
  };
}

export interface ModernServer {
  url: string;
  endpoint: ModernEndpoint;
  /** With `guardHost`: also accept these Hosts (a loopback hop in front, as the tests use). */
  allowHosts(hosts: string[]): void;
  close(): Promise<void>;
}

/**
 * A modern endpoint on its own loopback port at `/mcp`, for tests that need no vendor around it.
 * `guardHost` allows only this server's own `127.0.0.1:PORT` and `localhost:PORT` as Host.
 */
export async function startModernServer(
  opts: Omit<ModernEndpointOptions, 'allowedHosts'> & { guardHost?: boolean },
): Promise<ModernServer> {
  let hosts = new Set<string>();
  const endpoint = createModernEndpoint({
    ...opts,
    ...(opts.guardHost ? { allowedHosts: () => hosts } : {}),
  });
  const http: Server = createServer((req, res) => {
    endpoint.handle(req, res).catch(() => {
      // The SDK answers its own failures; a throw here means the socket is already gone.
      res.destroy();
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;
  hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    endpoint,
    allowHosts: (more) => more.forEach((h) => hosts.add(h)),
    async close() {
      await endpoint.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

/** The bearer token of a request, if it carries one. */
export function bearerOf(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
}

import type { IncomingMessage } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { listenOnLoopback } from './loopback';
import type { LoopbackServer } from './loopback';
import { createSandboxLegacySseEndpoint } from './legacy-sse-endpoint';
import { createSandboxMcpEndpoint } from './streamable-endpoint';
import type { McpAuthResult, McpCaller, SandboxMcpEndpoint } from './types';

/**
 * A sandbox vendor MCP endpoint on loopback with a small key table, the way the sandbox REST
 * side mounts it: for tests of the endpoint and of what sits in front of it.
 */
export interface VendorHarness {
  /** The MCP URL (`…/mcp`; the legacy stream is at `…/mcp/sse`). */
  url: string;
  endpoint: SandboxMcpEndpoint;
  loopback: LoopbackServer;
  /** Secret → caller. Mutable: what `authenticate` accepts right now. */
  keys: Map<string, McpCaller>;
  /** Flip to make sessions bound to the key that opened them. */
  bound: { value: boolean };
  /** Revokes as the vendor would: the key stops authenticating and its in-flight calls fail. */
  revoke(secret: string): void;
  /** An SDK client over Streamable HTTP sending `secret`, joining `sessionId` when given. */
  connect(secret: string, opts?: ConnectOptions): Promise<ConnectedClient>;
  /** An SDK client over legacy HTTP+SSE sending `secret`. */
  connectLegacy(secret: string, opts?: ConnectOptions): Promise<ConnectedClient>;
  close(): Promise<void>;
}

interface ConnectOptions {
  sessionId?: string;
  client?: ClientOptions;
  fetch?: FetchLike;
}

export interface ConnectedClient {
  client: Client;
  sessionId: string | undefined;
  close(): Promise<void>;
}

export async function startVendorHarness(
  kind: 'streamable' | 'legacy' = 'streamable',
  vendor = 'Qyvo',
): Promise<VendorHarness> {
  const keys = new Map<string, McpCaller>();
  const bound = { value: false };
  const authenticate = (req: IncomingMessage): McpAuthResult => {
    const header = req.headers.authorization ?? '';
    const caller = keys.get(header.replace(/^Bearer /, ''));
    if (caller) return { ok: true, caller };
    return {
      ok: false,
      status: 401,
      headers: { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer' },
      body: JSON.stringify({ message: 'Unauthenticated.' }),
    };
  };
  const opts = { vendor, authenticate, boundSessions: () => bound.value };
  const endpoint =
    kind === 'legacy' ? createSandboxLegacySseEndpoint(opts) : createSandboxMcpEndpoint(opts);
  const loopback = await listenOnLoopback((req, res) => endpoint.handle(req, res));
  const url = loopback.url('/mcp');
  const clients = new Set<ConnectedClient>();

  const open = async (
    transport: StreamableHTTPClientTransport | SSEClientTransport,
    opts: ConnectOptions,
  ): Promise<ConnectedClient> => {
    const client = new Client({ name: 'sandbox-test-client', version: '1.0.0' }, opts.client);
    await client.connect(transport);
    const connected: ConnectedClient = {
      client,
      sessionId:
        transport instanceof StreamableHTTPClientTransport ? transport.sessionId : undefined,
      close: async () => {
        clients.delete(connected);
        await client.close();
      },
    };
    clients.add(connected);
    return connected;
  };

  return {
    url,
    endpoint,
    loopback,
    keys,
    bound,
    revoke(secret) {
      const caller = keys.get(secret);
      keys.delete(secret);
      if (caller) endpoint.revokeKey(caller.keyId);
    },
    connect: (secret, opts = {}) =>
      open(
        new StreamableHTTPClientTransport(new URL(url), {
          sessionId: opts.sessionId,
          requestInit: { headers: { Authorization: `Bearer ${secret}` } },
          ...(opts.fetch ? { fetch: opts.fetch } : {}),
        }),
        opts,
      ),
    connectLegacy: (secret, opts = {}) =>
      open(
        new SSEClientTransport(new URL(`${url}/sse`), {
          requestInit: { headers: { Authorization: `Bearer ${secret}` } },
        }),
        opts,
      ),
    async close() {
      await Promise.allSettled([...clients].map((c) => c.close()));
      await endpoint.close();
      await loopback.close();
    },
  };
}

export function textOf(result: unknown): string {
  const first = (result as CallToolResult).content[0];
  if (first?.type !== 'text')
    throw new Error(`expected text content, got ${JSON.stringify(first)}`);
  return first.text;
}

/** Polls `probe` until it returns a value (bounded), for effects that land asynchronously. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

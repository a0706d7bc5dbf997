import { createServer } from 'node:http';
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import type { McpHttpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import * as z from 'zod/v4';

/**
 * A sandbox MCP vendor built on the SDK v2 server, for the 2026-07-28 work: `modern-only` serves
 * only 2026-07-28 (an `initialize` gets the unsupported-version error naming 2026-07-28, as the
 * spec's versioning page asks), `dual` also serves 2025-era clients statelessly. Its keys are bearer
 * tokens it holds in memory; revoking one refuses it from the next request on (401), like a vendor.
 * Tools, resources (with `subscriptions/listen` updates) and prompts; `touch` publishes changes.
 */
export interface ModernVendor {
  url: string;
  /** A new key the server accepts from now on. */
  mint(): string;
  revoke(key: string): void;
  /** Every key that reached the server, per request (tests check which key each request used). */
  readonly keysSeen: string[];
  /** Publishes a change to every open listen stream: resource updated, and the three lists. */
  touch(uri?: string): void;
  readonly handler: McpHttpHandler;
  close(): Promise<void>;
}

export type ModernMode = 'modern-only' | 'dual';

export const MODERN_RESOURCE = 'sandbox://modern/status';

export async function startModernVendor(mode: ModernMode = 'modern-only'): Promise<ModernVendor> {
  const keys = new Set<string>();
  const keysSeen: string[] = [];
  let counter = 0;
  let version = 0;
  const handler = createMcpHandler(() => buildServer(() => version), {
    legacy: mode === 'dual' ? 'stateless' : 'reject',
    keepAliveMs: 0,
  });
  const serve = toNodeHandler(handler);
  const http: HttpServer = createServer((req, res) => {
    const key = bearer(req);
    if (key) keysSeen.push(key);
    if (!key || !keys.has(key)) {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
      res.end(
        JSON.stringify({ error: 'invalid_token', error_description: 'unknown or revoked key' }),
      );
      return;
    }
    void serve(req, res);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    mint: () => {
      const key = `mdn_${++counter}_${Math.random().toString(36).slice(2)}`;
      keys.add(key);
      return key;
    },
    revoke: (key) => keys.delete(key),
    keysSeen,
    touch: (uri = MODERN_RESOURCE) => {
      version++;
      handler.notify.resourceUpdated(uri);
    },
    handler,
    close: async () => {
      await handler.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

function bearer(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
}

function buildServer(version: () => number): McpServer {
  const server = new McpServer(
    { name: 'sandbox-modern', version: '1.0.0' },
    { capabilities: { tools: {}, resources: { subscribe: true }, prompts: {} } },
  );
  server.registerTool(
    'echo',
    { description: 'Echoes its text', inputSchema: z.object({ text: z.string() }) },
    ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  server.registerTool(
    'add',
    {
      description: 'Adds two numbers',
      inputSchema: z.object({ a: z.number(), b: z.number() }),
    },
    ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }),
  );
  server.registerResource(
    'status',
    MODERN_RESOURCE,
    { mimeType: 'text/plain', description: 'Changes each time the vendor is touched' },
    (uri) => ({ contents: [{ uri: uri.href, text: `version ${version()}` }] }),
  );
  server.registerPrompt(
    'greet',
    { description: 'A greeting', argsSchema: z.object({ name: z.string() }) },
    ({ name }) => ({
      messages: [{ role: 'user', content: { type: 'text', text: `Say hello to ${name}` } }],
    }),
  );
  return server;
}

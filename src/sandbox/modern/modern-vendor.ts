import * as z from 'zod/v4';
import { McpServer } from '@modelcontextprotocol/server';
import type { McpHttpHandler } from '@modelcontextprotocol/server';
import { bearerOf, startModernServer } from './modern-endpoint';
import type { ModernEra } from './modern-endpoint';

/**
 * A sandbox MCP vendor built on the SDK v2 server, for the 2026-07-28 work, on its own port:
 * `modern` serves only 2026-07-28, `dual` also serves 2025-era clients statelessly. Its keys are
 * bearer tokens it holds in memory; revoking one refuses it from the next request on (401) and
 * ends what is still open with it, like a vendor. Tools, resources (with `subscriptions/listen`
 * updates) and prompts; `touch` publishes changes. `startSandbox` serves the same server as its
 * 2026-only vendor, with a dashboard (vendors/modern.ts).
 */
export interface ModernVendor {
  url: string;
  /** A new key the server accepts from now on. */
  mint(): string;
  revoke(key: string): void;
  /** Every key that reached the server, per request (tests check which key each request used). */
  readonly keysSeen: string[];
  /** The `Mcp-Method` header of each of those requests ('' on a 2025 request, which has none). */
  readonly methodsSeen: string[];
  /** Publishes a change to every open listen stream: resource updated, and the three lists. */
  touch(uri?: string): void;
  readonly handler: McpHttpHandler;
  close(): Promise<void>;
}

/** `modern-only` is the first spelling of `modern`, kept for the callers written with it. */
export type ModernMode = ModernEra | 'modern-only';

export const MODERN_RESOURCE = 'sandbox://modern/status';

export async function startModernVendor(mode: ModernMode = 'modern'): Promise<ModernVendor> {
  const keys = new Map<string, string>();
  const keysSeen: string[] = [];
  const methodsSeen: string[] = [];
  let counter = 0;
  let version = 0;
  const server = await startModernServer({
    era: mode === 'dual' ? 'dual' : 'modern',
    factory: () => modernVendorServer(() => version),
    keepAliveMs: 0,
    authenticate: (req) => {
      const key = bearerOf(req);
      if (key) {
        keysSeen.push(key);
        methodsSeen.push(String(req.headers['mcp-method'] ?? ''));
      }
      const id = key === undefined ? undefined : keys.get(key);
      if (id === undefined)
        return {
          ok: false,
          status: 401,
          headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
          body: JSON.stringify({
            error: 'invalid_token',
            error_description: 'unknown or revoked key',
          }),
        };
      return { ok: true, caller: { keyId: id, label: id } };
    },
  });
  const { handler } = server.endpoint;
  return {
    url: server.url,
    mint: () => {
      const key = `mdn_${++counter}_${Math.random().toString(36).slice(2)}`;
      keys.set(key, `key-${counter}`);
      return key;
    },
    revoke: (key) => {
      const id = keys.get(key);
      keys.delete(key);
      if (id !== undefined) server.endpoint.revokeKey(id);
    },
    keysSeen,
    methodsSeen,
    touch: (uri = MODERN_RESOURCE) => {
      version++;
      handler.notify.resourceUpdated(uri);
    },
    handler,
    close: () => server.close(),
  };
}

/** The vendor's MCP server: two tools, a resource that changes when touched, a prompt. */
export function modernVendorServer(version: () => number): McpServer {
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

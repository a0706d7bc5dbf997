import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export interface BackgroundCaller {
  /** Calls that succeeded, and every error (message) — the test expects none. */
  ok(): number;
  errors(): string[];
  /** The sandbox vendor key ids that served the calls, in order of first use. */
  keyIds(): string[];
  stop(): Promise<void>;
}

/**
 * An AI client as the proxy sees one: the real MCP SDK over Streamable HTTP with its local
 * token, calling a tool back to back until stopped — what an agent does while a user rotates.
 */
export async function startBackgroundCaller(url: string, token: string): Promise<BackgroundCaller> {
  const client = new Client({ name: 'ui-e2e-agent', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  let ok = 0;
  const errors: string[] = [];
  const keyIds: string[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const res = await client.callTool({ name: 'whoami', arguments: {} });
        const text = (res.content as Array<{ type: string; text?: string }>)[0]?.text ?? '{}';
        const keyId = (JSON.parse(text) as { keyId?: string }).keyId ?? '?';
        if (res.isError) errors.push(`tool error: ${text}`);
        else ok++;
        if (!keyIds.includes(keyId)) keyIds.push(keyId);
      } catch (err) {
        errors.push((err as Error).message);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    ok: () => ok,
    errors: () => [...errors],
    keyIds: () => [...keyIds],
    stop: async () => {
      running = false;
      await loop;
      await client.close();
    },
  };
}

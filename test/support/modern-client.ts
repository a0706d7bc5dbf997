// A 2026-07-28 MCP client as the SDK v2 makes one: pinned to that revision, so it never falls
// back to `initialize` (a server or proxy that needs one fails it loudly).
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

export async function connectModernClient(url: string, token: string): Promise<Client> {
  const client = new Client(
    { name: 'keyway-test-2026', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  return client;
}

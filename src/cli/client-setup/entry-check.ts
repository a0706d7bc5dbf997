import { readFile } from 'node:fs/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  entryHeaders,
  entryTokenFile,
  entryUrl,
  type ClientKind,
} from '../../shared/client-config';
import { loadClientConfig, readEntry } from './client-config-file';

export interface EntryCheck {
  /** True when an MCP initialize with what the file holds reached the server through Keyway. */
  reachable: boolean;
  /** What was tried and what came back, without the token. */
  detail: string;
}

/**
 * Reads Keyway's entry back from the client's file, as the client will, and opens an MCP session
 * with exactly that URL and those headers (Claude Desktop: the token from the bridge's token
 * file, sent to the connection's URL as the bridge does). Never throws.
 */
export async function checkInstalledEntry(
  kind: ClientKind,
  file: string,
  path: [string, string],
  connectionUrl: string,
): Promise<EntryCheck> {
  try {
    const entry = readEntry(await loadClientConfig(kind, file), path);
    let url: string | null;
    let headers: Record<string, string> = {};
    if (kind === 'claude-desktop') {
      const tokenFile = entryTokenFile(entry);
      if (!tokenFile) return { reachable: false, detail: 'the entry names no token file' };
      url = connectionUrl;
      headers = { Authorization: `Bearer ${(await readFile(tokenFile, 'utf8')).trim()}` };
    } else {
      url = entryUrl(kind, entry);
      for (const [k, v] of Object.entries(entryHeaders(kind, entry) ?? {}))
        if (typeof v === 'string') headers[k] = v;
    }
    if (!url) return { reachable: false, detail: 'the entry has no URL' };
    return await initialize(url, headers);
  } catch (err) {
    return { reachable: false, detail: (err as Error).message.split('\n')[0] ?? 'failed' };
  }
}

async function initialize(url: string, headers: Record<string, string>): Promise<EntryCheck> {
  const client = new Client({ name: 'keyway-entry-check', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers },
  });
  const timer = setTimeout(() => void transport.close(), 15_000);
  try {
    await client.connect(transport);
    const server = client.getServerVersion();
    return {
      reachable: true,
      detail: `MCP initialize through ${url} answered by ${server?.name ?? 'the server'}`,
    };
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0] ?? 'failed';
    return { reachable: false, detail: `MCP initialize through ${url} failed: ${msg}` };
  } finally {
    clearTimeout(timer);
    // Only local clean-up: the check's answer is already decided.
    await client.close().catch(() => undefined);
  }
}

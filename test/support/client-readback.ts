// How each AI client reads Keyway's entry, written from each client's documentation (not from
// Keyway's shared code, so a wrong field name there fails here): parse the file with a real
// parser, take the fields that client uses, and connect a real MCP SDK client with exactly those.
import { expect } from 'vitest';
import { parse as parseJsonc } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  getDefaultEnvironment,
  StdioClientTransport,
} from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});

export type ReadBack =
  | { transport: 'http'; url: string; headers: Record<string, string> }
  | { transport: 'stdio'; command: string; args: string[]; env: Record<string, string> };

/** The entry named `name`, read the way `kind` reads it. */
export function readAsClient(kind: string, text: string, name = 'demo'): ReadBack {
  switch (kind) {
    case 'claude-desktop': {
      const e = obj(obj((JSON.parse(text) as Obj).mcpServers)[name]);
      return {
        transport: 'stdio',
        command: e.command as string,
        args: e.args as string[],
        env: obj(e.env) as Record<string, string>,
      };
    }
    case 'cursor':
    case 'claude-code':
    case 'cline': {
      const e = obj(obj((JSON.parse(text) as Obj).mcpServers)[name]);
      if (kind === 'claude-code') expect(e.type).toBe('http');
      if (kind === 'cline') expect(e.type).toBe('streamableHttp');
      return http(e.url, e.headers);
    }
    case 'vscode': {
      const e = obj(obj(obj(parseJsonc(text)).servers)[name]);
      expect(e.type).toBe('http');
      return http(e.url, e.headers);
    }
    case 'codex': {
      const e = obj(obj(parseToml(text).mcp_servers)[name]);
      // Codex ignores `headers`; only `http_headers` reaches the server.
      expect(e.headers).toBeUndefined();
      return http(e.url, e.http_headers);
    }
    case 'windsurf': {
      const e = obj(obj((JSON.parse(text) as Obj).mcpServers)[name]);
      // `url` does not connect in Windsurf; `serverUrl` does.
      expect(e.url).toBeUndefined();
      return http(e.serverUrl, e.headers);
    }
    case 'zed': {
      const e = obj(obj(obj(parseJsonc(text)).context_servers)[name]);
      return http(e.url, e.headers);
    }
    case 'gemini-cli': {
      const e = obj(obj((JSON.parse(text) as Obj).mcpServers)[name]);
      // `url` means SSE to Gemini CLI; Streamable HTTP is `httpUrl`.
      expect(e.url).toBeUndefined();
      return http(e.httpUrl, e.headers);
    }
    case 'goose': {
      const e = obj(obj(obj(parseYaml(text)).extensions)[name]);
      expect(e.type).toBe('streamable_http');
      expect(e.enabled).toBe(true);
      return http(e.uri, e.headers);
    }
    case 'continue': {
      const list = obj(parseYaml(text)).mcpServers as Obj[];
      const e = obj(list.find((x) => x.name === name));
      expect(e.type).toBe('streamable-http');
      return http(e.url, obj(e.requestOptions).headers);
    }
    default:
      throw new Error(`no reader for ${kind}`);
  }
}

function http(url: unknown, headers: unknown): ReadBack {
  expect(typeof url).toBe('string');
  return { transport: 'http', url: url as string, headers: obj(headers) as Record<string, string> };
}

function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ text?: string }> }).content ?? [];
  return content.map((c) => c.text ?? '').join('');
}

/** Connects as the client would and calls the sandbox's `echo` tool through the proxy. */
export async function connectAsClient(kind: string, text: string, proxyUrl: string): Promise<void> {
  const entry = readAsClient(kind, text);
  const transport =
    entry.transport === 'http'
      ? new StreamableHTTPClientTransport(new URL(entry.url), {
          requestInit: { headers: entry.headers },
        })
      : new StdioClientTransport({
          command: entry.command,
          args: entry.args,
          env: { ...getDefaultEnvironment(), ...entry.env },
          stderr: 'pipe',
        });
  if (entry.transport === 'http') expect(entry.url).toBe(proxyUrl);
  const client = new Client({ name: `${kind}-readback`, version: '1.0.0' });
  await client.connect(transport);
  try {
    const echo = await client.callTool({ name: 'echo', arguments: { text: `via ${kind}` } });
    expect(textOf(echo)).toBe(`via ${kind}`);
  } finally {
    await client.close();
  }
}

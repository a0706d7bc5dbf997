import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CLIENT_KINDS, setupSnippet, TOKEN_PLACEHOLDER } from './client-snippets';

const url = 'http://127.0.0.1:8931/mcp/quave-agent';
const token = 'kwc_AbC-123_xyz';
const snip = (kind: (typeof CLIENT_KINDS)[number]['kind'], t: string | null = token) =>
  setupSnippet({ kind, slug: 'quave-agent', url, token: t });

describe('Set up in … snippets', () => {
  it('Cursor: mcp.json with url and the Authorization header', () => {
    const s = snip('cursor');
    expect(s.language).toBe('json');
    expect(JSON.parse(s.text)).toEqual({
      mcpServers: { 'quave-agent': { url, headers: { Authorization: `Bearer ${token}` } } },
    });
  });

  it('VS Code: mcp.json servers entry of type http', () => {
    expect(JSON.parse(snip('vscode').text)).toEqual({
      servers: {
        'quave-agent': { type: 'http', url, headers: { Authorization: `Bearer ${token}` } },
      },
    });
  });

  it('Claude Code: one `claude mcp add --transport http` command with the header', () => {
    const s = snip('claude-code');
    expect(s.language).toBe('shell');
    expect(s.text).toMatch(/^claude mcp add --transport http /);
    expect(s.text).toContain(` quave-agent ${url} `);
    expect(s.text).toContain(`--header "Authorization: Bearer ${token}"`);
  });

  it('Codex: a [mcp_servers.NAME] table with url and http_headers', () => {
    const s = snip('codex');
    expect(s.language).toBe('toml');
    expect(s.text).toContain('[mcp_servers.quave-agent]');
    expect(s.text).toContain(`url = "${url}"`);
    expect(s.text).toMatch(/http_headers = \{ "?Authorization"? = "Bearer kwc_AbC-123_xyz" \}/);
  });

  it('Claude Desktop: a stdio entry running `keyway bridge SLUG --token-file`, never the token', () => {
    const s = snip('claude-desktop');
    const entry = (JSON.parse(s.text) as { mcpServers: Record<string, unknown> }).mcpServers[
      'quave-agent'
    ] as { command: string; args: string[] };
    expect(entry.command).toBe('keyway');
    expect(entry.args.slice(0, 3)).toEqual(['bridge', 'quave-agent', '--token-file']);
    expect(s.text).not.toContain(token);
  });

  it('uses the placeholder once the token is gone, for every client that takes a header', () => {
    for (const { kind } of CLIENT_KINDS) {
      const s = snip(kind, null);
      expect(s.text).not.toContain(token);
      if (kind !== 'claude-desktop') expect(s.text, kind).toContain(`Bearer ${TOKEN_PLACEHOLDER}`);
      expect(s.where.length).toBeGreaterThan(5);
    }
    // The JSON ones stay valid documents (yaml parses JSON too).
    expect(() => parse(snip('cursor', null).text) as unknown).not.toThrow();
  });

  it('covers the same 11 clients as `keyway client config`, from the same shared code', () => {
    expect(CLIENT_KINDS.map((c) => c.kind)).toEqual([
      'claude-desktop',
      'cursor',
      'vscode',
      'claude-code',
      'codex',
      'windsurf',
      'zed',
      'gemini-cli',
      'goose',
      'cline',
      'continue',
    ]);
  });

  it('Windsurf: serverUrl (url does not connect there) and headers', () => {
    const e = (JSON.parse(snip('windsurf').text) as { mcpServers: Record<string, unknown> })
      .mcpServers['quave-agent'];
    expect(e).toEqual({ serverUrl: url, headers: { Authorization: `Bearer ${token}` } });
  });

  it('Gemini CLI: httpUrl (url means SSE there) and headers', () => {
    const e = (JSON.parse(snip('gemini-cli').text) as { mcpServers: Record<string, unknown> })
      .mcpServers['quave-agent'];
    expect(e).toEqual({ httpUrl: url, headers: { Authorization: `Bearer ${token}` } });
  });

  it('Zed: context_servers with url and headers', () => {
    expect(JSON.parse(snip('zed').text)).toEqual({
      context_servers: { 'quave-agent': { url, headers: { Authorization: `Bearer ${token}` } } },
    });
  });

  it('Cline: type streamableHttp', () => {
    const e = (JSON.parse(snip('cline').text) as { mcpServers: Record<string, unknown> })
      .mcpServers['quave-agent'];
    expect(e).toMatchObject({ type: 'streamableHttp', url });
  });

  it('Goose: a YAML extension of type streamable_http with uri and headers', () => {
    const s = snip('goose');
    expect(s.language).toBe('yaml');
    const doc = parse(s.text) as { extensions: Record<string, unknown> };
    expect(doc.extensions['quave-agent']).toMatchObject({
      type: 'streamable_http',
      uri: url,
      enabled: true,
      headers: { Authorization: `Bearer ${token}` },
    });
  });

  it('Continue: a YAML block whose mcpServers list has a streamable-http entry', () => {
    const s = snip('continue');
    expect(s.language).toBe('yaml');
    const doc = parse(s.text) as { schema: string; mcpServers: Array<Record<string, unknown>> };
    expect(doc.schema).toBe('v1');
    expect(doc.mcpServers).toEqual([
      {
        name: 'quave-agent',
        type: 'streamable-http',
        url,
        requestOptions: { headers: { Authorization: `Bearer ${token}` } },
      },
    ]);
  });
});

// One MCP request over plain HTTP, as a client of each era sends it (for checks below what an
// SDK client shows): a 2026-07-28 one carries the method header and the per-request `_meta`, a
// 2025 one neither.

const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'keyway-test', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

function post(url: string, key: string, headers: Record<string, string>, body: object) {
  return fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      accept: 'application/json, text/event-stream',
      'content-type': 'application/json',
      ...headers,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, ...body }),
  });
}

export function modernPost(
  url: string,
  key: string,
  method: string,
  params: object = {},
): Promise<Response> {
  const headers = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': method };
  return post(url, key, headers, { method, params: { ...params, _meta: META } });
}

export function legacyPost(url: string, key: string, method: string, params: object) {
  return post(url, key, { 'mcp-protocol-version': '2025-11-25' }, { method, params });
}

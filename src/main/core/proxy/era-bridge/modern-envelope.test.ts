import { describe, expect, it } from 'vitest';
import { modernHeaders, paramHeaders, withEnvelope } from './modern-envelope';

const facts = {
  clientInfo: { name: 'cursor', version: '1.2' },
  clientCapabilities: { sampling: {} },
  logLevel: undefined as string | undefined,
};

describe('withEnvelope', () => {
  it('puts the session facts in _meta and keeps the client’s own _meta and params', () => {
    const m = withEnvelope(
      {
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: { name: 'x', _meta: { progressToken: 'p1' } },
      },
      { ...facts, logLevel: 'debug' },
      { requestState: 's' },
    );
    expect(m).toEqual({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: {
        name: 'x',
        requestState: 's',
        _meta: {
          progressToken: 'p1',
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientInfo': facts.clientInfo,
          'io.modelcontextprotocol/clientCapabilities': facts.clientCapabilities,
          'io.modelcontextprotocol/logLevel': 'debug',
        },
      },
    });
  });

  it('sends no log level until the client set one', () => {
    const m = withEnvelope({ id: 1, method: 'tools/list' }, facts);
    expect(m.params?._meta).not.toHaveProperty(['io.modelcontextprotocol/logLevel']);
  });
});

describe('headers', () => {
  it('names the method and the tool, prompt or resource, and drops the session headers', () => {
    expect(modernHeaders({ method: 'tools/call', params: { name: 'get_weather' } })).toMatchObject({
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'get_weather',
      'mcp-session-id': undefined,
      'last-event-id': undefined,
    });
    expect(
      modernHeaders({ method: 'resources/read', params: { uri: 'file:///a b' } }),
    ).toMatchObject({ 'mcp-name': 'file:///a b' });
    expect(modernHeaders({ method: 'tools/list' })).not.toHaveProperty('mcp-name');
  });

  it('adds Mcp-Param headers for arguments marked x-mcp-header, nested ones too', () => {
    const schema = {
      type: 'object',
      properties: {
        region: { type: 'string', 'x-mcp-header': 'Region' },
        limit: { type: 'integer', 'x-mcp-header': 'Limit' },
        opts: { type: 'object', properties: { dry: { type: 'boolean', 'x-mcp-header': 'Dry' } } },
        query: { type: 'string' },
      },
    };
    const args = { region: 'us-west1', limit: 42, opts: { dry: false }, query: 'SELECT 1' };
    expect(new Map(paramHeaders(schema, args))).toEqual(
      new Map([
        ['mcp-param-region', 'us-west1'],
        ['mcp-param-limit', '42'],
        ['mcp-param-dry', 'false'],
      ]),
    );
    expect(paramHeaders(schema, {})).toEqual([]);
  });
});

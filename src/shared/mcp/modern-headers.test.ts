import { describe, expect, it } from 'vitest';
import { headerValue, modernHeaders } from './modern-headers';

const meta = { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } };

describe('modern request headers', () => {
  it('mirrors the version, the method and the named target', () => {
    expect(
      modernHeaders({ id: 1, method: 'tools/call', params: { name: 'get_weather', ...meta } }),
    ).toEqual({
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'get_weather',
    });
    expect(
      modernHeaders({ id: 2, method: 'resources/read', params: { uri: 'file:///a b', ...meta } }),
    ).toMatchObject({ 'mcp-name': 'file:///a b' });
    expect(modernHeaders({ id: 3, method: 'tools/list', params: meta })).toEqual({
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/list',
    });
  });

  it('adds nothing to a legacy message', () => {
    expect(modernHeaders({ id: 1, method: 'tools/call', params: { name: 'x' } })).toEqual({});
  });

  it('encodes values a header cannot carry as the spec’s examples show', () => {
    expect(headerValue('us-west1')).toBe('us-west1');
    expect(headerValue('Hello, 世界')).toBe('=?base64?SGVsbG8sIOS4lueVjA==?=');
    expect(headerValue(' padded ')).toBe('=?base64?IHBhZGRlZCA=?=');
    expect(headerValue('line1\nline2')).toBe('=?base64?bGluZTEKbGluZTI=?=');
    expect(headerValue('=?base64?literal?=')).toBe('=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=');
    // Inner spaces and tabs are plain field content (RFC 9110 §5.5); an empty value is not.
    expect(headerValue('a\tb c')).toBe('a\tb c');
    expect(headerValue('')).toBe('=?base64??=');
  });
});

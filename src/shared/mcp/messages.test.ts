import { describe, expect, it } from 'vitest';
import { eraOf, isModernError, supportedVersionsOf } from './era';
import {
  idFromKey,
  idKey,
  isInitialize,
  isNotification,
  isRequest,
  isResponse,
  parseRpc,
  parseRpcList,
  requestIds,
  rpcErrorJson,
} from './messages';

describe('JSON-RPC messages', () => {
  it('tells requests, notifications and responses apart', () => {
    expect(isRequest({ id: 1, method: 'tools/list' })).toBe(true);
    expect(isRequest({ id: null, method: 'x' })).toBe(false);
    expect(isNotification({ method: 'notifications/initialized' })).toBe(true);
    expect(isResponse({ id: 'a', result: {} })).toBe(true);
    expect(isResponse({ id: 'a', error: { code: 1 } })).toBe(true);
    expect(isResponse({ id: 'a', method: 'ping' })).toBe(false);
  });

  it('parses one message, a batch, or refuses what is not JSON-RPC', () => {
    expect(parseRpc('{"jsonrpc":"2.0","id":1,"method":"ping"}')).toEqual({
      jsonrpc: '2.0',
      id: 1,
      method: 'ping',
    });
    expect(parseRpc('[{"id":1,"method":"a"},3]')).toEqual([{ id: 1, method: 'a' }, 3]);
    expect(parseRpc('not json')).toBeNull();
    expect(parseRpc('"a string"')).toBeNull();
    expect(parseRpcList('[{"id":1,"method":"a"},3]')).toEqual([{ id: 1, method: 'a' }]);
    expect(parseRpcList('nope')).toBeUndefined();
  });

  it('finds request ids and initialize among a batch', () => {
    const batch = [
      { jsonrpc: '2.0', method: 'n' },
      { jsonrpc: '2.0', id: 'a', result: {} },
      { jsonrpc: '2.0', id: 7, method: 'tools/call' },
    ];
    expect(requestIds(batch)).toEqual([7]);
    expect(isInitialize(batch)).toBe(false);
    expect(isInitialize([{ id: 0, method: 'initialize' }])).toBe(true);
  });

  it('builds Keyway’s own errors as JSON-RPC', () => {
    expect(JSON.parse(rpcErrorJson(3, 'paused'))).toEqual({
      jsonrpc: '2.0',
      id: 3,
      error: { code: -32000, message: 'paused' },
    });
  });
});

describe('eras', () => {
  it('dates 2026-07-28 and later as modern, earlier as legacy', () => {
    expect(eraOf('2025-11-25')).toBe('legacy');
    expect(eraOf('2024-11-05')).toBe('legacy');
    expect(eraOf('2026-07-28')).toBe('modern');
    expect(eraOf('2027-01-01')).toBe('modern');
  });

  it('recognises only the modern error codes, and reads the supported versions', () => {
    const unsupported = {
      code: -32022,
      message: 'Unsupported protocol version',
      data: { supported: ['2026-07-28', 7], requested: '1900-01-01' },
    };
    expect(isModernError(unsupported)).toBe(true);
    expect(isModernError({ code: -32020 })).toBe(true);
    expect(isModernError({ code: -32601 })).toBe(false);
    expect(isModernError(undefined)).toBe(false);
    expect(supportedVersionsOf(unsupported)).toEqual(['2026-07-28']);
  });
});

describe('idKey', () => {
  it('keeps 1 and "1" apart, and reads an id back from its key', () => {
    expect(idKey(1)).not.toBe(idKey('1'));
    expect(idFromKey(idKey('abc'))).toBe('abc');
    expect(idFromKey(idKey(7))).toBe(7);
    expect(idKey(undefined)).not.toBe(idKey('undefined'));
  });
});

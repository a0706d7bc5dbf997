import { describe, expect, it } from 'vitest';
import { isInitialize, requestIds } from '../../../../shared/mcp/messages';
import { parseMessages } from '../body-messages';
import { SessionReplay } from '../../../../shared/mcp/session-replay';
import { SessionTable } from './proxy-session';

const body = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe('SessionTable', () => {
  it('binds a session to the client and connection that opened it', () => {
    const table = new SessionTable();
    const session = table.create('qyvo', 'alice', 'v1', new SessionReplay());
    expect(table.find(session.id, 'qyvo', 'alice')).toBe(session);
    expect(table.find(session.id, 'qyvo', 'bob')).toBeUndefined();
    expect(table.find(session.id, 'other', 'alice')).toBeUndefined();
    expect(table.remove(session)).toBe(true);
    expect(table.remove(session)).toBe(false);
    expect(table.find(session.id, 'qyvo', 'alice')).toBeUndefined();
  });

  it('lists only sessions idle for long with nothing in flight', () => {
    const table = new SessionTable();
    const idle = table.create('qyvo', 'alice', 'v1', new SessionReplay());
    const busy = table.create('qyvo', 'bob', 'v1', new SessionReplay());
    table.create('qyvo', 'carol', 'v1', new SessionReplay());
    idle.lastActive = busy.lastActive = Date.now() - 60_000;
    busy.inFlight = 1;
    expect(table.idle(30_000)).toEqual([idle]);
  });
});

describe('the body pre-filter', () => {
  it('parses only bodies that matter unless forced, and finds request ids', () => {
    const call = body({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'x' } });
    expect(parseMessages(call)).toBeUndefined();
    expect(requestIds(parseMessages(call, true))).toEqual([7]);
    expect(
      requestIds(
        parseMessages(
          body([
            { jsonrpc: '2.0', method: 'n' },
            { jsonrpc: '2.0', id: 'a', result: {} },
          ]),
          true,
        ),
      ),
    ).toEqual([]);
    expect(parseMessages(Buffer.from('not json'), true)).toBeUndefined();
    expect(
      isInitialize(
        parseMessages(body({ jsonrpc: '2.0', id: 0, method: 'initialize', params: {} })),
      ),
    ).toBe(true);
  });
});

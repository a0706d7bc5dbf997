import { describe, expect, it } from 'vitest';
import type { RpcMessage } from '../../../../shared/mcp/messages';
import { callWithInput, MAX_INPUT_ROUNDS } from './input-rounds';

const request: RpcMessage = { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 't' } };
const envelope = (extra?: Record<string, unknown>): RpcMessage => ({
  ...request,
  params: { ...request.params, ...extra },
});

describe('multi round-trip calls', () => {
  it('asks the client for every input at once and retries with the answers and the state', async () => {
    const sent: RpcMessage[] = [];
    const asked: string[] = [];
    const answer = await callWithInput(request, envelope, {
      send: (m) => {
        sent.push(m);
        if (sent.length === 1)
          return Promise.resolve({
            id: 3,
            result: {
              resultType: 'input_required',
              inputRequests: {
                a: { method: 'elicitation/create', params: { message: 'name?' } },
                b: { method: 'roots/list' },
              },
              requestState: 'opaque',
            },
          });
        return Promise.resolve({ id: 3, result: { resultType: 'complete', content: [] } });
      },
      ask: (method) => {
        asked.push(method);
        return Promise.resolve({ result: { answered: method } });
      },
    });
    expect(asked.sort()).toEqual(['elicitation/create', 'roots/list']);
    expect(sent[1]?.params).toEqual({
      name: 't',
      inputResponses: {
        a: { answered: 'elicitation/create' },
        b: { answered: 'roots/list' },
      },
      requestState: 'opaque',
    });
    expect(answer.result).toEqual({ resultType: 'complete', content: [] });
  });

  it('passes a plain answer through with no extra round', async () => {
    let sends = 0;
    const answer = await callWithInput(request, envelope, {
      send: () => {
        sends++;
        return Promise.resolve({ id: 3, error: { code: -32602, message: 'bad' } });
      },
      ask: () => Promise.reject(new Error('never')),
    });
    expect(sends).toBe(1);
    expect(answer.error).toEqual({ code: -32602, message: 'bad' });
  });

  it('fails the call when the client refuses, and when the server never stops asking', async () => {
    const asking = {
      send: () =>
        Promise.resolve<RpcMessage>({
          id: 3,
          result: { resultType: 'input_required', inputRequests: { a: { method: 'x' } } },
        }),
    };
    const refused = await callWithInput(request, envelope, {
      ...asking,
      ask: () => Promise.resolve({ error: { code: -32601, message: 'Method not found' } }),
    });
    expect(String((refused.error as { message?: string }).message)).toContain('Method not found');
    let rounds = 0;
    const endless = await callWithInput(request, envelope, {
      ...asking,
      ask: () => {
        rounds++;
        return Promise.resolve({ result: {} });
      },
    });
    expect(rounds).toBe(MAX_INPUT_ROUNDS);
    expect(String((endless.error as { message?: string }).message)).toContain('more than');
  });
});

import { describe, expect, it } from 'vitest';
import type { ProxyBackend, ProxyKey } from '../proxy-backend';
import { exchange, RESEND, type Sent } from './exchange';
import { decide, MAX_ATTEMPTS, type RefusalFacts } from './refusal-policy';

/** A backend whose current key and renewals the test sets; it records what it was told. */
function backend(current: ProxyKey, renews = false) {
  const seen = { reads: 0, renewals: 0, refused: [] as Array<[string, number, string?]> };
  const b: ProxyBackend & { current: ProxyKey; seen: typeof seen } = {
    current,
    seen,
    route: () => undefined,
    currentKey: async () => {
      seen.reads++;
      return b.current;
    },
    authenticate: () => undefined,
    renewKey: async () => {
      seen.renewals++;
      if (renews) b.current = { versionId: 'renewed', secret: 'new', origin: ORIGIN };
      return renews;
    },
    onKeyRefused: (_slug, versionId, status, challenge) =>
      seen.refused.push([versionId, status, challenge]),
    onRequestDone: () => undefined,
    onClientSession: () => undefined,
  };
  return b;
}

const ORIGIN = 'https://mcp.example.test';
const V1: ProxyKey = { versionId: 'v1', secret: 'one', origin: ORIGIN };
const V2: ProxyKey = { versionId: 'v2', secret: 'two', origin: ORIGIN };
const facts = (status: number, more: Partial<RefusalFacts> = {}): RefusalFacts => ({
  status,
  used: V1,
  sessionMoved: false,
  inSession: false,
  boundElsewhere: false,
  ...more,
});
const ALLOW = { mayResend: true, mayRenew: true };

describe('refusal policy: one read of the key decides', () => {
  it('passes a success without reading the key', async () => {
    const b = backend(V1);
    expect(await decide(b, 's', facts(200), ALLOW)).toBe('pass');
    expect(b.seen.reads).toBe(0);
  });

  it('a 401 to a key a swap replaced: resend; once resends are used up, pass it without blame', async () => {
    const b = backend(V2);
    expect(await decide(b, 's', facts(401), ALLOW)).toBe('retry');
    expect(await decide(b, 's', facts(401), { ...ALLOW, mayResend: false })).toBe('pass');
    expect(b.seen.refused).toEqual([]);
    expect(b.seen.reads).toBe(2);
  });

  it('a 401 to the current key: renewed where the backend can, else reported once', async () => {
    const oauth = backend(V1, true);
    expect(await decide(oauth, 's', facts(401), ALLOW)).toBe('renewed');
    expect(oauth.seen.refused).toEqual([]);
    const apiKey = backend(V1, false);
    expect(await decide(apiKey, 's', facts(401), ALLOW)).toBe('pass');
    expect(apiKey.seen.refused).toEqual([['v1', 401, undefined]]);
    expect(apiKey.seen.reads).toBe(1);
    const again = backend(V1, true);
    expect(await decide(again, 's', facts(401), { ...ALLOW, mayRenew: false })).toBe('pass');
    expect(again.seen.renewals).toBe(0);
  });

  it('a 404 in a session bound to another key re-opens it; outside a session it passes', async () => {
    const b = backend(V1);
    expect(await decide(b, 's', facts(404, { inSession: true, boundElsewhere: true }), ALLOW)).toBe(
      'reopen',
    );
    expect(await decide(b, 's', facts(404), ALLOW)).toBe('pass');
  });

  it('a 403 insufficient_scope is reported with its challenge, not retried', async () => {
    const b = backend(V1);
    const challenge = 'Bearer error="insufficient_scope", scope="write"';
    expect(await decide(b, 's', facts(403, { challenge }), ALLOW)).toBe('pass');
    expect(b.seen.refused).toEqual([['v1', 403, challenge]]);
  });
});

describe('exchange: the one retry loop', () => {
  /** A vendor answering each send with the next status; counts what was let go. */
  function vendor(statuses: number[], b: ReturnType<typeof backend>) {
    const sent: string[] = [];
    let discarded = 0;
    let reopened = 0;
    const send = async (): Promise<Sent<number>> => {
      const key = await b.currentKey('s');
      sent.push(key.versionId);
      const status = statuses.shift() ?? 200;
      return {
        result: status,
        facts: { ...facts(status), used: key, inSession: true, boundElsewhere: status === 404 },
        discard: () => void discarded++,
        reopen: async () => void reopened++,
      };
    };
    return { send, sent, counts: () => ({ discarded, reopened }) };
  }

  it('resends after a swap with the new key and lets go of the refused answer', async () => {
    const b = backend(V1);
    const v = vendor([401], b);
    const send = async () => {
      const s = await v.send();
      b.current = V2; // the swap lands while the request was out
      return s;
    };
    expect(await exchange(b, 's', true, send)).toBe(200);
    expect(v.sent).toEqual(['v1', 'v2']);
    expect(v.counts()).toEqual({ discarded: 1, reopened: 0 });
  });

  it('renews once per request, however often the renewed credential is refused', async () => {
    const b = backend(V1, true);
    const v = vendor([401, 401, 401], b);
    expect(await exchange(b, 's', true, v.send)).toBe(401);
    expect(b.seen.renewals).toBe(1);
    expect(b.seen.refused).toEqual([['renewed', 401, undefined]]);
  });

  it('a body that cannot be sent again is passed on as it came, after one renewal', async () => {
    const b = backend(V1, true);
    const v = vendor([401], b);
    expect(await exchange(b, 's', false, v.send)).toBe(401);
    expect(v.sent).toEqual(['v1']);
    expect(v.counts().discarded).toBe(0);
  });

  it('stops re-opening after MAX_ATTEMPTS sends', async () => {
    const b = backend(V1);
    const v = vendor(Array<number>(10).fill(404), b);
    expect(await exchange(b, 's', true, v.send)).toBe(404);
    expect(v.sent).toHaveLength(MAX_ATTEMPTS);
    expect(v.counts().reopened).toBe(MAX_ATTEMPTS - 1);
  });

  it('a stale pooled socket is resent only while resends are left', async () => {
    const b = backend(V1);
    let calls = 0;
    const result = await exchange(b, 's', true, async (mayResend) => {
      calls++;
      if (mayResend) return RESEND;
      return {
        result: 'last',
        facts: facts(200),
        discard: () => undefined,
        reopen: async () => undefined,
      };
    });
    expect(result).toBe('last');
    expect(calls).toBe(MAX_ATTEMPTS);
  });
});

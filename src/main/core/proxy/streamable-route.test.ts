// The session step over real loopback HTTP: the client holds a session id of Keyway's own, the
// vendor sees its own id, and a session the vendor or the client ends is gone on both sides.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  callProxy,
  released,
  rpc,
  SLUG,
  useLoopback,
  type Loopback,
} from '../../../../test/support/proxy-loopback';
import { initializeRequest } from '../../../../test/support/mcp-initialize';

const startLoopback = useLoopback();
let lb: Loopback | undefined;

const VENDOR_SESSION = 'vendor-session-1';
const INITIALIZE = initializeRequest(0);

/** A vendor with one session: it opens on initialize, answers within it, ends on DELETE. */
function sessionVendor(state = { open: true }) {
  return (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const id = req.headers['mcp-session-id'];
    const message = body.length
      ? (JSON.parse(body.toString()) as { id?: number; method: string })
      : undefined;
    if (message?.method === 'initialize') {
      res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': VENDOR_SESSION });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: 0, result: { protocolVersion: '2025-11-25' } }));
      return;
    }
    if (id !== VENDOR_SESSION || !state.open) return void res.writeHead(404).end();
    if (req.method === 'DELETE') {
      state.open = false;
      return void res.writeHead(200).end();
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ jsonrpc: '2.0', id: message?.id, result: {} }));
  };
}

async function initialize(l: Loopback): Promise<string> {
  const answer = await callProxy(l, { body: INITIALIZE }).answer();
  expect(answer.status).toBe(200);
  const id = answer.headers['mcp-session-id'];
  expect(typeof id).toBe('string');
  return id as string;
}

describe('streamable route: sessions', () => {
  it('the client holds Keyway’s session id; the vendor sees its own on every later request', async () => {
    lb = await startLoopback(sessionVendor());
    const session = await initialize(lb);
    expect(session).not.toBe(VENDOR_SESSION);
    expect(lb.backend.sessionEvents).toEqual([
      { type: 'connected', slug: SLUG, client: 'claude', sessionId: session },
    ]);
    const answer = await callProxy(lb, {
      body: rpc('tools/list', 2),
      headers: { 'mcp-session-id': session },
    }).answer();
    expect(answer.status).toBe(200);
    expect(answer.headers['mcp-session-id']).toBe(session);
    expect(lb.vendor.seen[1]?.headers['mcp-session-id']).toBe(VENDOR_SESSION);
    expect(await released(lb)).toBe(true);
  });

  it('an unknown session id is 404 from Keyway, and the vendor never hears of it', async () => {
    lb = await startLoopback(sessionVendor());
    const answer = await callProxy(lb, {
      body: rpc('tools/list', 2),
      headers: { 'mcp-session-id': VENDOR_SESSION },
    }).answer();
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body.toString())).toMatchObject({ error: { code: -32001 } });
    expect(lb.vendor.seen).toHaveLength(0);
  });

  it('a session the vendor forgot (404) is forgotten here too: the client is told to initialize', async () => {
    const state = { open: true };
    lb = await startLoopback(sessionVendor(state));
    const session = await initialize(lb);
    state.open = false;
    const headers = { 'mcp-session-id': session };
    expect((await callProxy(lb, { body: rpc('tools/list', 2), headers }).answer()).status).toBe(
      404,
    );
    const again = await callProxy(lb, { body: rpc('tools/list', 3), headers }).answer();
    expect(again.status).toBe(404);
    expect(lb.vendor.seen).toHaveLength(2);
    expect(lb.backend.sessionEvents.map((e) => e.type)).toEqual(['connected', 'disconnected']);
  });

  it('DELETE ends the session at the vendor and in Keyway', async () => {
    const state = { open: true };
    lb = await startLoopback(sessionVendor(state));
    const session = await initialize(lb);
    const headers = { 'mcp-session-id': session };
    const ended = await callProxy(lb, { method: 'DELETE', headers }).answer();
    expect(ended.status).toBe(200);
    expect(state.open).toBe(false);
    expect(lb.vendor.seen.at(-1)).toMatchObject({ method: 'DELETE' });
    expect(lb.vendor.seen.at(-1)?.headers['mcp-session-id']).toBe(VENDOR_SESSION);
    expect(lb.backend.sessionEvents.map((e) => e.type)).toEqual(['connected', 'disconnected']);
    const after = await callProxy(lb, { body: rpc('tools/list', 2), headers }).answer();
    expect(after.status).toBe(404);
    expect(await released(lb)).toBe(true);
  });

  it('a DELETE the vendor refuses after a rotation (its session died with the old key) is 200', async () => {
    lb = await startLoopback(sessionVendor());
    const session = await initialize(lb);
    lb.backend.keys.set(SLUG, { versionId: 'v2', secret: 'vendor-secret-v2' });
    // The vendor knows that session only under the old key.
    lb.vendor.handle = (_req, res) => void res.writeHead(404).end();
    const ended = await callProxy(lb, {
      method: 'DELETE',
      headers: { 'mcp-session-id': session },
    }).answer();
    expect(ended.status).toBe(200);
    expect(lb.backend.sessionEvents.map((e) => e.type)).toEqual(['connected', 'disconnected']);
    expect(await released(lb, 'v2')).toBe(true);
  });

  it('a body over the limit is 413 and nothing reaches the vendor', async () => {
    lb = await startLoopback(sessionVendor(), { maxBodyBytes: 1024 });
    const big = rpc('tools/call', 1, { arguments: { text: 'x'.repeat(4096) } });
    const answer = await callProxy(lb, { body: big }).answer();
    expect(answer.status).toBe(413);
    expect(lb.vendor.seen).toHaveLength(0);
  });
});

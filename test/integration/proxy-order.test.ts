// A vendor that sends its sampling and elicitation requests on the session's standalone GET
// stream loses them if that stream is not open yet. The SDK client opens the stream and sends its
// next request at once; through a proxy the request may overtake the stream unless the proxy
// keeps the session's order. 50 sessions, each calling such a tool right after connecting:
// directly (the control) and through Keyway, none may lose a request.
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, MemoryBackend, startProxy, textOf } from '../support/mcp-upstream';
import type { TestProxy } from '../support/mcp-upstream';
import { startStandaloneVendor } from '../support/standalone-vendor';
import type { StandaloneVendor } from '../support/standalone-vendor';

const KEY = 'vendor-standalone-secret-0123456789';
const TOKEN = 'local-token-order-0123456789';
const SESSIONS = 50;
/** Far below the SDK's 60 s default: a lost request is a timeout here. */
const CALL_TIMEOUT_MS = 5000;

let vendor: StandaloneVendor;
let px: TestProxy;

beforeAll(async () => {
  vendor = await startStandaloneVendor(KEY);
  const backend = new MemoryBackend();
  backend.addRoute('standalone', vendor.url, { versionId: 'v1', secret: KEY });
  backend.tokens.set(TOKEN, { client: 'client-a', slug: 'standalone' });
  // Each request's own steps take their own time (here its key read, 0–4 ms): only the proxy's
  // ordering keeps a call from overtaking the stream opened just before it.
  backend.keyReadMs = () => Math.random() * 4;
  px = await startProxy(backend);
});

afterAll(async () => {
  await px.close();
  await vendor.close();
});

/** Connects and at once calls a tool whose server request rides the standalone stream. */
async function oneSession(url: string, auth: string, i: number): Promise<string> {
  const { client } = await connectClient(url, undefined, {
    headers: { Authorization: auth },
    client: { capabilities: { elicitation: {}, sampling: {} } },
  });
  client.setRequestHandler(ElicitRequestSchema, () => ({
    action: 'accept',
    content: { answer: `answer ${i}` },
  }));
  client.setRequestHandler(CreateMessageRequestSchema, () => ({
    model: 'test-model',
    role: 'assistant',
    content: { type: 'text', text: `sampled ${i}` },
  }));
  try {
    const call =
      i % 2 === 0
        ? { name: 'sample', arguments: { prompt: `p${i}` } }
        : { name: 'ask', arguments: { question: `q${i}` } };
    const result = await client.callTool(call, undefined, { timeout: CALL_TIMEOUT_MS });
    return textOf(result);
  } catch (err) {
    return `LOST: ${(err as Error).message}`;
  } finally {
    await client.close();
  }
}

async function fiftySessions(url: string, auth: string): Promise<string[]> {
  const lost: string[] = [];
  // One after another, as a client window reconnecting would (the control stays clean only so:
  // with several at once the vendor itself sometimes sees the call before the stream).
  for (let i = 0; i < SESSIONS; i++) {
    const answer = await oneSession(url, auth, i);
    const expected =
      i % 2 === 0 ? `sampled ${i}` : JSON.stringify({ action: 'accept', answer: `answer ${i}` });
    if (answer !== expected) lost.push(`session ${i}: ${answer}`);
  }
  return lost;
}

describe('server requests on the standalone stream, right after the first call', () => {
  it('none is lost directly (the control)', async () => {
    expect(await fiftySessions(vendor.url, `Bearer ${KEY}`)).toEqual([]);
  }, 120_000);

  it('none is lost through Keyway', async () => {
    expect(await fiftySessions(px.url('standalone'), `Bearer ${TOKEN}`)).toEqual([]);
  }, 120_000);
});

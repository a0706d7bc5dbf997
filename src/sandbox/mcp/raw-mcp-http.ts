import { request } from 'node:http';
export type { SseEvent } from '../../shared/mcp/sse';
import type { SseEvent } from '../../shared/mcp/sse';
import { SseParser } from '../../shared/mcp/sse';

// Hand-made MCP-over-HTTP exchanges, for tests that must control exact headers (Host, Origin,
// Last-Event-ID) or see exact statuses and SSE events, which an SDK client hides.

const ACCEPT_BOTH = 'application/json, text/event-stream';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request over node:http (which, unlike fetch, may set Host), body read whole. */
export function rawRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown },
): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: init.method ?? 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: ACCEPT_BOTH,
          ...init.headers,
        },
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body === undefined ? undefined : JSON.stringify(init.body));
  });
}

/** Reads SSE events from a fetch body, one at a time; `next()` resolves undefined at the end. */
export function sseReader(body: ReadableStream<Uint8Array>): {
  next(): Promise<SseEvent | undefined>;
} {
  const reader = body.getReader();
  const ready: SseEvent[] = [];
  const parser = new SseParser((event) => ready.push(event));
  return {
    async next() {
      for (;;) {
        const event = ready.shift();
        if (event) return event;
        const { value, done } = await reader.read();
        if (done) return undefined;
        parser.feed(value);
      }
    },
  };
}

/** Opens a session by hand: initialize, then the initialized notification. Returns its id. */
export async function rawOpenSession(url: string, secret: string): Promise<string> {
  const auth = { Authorization: `Bearer ${secret}` };
  const init = await rawRequest(url, {
    headers: auth,
    body: {
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'raw-test-client', version: '1.0.0' },
      },
    },
  });
  const sessionId = init.headers['mcp-session-id'];
  if (init.status !== 200 || typeof sessionId !== 'string') {
    throw new Error(`initialize failed with HTTP ${init.status}: ${init.body}`);
  }
  const ack = await rawRequest(url, {
    headers: { ...auth, 'Mcp-Session-Id': sessionId, 'MCP-Protocol-Version': '2025-11-25' },
    body: { jsonrpc: '2.0', method: 'notifications/initialized' },
  });
  if (ack.status !== 202) throw new Error(`initialized notification got HTTP ${ack.status}`);
  return sessionId;
}

// A 2026-07-28-only MCP server (SDK v2, `legacy: 'reject'`) for the listen-splice tests. Its keys
// are checked per request by the test (e.g. "live at the sandbox Quave"), and it watches its own
// `subscriptions/listen` streams: which key each came with, when it ended, and whether that key
// was still live then. Like a strict vendor, it cuts a listen stream whose key was revoked the
// next time it has something to send. It can also hold new listen requests unanswered (a vendor
// that never acknowledges). Built here rather than in src/sandbox/, which another change owns.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import * as z from 'zod/v4';

export interface ListenRecord {
  key: string;
  openedAt: number;
  endedAt?: number;
  /** Whether the key was still live when the stream ended (it ended before the revoke). */
  liveAtEnd?: boolean;
  /** Held unanswered (never acknowledged). */
  held: boolean;
}

export interface ListenVendor {
  url: string;
  listens: ListenRecord[];
  /** Listen streams open now. */
  open(): number;
  /** Every key a request carried, in order. */
  keysSeen: string[];
  /** Set by a test: listen requests it says true for are held, never answered; a number delays. */
  hold: (key: string) => boolean | number;
  /**
   * Set by a test: listen streams whose key it matches carry a subscription id of the vendor's
   * own (`vendor-<n>`) instead of the listen request's id, as a server that numbers them may.
   */
  renumber: (key: string) => boolean;
  /** Publishes change number `seq` to every listen stream that asked for tool-list changes. */
  publish(seq: number): void;
  close(): Promise<void>;
}

export async function startListenVendor(opts: {
  isLive: (key: string) => boolean;
  /** How the vendor reads its key from a request. */
  keyOf: (req: IncomingMessage) => string | undefined;
}): Promise<ListenVendor> {
  const handler = createMcpHandler(buildServer, { legacy: 'reject', keepAliveMs: 0 });
  const serve = toNodeHandler(handler);
  const listens: ListenRecord[] = [];
  const streams = new Map<ServerResponse, ListenRecord>();
  const keysSeen: string[] = [];
  const vendor: ListenVendor = {
    url: '',
    listens,
    keysSeen,
    open: () => streams.size,
    hold: () => false,
    renumber: () => false,
    publish(seq) {
      // A revoked key's stream is cut, as a vendor that checks its keys on delivery would.
      for (const [res, record] of streams) if (!opts.isLive(record.key)) res.destroy();
      handler.bus.publish({ kind: 'tools_list_changed', params: { _meta: { seq } } });
    },
    async close() {
      await handler.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
  const http = createServer((req, res) => {
    const key = opts.keyOf(req);
    if (key) keysSeen.push(key);
    if (!key || !opts.isLive(key)) {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
      res.end(JSON.stringify({ error: 'invalid_token' }));
      return;
    }
    if (req.method === 'POST' && req.headers['mcp-method'] === 'subscriptions/listen') {
      const hold = vendor.hold(key);
      const record: ListenRecord = { key, openedAt: Date.now(), held: hold === true };
      listens.push(record);
      streams.set(res, record);
      res.once('close', () => {
        streams.delete(res);
        record.endedAt = Date.now();
        record.liveAtEnd = opts.isLive(key);
      });
      if (record.held) return void req.resume();
      if (vendor.renumber(key)) renumbered(res, `vendor-${listens.length}`);
      if (typeof hold === 'number') return void setTimeout(() => void serve(req, res), hold);
    }
    void serve(req, res);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  vendor.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
  return vendor;
}

const SUBSCRIPTION_ID = /"io\.modelcontextprotocol\/subscriptionId":"[^"]*"/g;

/** Every subscription id the response carries becomes `id`. */
function renumbered(res: ServerResponse, id: string): void {
  const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    const text =
      typeof chunk === 'string' || chunk instanceof Uint8Array ? Buffer.from(chunk).toString() : '';
    const out = text.replace(SUBSCRIPTION_ID, `"io.modelcontextprotocol/subscriptionId":"${id}"`);
    return write(text === '' ? chunk : out, ...rest);
  }) as typeof res.write;
}

function buildServer(): McpServer {
  const server = new McpServer(
    { name: 'listen-vendor', version: '1.0.0' },
    { capabilities: { tools: { listChanged: true } } },
  );
  server.registerTool(
    'echo',
    { description: 'Echoes its text', inputSchema: z.object({ text: z.string() }) },
    ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  return server;
}

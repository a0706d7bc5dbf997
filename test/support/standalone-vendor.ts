// A vendor MCP server (the SDK's Streamable HTTP server transport, the sandbox's tools) that
// sends its own requests — sampling, elicitation — on the session's standalone GET stream instead
// of the stream of the call that caused them, as some real servers do. It keeps no event store,
// so a request sent before the client's GET stream is open there is lost: exactly the server a
// proxy that reorders a session's requests breaks.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type {
  Transport,
  TransportSendOptions,
} from '@modelcontextprotocol/sdk/shared/transport.js';
import { isInitializeRequest, isJSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';
import { VendorActivity } from '../../src/sandbox/mcp/activity';
import { admit, readJsonBody, sendJsonRpcError } from '../../src/sandbox/mcp/http-guard';
import type { AuthedRequest } from '../../src/sandbox/mcp/http-guard';
import { createVendorServer } from '../../src/sandbox/mcp/vendor-server';

/** Sends every server→client request unrelated to any call: onto the standalone stream. */
class StandaloneRequests implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

  constructor(readonly inner: StreamableHTTPServerTransport) {}

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  async start(): Promise<void> {
    this.inner.onmessage = (message, extra) => this.onmessage?.(message, extra);
    this.inner.onclose = () => this.onclose?.();
    this.inner.onerror = (error) => this.onerror?.(error);
    await this.inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (isJSONRPCRequest(message))
      return this.inner.send(message, { ...options, relatedRequestId: undefined });
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

export interface StandaloneVendor {
  url: string;
  close(): Promise<void>;
}

/** `allowedHosts` as the sandbox takes them (DNS-rebinding defence); default: its own port. */
export async function startStandaloneVendor(
  key: string,
  allowedHosts?: () => string[],
): Promise<StandaloneVendor> {
  const activity = new VendorActivity('Standalone');
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const closers = new Set<() => Promise<void>>();
  const options = {
    vendor: 'Standalone',
    boundSessions: () => false,
    get allowedHosts() {
      return allowedHosts?.();
    },
    authenticate: (req: IncomingMessage) =>
      req.headers.authorization === `Bearer ${key}`
        ? ({ ok: true, caller: { keyId: 'key-standalone', label: 'standalone' } } as const)
        : ({ ok: false, status: 401, body: '{"message":"Unauthenticated."}' } as const),
  };

  const open = async (req: AuthedRequest, res: ServerResponse): Promise<void> => {
    const body = await readJsonBody(req);
    if (!body.ok) return sendJsonRpcError(res, body.status, -32700, body.message);
    if (!isInitializeRequest(body.value))
      return sendJsonRpcError(res, 400, -32000, 'Bad Request: no session; send initialize first');
    const vendor = createVendorServer(activity);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, transport),
    });
    const close = async (): Promise<void> => vendor.server.close();
    closers.add(close);
    vendor.server.onclose = () => {
      closers.delete(close);
      if (transport.sessionId) sessions.delete(transport.sessionId);
      vendor.dispose();
    };
    await vendor.server.connect(new StandaloneRequests(transport));
    await transport.handleRequest(req, res, body.value);
  };

  const handle = async (req: AuthedRequest, res: ServerResponse): Promise<void> => {
    if (!admit(req, res, options)) return;
    const id = req.headers['mcp-session-id'];
    if (typeof id !== 'string') return open(req, res);
    const transport = sessions.get(id);
    if (!transport) return sendJsonRpcError(res, 404, -32001, 'Session not found');
    let parsed: unknown;
    if (req.method === 'POST') {
      const body = await readJsonBody(req);
      if (!body.ok) return sendJsonRpcError(res, body.status, -32700, body.message);
      parsed = body.value;
    }
    await transport.handleRequest(req, res, parsed);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    async close() {
      await Promise.allSettled([...closers].map((close) => close()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

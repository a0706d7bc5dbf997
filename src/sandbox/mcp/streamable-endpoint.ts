import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { VendorActivity } from './activity';
import { BoundedEventStore } from './event-store';
import { admit, readJsonBody, sendJsonRpcError } from './http-guard';
import type { AuthedRequest } from './http-guard';
import { InFlightResponses, revokedErrorFor } from './in-flight';
import { KeyTrackingTransport } from './key-tracking-transport';
import type { McpCaller, SandboxMcpEndpoint, SandboxMcpEndpointOptions } from './types';
import { createVendorServer } from './vendor-server';
import type { VendorServer } from './vendor-server';

/** How long a client should wait before resuming a stream the server closed (SSE `retry`). */
const RETRY_MS = 500;
const MAX_SESSIONS = 1000;
/** Time for a revoked call's error to be written before its stream is cut regardless. */
const REVOKE_GRACE_MS = 250;

interface Session {
  id: string;
  owner: McpCaller;
  transport: StreamableHTTPServerTransport;
  tracked: KeyTrackingTransport;
  vendor: VendorServer;
  lastUsed: number;
}

/** The vendor's MCP server over Streamable HTTP, with stateful sessions (Mcp-Session-Id). */
export function createSandboxMcpEndpoint(opts: SandboxMcpEndpointOptions): SandboxMcpEndpoint {
  const activity = new VendorActivity(opts.vendor);
  const sessions = new Map<string, Session>();
  const inFlight = new InFlightResponses();
  let closed = false;

  const openSession = async (owner: McpCaller): Promise<Session> => {
    const vendor = createVendorServer(activity);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: new BoundedEventStore(),
      retryInterval: RETRY_MS,
      onsessioninitialized: (id) => {
        session.id = id;
        sessions.set(id, session);
        evictIdleSessions();
      },
    });
    const tracked = new KeyTrackingTransport(transport);
    const session: Session = { id: '', owner, vendor, transport, tracked, lastUsed: Date.now() };
    vendor.server.onclose = () => {
      if (sessions.get(session.id) === session) sessions.delete(session.id);
      vendor.dispose();
    };
    await vendor.server.connect(tracked);
    return session;
  };

  const evictIdleSessions = (): void => {
    if (sessions.size <= MAX_SESSIONS) return;
    const oldest = [...sessions.values()].sort((a, b) => a.lastUsed - b.lastUsed);
    for (const session of oldest.slice(0, sessions.size - MAX_SESSIONS)) {
      void session.vendor.server.close();
    }
  };

  const handleNew = async (req: AuthedRequest, res: ServerResponse, caller: McpCaller) => {
    if (req.method !== 'POST') {
      sendJsonRpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
      return;
    }
    const body = await readJsonBody(req);
    if (!body.ok) return sendJsonRpcError(res, body.status, -32700, body.message);
    if (!isInitializeRequest(body.value)) {
      sendJsonRpcError(
        res,
        400,
        -32000,
        'Bad Request: no session; the first request must be initialize',
      );
      return;
    }
    const session = await openSession(caller);
    await session.transport.handleRequest(req, res, body.value);
    // A refused initialize (bad Accept header, say) never became a session: drop it.
    if (session.transport.sessionId === undefined) await session.vendor.server.close();
  };

  const handleInSession = async (
    req: AuthedRequest,
    res: ServerResponse,
    caller: McpCaller,
    sessionId: string,
  ) => {
    const session = sessions.get(sessionId);
    if (!session || (opts.boundSessions() && session.owner.keyId !== caller.keyId)) {
      // A key-bound session looks, to any other key, like no session at all (as real vendors do).
      sendJsonRpcError(res, 404, -32001, 'Session not found');
      return;
    }
    session.lastUsed = Date.now();
    let parsedBody: unknown;
    if (req.method === 'POST') {
      const body = await readJsonBody(req);
      if (!body.ok) return sendJsonRpcError(res, body.status, -32700, body.message);
      parsedBody = body.value;
    }
    await session.transport.handleRequest(req, res, parsedBody);
  };

  return {
    async handle(incoming: IncomingMessage, res: ServerResponse) {
      const req = incoming as AuthedRequest;
      if (closed) return sendJsonRpcError(res, 503, -32000, `${opts.vendor} sandbox is shut down`);
      const caller = admit(req, res, opts);
      if (!caller) return;
      // A GET with Last-Event-ID resumes a call's stream; a plain GET is the notification stream.
      const resumes = req.method === 'GET' && req.headers['last-event-id'] !== undefined;
      inFlight.track(res, caller.keyId, resumes ? 'GET resume' : (req.method ?? ''));
      const sessionId = req.headers['mcp-session-id'];
      try {
        if (typeof sessionId === 'string') await handleInSession(req, res, caller, sessionId);
        else await handleNew(req, res, caller);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        sendJsonRpcError(res, 500, -32603, `Internal error: ${message}`);
      }
    },

    revokeKey(keyId: string) {
      // Streams that carry no call (the GET notification stream) end now; calls made with the
      // key get an error answer on their stream first, then it is cut if still open.
      inFlight.cut(keyId, ['GET', 'DELETE']);
      const error = revokedErrorFor(opts.vendor);
      const failing = [...sessions.values()].map(async (session) => {
        await session.tracked.failRequestsOf(keyId, error);
        if (opts.boundSessions() && session.owner.keyId === keyId) {
          await session.vendor.server.close();
        }
      });
      void Promise.allSettled(failing).then(() => {
        setTimeout(() => inFlight.cut(keyId), REVOKE_GRACE_MS).unref();
      });
    },

    async close() {
      closed = true;
      await Promise.allSettled([...sessions.values()].map((s) => s.vendor.server.close()));
      inFlight.cutAll();
    },
  };
}

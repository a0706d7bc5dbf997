import type { IncomingMessage, ServerResponse } from 'node:http';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { VendorActivity } from './activity';
import { admit, readJsonBody, sendJsonRpcError } from './http-guard';
import type { AuthedRequest } from './http-guard';
import { InFlightResponses, revokedErrorFor } from './in-flight';
import { KeyTrackingTransport } from './key-tracking-transport';
import type { McpCaller, SandboxMcpEndpoint, SandboxMcpEndpointOptions } from './types';
import { createVendorServer } from './vendor-server';
import type { VendorServer } from './vendor-server';

interface LegacySession {
  owner: McpCaller;
  tracked: KeyTrackingTransport;
  transport: SSEServerTransport;
  vendor: VendorServer;
}

/**
 * The vendor's MCP server over the legacy HTTP+SSE transport (protocol 2024-11-05), as older
 * vendors still run it: `GET <mount>/sse` opens the stream and names the message URL,
 * `POST <mount>/messages?sessionId=…` carries the client's messages.
 */
export function createSandboxLegacySseEndpoint(
  opts: SandboxMcpEndpointOptions,
): SandboxMcpEndpoint {
  const activity = new VendorActivity(opts.vendor);
  const sessions = new Map<string, LegacySession>();
  const inFlight = new InFlightResponses();
  let closed = false;

  const openStream = async (pathname: string, res: ServerResponse, owner: McpCaller) => {
    // The message URL sits next to the stream URL, wherever the vendor mounted us.
    const mount = pathname.slice(0, -'/sse'.length);
    const transport = new SSEServerTransport(`${mount}/messages`, res);
    const tracked = new KeyTrackingTransport(transport);
    const vendor = createVendorServer(activity);
    const session: LegacySession = { owner, tracked, transport, vendor };
    sessions.set(transport.sessionId, session);
    vendor.server.onclose = () => {
      sessions.delete(transport.sessionId);
      vendor.dispose();
    };
    await vendor.server.connect(tracked);
  };

  const postMessage = async (
    req: AuthedRequest,
    res: ServerResponse,
    caller: McpCaller,
    sessionId: string | null,
  ) => {
    const session = sessionId === null ? undefined : sessions.get(sessionId);
    if (!session || (opts.boundSessions() && session.owner.keyId !== caller.keyId)) {
      sendJsonRpcError(res, 404, -32001, 'Session not found');
      return;
    }
    const body = await readJsonBody(req);
    if (!body.ok) return sendJsonRpcError(res, body.status, -32700, body.message);
    await session.transport.handlePostMessage(req, res, body.value);
  };

  return {
    async handle(incoming: IncomingMessage, res: ServerResponse) {
      const req = incoming as AuthedRequest;
      if (closed) return sendJsonRpcError(res, 503, -32000, `${opts.vendor} sandbox is shut down`);
      const caller = admit(req, res, opts);
      if (!caller) return;
      inFlight.track(res, caller.keyId, req.method ?? '');
      const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
      try {
        if (req.method === 'GET' && url.pathname.endsWith('/sse')) {
          await openStream(url.pathname, res, caller);
        } else if (req.method === 'POST' && url.pathname.endsWith('/messages')) {
          await postMessage(req, res, caller, url.searchParams.get('sessionId'));
        } else {
          sendJsonRpcError(res, 404, -32000, `Not found: use GET …/sse, then POST …/messages`);
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        sendJsonRpcError(res, 500, -32603, `Internal error: ${message}`);
      }
    },

    revokeKey(keyId: string) {
      // Message POSTs are answered at once (202), so only the event streams matter: calls made
      // with the key get an error on their stream; a stream the key opened is ended.
      inFlight.cut(keyId, ['POST']);
      const error = revokedErrorFor(opts.vendor);
      for (const session of sessions.values()) {
        void session.tracked.failRequestsOf(keyId, error).then(async () => {
          if (session.owner.keyId === keyId) await session.vendor.server.close();
        });
      }
    },

    async close() {
      closed = true;
      await Promise.allSettled([...sessions.values()].map((s) => s.vendor.server.close()));
      inFlight.cutAll();
    },
  };
}

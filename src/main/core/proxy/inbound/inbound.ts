import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken } from '../../http/request-guards';
import { SESSION_NOT_FOUND } from '../../../../shared/mcp/messages';
import type { ProxyBackend } from '../proxy-backend';
import type { RequestDeps } from '../proxy-request';
import { ProxyRequest } from '../proxy-request';
import type { ProxySession, SessionTable } from '../session/proxy-session';
import type { Refusal } from './refusal';
import { guardRefusal, refuse, unauthorized } from './refusal';

const METHODS = new Set(['POST', 'GET', 'DELETE']);

export interface InboundLimits {
  allowedHosts: () => string[];
  /**
   * A paused proxy forwards nothing: every request of a known client is answered 503, checked
   * once the client is known so the refusal is counted (cause `paused`) like any other.
   */
  paused: () => boolean;
  maxQueuePerSession: number;
}

/**
 * The inbound step: the loopback guard, the client's local token, the method, the session id and
 * the per-session limit. What passes becomes a `ProxyRequest`, which from then on owns the
 * request; what does not is answered here, before anything is held.
 */
export class Inbound {
  constructor(
    private readonly backend: ProxyBackend,
    private readonly sessions: SessionTable,
    private readonly deps: RequestDeps,
    private readonly limits: InboundLimits,
  ) {}

  admit(req: IncomingMessage, res: ServerResponse, slug: string): ProxyRequest | undefined {
    // The guard first: a web page learns nothing, not even which connections exist.
    const hostRefusal = guardRefusal(req, this.limits.allowedHosts());
    if (hostRefusal) return void refuse(res, hostRefusal);
    const route = this.backend.route(slug);
    if (!route)
      return void refuse(res, { status: 404, message: `No Keyway connection named "${slug}"` });
    const token = bearerToken(req);
    const who = token === undefined ? undefined : this.backend.authenticate(slug, token);
    const counters = this.deps.counters;
    if (!who) {
      counters.request(slug, undefined);
      counters.error(slug, undefined);
      this.report(slug, undefined, 401, 'token');
      return void refuse(res, unauthorized(slug, token !== undefined));
    }
    const client = who.client;
    counters.request(slug, client);
    // Answered here, before a ProxyRequest exists: counted in the traffic history as well, so
    // the overview and Connections agree.
    const early = (refusal: Refusal): undefined => {
      counters.error(slug, client);
      this.report(slug, client, refusal.status, refusal.cause);
      refuse(res, refusal);
      return undefined;
    };
    if (this.limits.paused())
      return early({
        status: 503,
        message: 'Keyway’s proxy is paused; resume it from the tray or the Keyway window',
        headers: { 'retry-after': '30' },
        cause: 'paused',
      });
    if (!METHODS.has(req.method ?? '')) {
      return early({
        status: 405,
        message: 'Method not allowed',
        headers: { allow: 'GET, POST, DELETE' },
      });
    }
    const sessionId = req.headers['mcp-session-id'];
    let session: ProxySession | undefined;
    if (typeof sessionId === 'string') {
      session = this.sessions.find(sessionId, slug, client);
      if (!session)
        return early({ status: 404, code: SESSION_NOT_FOUND, message: 'Session not found' });
      const max = this.limits.maxQueuePerSession;
      if (session.inFlight >= max) {
        return early({
          status: 429,
          message: `This session already has ${max} requests in flight through Keyway; retry shortly`,
          headers: { 'retry-after': '1' },
        });
      }
      session.lastActive = Date.now();
      const version = req.headers['mcp-protocol-version'];
      if (typeof version === 'string') session.replay.protocolVersion = version;
    }
    return new ProxyRequest(req, res, route, client, session, this.deps);
  }

  private report(
    slug: string,
    client: string | undefined,
    status: number,
    refused: Refusal['cause'],
  ): void {
    try {
      this.backend.onRequestDone({
        slug,
        client,
        status,
        error: true,
        ...(refused ? { refused } : {}),
        totalMs: 0,
        upstreamMs: 0,
        at: Date.now(),
      });
    } catch {
      // The traffic history is best effort; it never breaks a request.
    }
  }
}

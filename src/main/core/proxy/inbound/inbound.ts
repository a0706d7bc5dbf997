import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken } from '../../http/request-guards';
import { SESSION_NOT_FOUND } from '../jsonrpc';
import type { ProxyBackend } from '../proxy-backend';
import type { RequestDeps } from '../proxy-request';
import { ProxyRequest } from '../proxy-request';
import type { ProxySession, SessionTable } from '../session/proxy-session';
import type { Refusal } from './refusal';
import { guardRefusal, refuse, unauthorized } from './refusal';

const METHODS = new Set(['POST', 'GET', 'DELETE']);

const PAUSED: Refusal = {
  status: 503,
  message: 'Keyway’s proxy is paused; resume it from the tray or the Keyway window',
  headers: { 'retry-after': '30' },
};

export interface InboundLimits {
  allowedHosts: () => string[];
  /** A paused proxy forwards nothing: every request past the guard is answered 503. */
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
    if (this.limits.paused()) return void refuse(res, PAUSED);
    const route = this.backend.route(slug);
    if (!route)
      return void refuse(res, { status: 404, message: `No Keyway connection named "${slug}"` });
    const token = bearerToken(req);
    const who = token === undefined ? undefined : this.backend.authenticate(slug, token);
    const counters = this.deps.counters;
    if (!who) {
      counters.request(slug, undefined);
      counters.error(slug, undefined);
      return void refuse(res, unauthorized(slug, token !== undefined));
    }
    const client = who.client;
    counters.request(slug, client);
    const early = (refusal: Refusal): undefined => {
      counters.error(slug, client);
      refuse(res, refusal);
      return undefined;
    };
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
}

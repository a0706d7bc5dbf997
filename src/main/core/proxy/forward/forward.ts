import type { Logger } from '../../log/logger';
import type { RequestBody } from '../inbound/request-body';
import { streamedBody, tooLarge } from '../inbound/request-body';
import type { Refusal } from '../inbound/refusal';
import type { ProxyBackend, ProxyKey, ProxyRoute } from '../proxy-backend';
import type { ProxyRequest } from '../proxy-request';
import { Abandoned } from '../proxy-request';
import type { CounterBook, KeyUsage, Lease } from '../session/key-usage';
import { exchange, RESEND, type Sent } from './exchange';
import { adoptPrepared, noteBoundVendor } from './session-prepare';
import { KeyOriginRefused, upstreamRequestHeaders } from './upstream-headers';
import type { UpstreamAgents, UpstreamCall, UpstreamResponse, VendorAccess } from './upstream-http';
import { callUpstream, UpstreamFailure } from './upstream-http';
import { reopenSession, VendorStatus } from './vendor-session';

export interface Attempt {
  call: UpstreamCall;
  upRes: UpstreamResponse;
  key: ProxyKey;
  lease: Lease;
  upstreamSession: string | undefined;
}

export class ProxyFailure extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

export interface ExchangeSpec {
  method: 'POST' | 'GET' | 'DELETE';
  body: RequestBody | undefined;
  lastEventId?: string | null;
  /** Re-open the vendor session when it refuses the new key (not for DELETE). */
  mayReopen: boolean;
  /** Headers set (or, when undefined, removed) over the client's: the era bridge's own. */
  headers?: Record<string, string | undefined>;
}

/**
 * The forward step: sends a client request upstream with the current key (read per request, so
 * a swap takes effect on the very next one). A refusal a key swap explains is recovered here,
 * invisibly: a stale key is replaced and the request resent; a vendor session bound to the old
 * key is re-opened with the new one. Only replayable (buffered) bodies are resent.
 */
export class Forwarder implements VendorAccess {
  /** Vendor MCP URLs seen to bind sessions to a key (see session-prepare.ts). */
  readonly boundUpstreams = new Set<string>();

  constructor(
    readonly backend: ProxyBackend,
    readonly agents: UpstreamAgents,
    readonly usage: KeyUsage,
    readonly counters: CounterBook,
    readonly timeoutMs: number,
    private readonly maxBodyBytes: number,
    readonly log: Logger,
  ) {}

  /** The backend's failure (keychain locked, key gone) becomes a clear answer, not a crash. */
  async currentKey(slug: string): Promise<ProxyKey> {
    try {
      return await this.backend.currentKey(slug);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new ProxyFailure({
        status: 503,
        message: `Keyway has no usable key for connection "${slug}": ${why}`,
        cause: 'no-key',
      });
    }
  }

  /**
   * Sends, and answers the client itself when the vendor cannot be used (undefined then): the
   * one place a refusal becomes the client's answer, for every Streamable HTTP caller.
   */
  async attempt(pr: ProxyRequest, spec: ExchangeSpec): Promise<Attempt | undefined> {
    let a: Attempt;
    try {
      a = await this.send(pr, spec);
    } catch (err) {
      pr.refuse(upstreamFailure(err));
      return undefined;
    }
    const refusal = vendorRefusal(pr.route, a.upRes);
    if (!refusal) return a;
    a.upRes.discard();
    a.lease.release();
    pr.refuse(refusal);
    return undefined;
  }

  async send(pr: ProxyRequest, spec: ExchangeSpec): Promise<Attempt> {
    const replayable = spec.body === undefined || spec.body.kind === 'buffered';
    const a = await exchange(this.backend, pr.route.slug, replayable, (mayResend) =>
      this.sendOnce(pr, spec, mayResend),
    );
    if (pr.ended) {
      a.upRes.discard();
      a.lease.release();
      throw new Abandoned();
    }
    return a;
  }

  private async sendOnce(
    pr: ProxyRequest,
    spec: ExchangeSpec,
    mayResend: boolean,
  ): Promise<Sent<Attempt> | typeof RESEND> {
    const { session, route } = pr;
    const key = await this.currentKey(route.slug);
    if (pr.ended) throw new Abandoned();
    this.counters.keyVersion(route.slug, pr.client, key.versionId);
    if (session?.prepared && session.boundVersion !== key.versionId)
      await adoptPrepared(session, key);
    const upstreamSession = session?.upstreamId;
    const overrides =
      spec.lastEventId === undefined
        ? spec.headers
        : { ...spec.headers, 'last-event-id': spec.lastEventId ?? undefined };
    const headers = upstreamRequestHeaders(pr.req.headers, route, key, upstreamSession, overrides);
    const body = spec.body;
    if (body?.kind === 'buffered') headers['content-length'] = String(body.bytes.length);
    const lease = pr.lease(key.versionId);
    const call = callUpstream(this.agents, route.upstream, {
      method: spec.method,
      headers,
      body: this.outgoing(body),
      timeoutMs: this.timeoutMs,
    });
    pr.track(call);
    let upRes: UpstreamResponse;
    try {
      upRes = await pr.timeUpstream(call.response);
    } catch (err) {
      lease.release();
      if (pr.ended) throw new Abandoned();
      if (err instanceof UpstreamFailure && err.kind === 'too-large') {
        throw new ProxyFailure(tooLarge(this.maxBodyBytes));
      }
      if (err instanceof UpstreamFailure && err.staleSocket && mayResend) return RESEND;
      throw new ProxyFailure(upstreamFailure(err));
    }
    return {
      result: { call, upRes, key, lease, upstreamSession },
      facts: {
        status: upRes.status,
        used: key,
        sessionMoved: session !== undefined && session.upstreamId !== upstreamSession,
        inSession: session !== undefined,
        boundElsewhere:
          spec.mayReopen &&
          session !== undefined &&
          session.boundVersion !== key.versionId &&
          session.replay.initialize !== undefined,
        challenge: upRes.headers['www-authenticate'],
      },
      // A refusal's body is short: read to its end, the connection serves the resend.
      discard: () => {
        upRes.discard();
        lease.release();
      },
      reopen: async () => {
        noteBoundVendor(this.boundUpstreams, route);
        await this.reopen(pr);
      },
    };
  }

  /** A streamed body goes out as it arrives, within the size limit. */
  private outgoing(body: RequestBody | undefined): Buffer | null | AsyncIterable<Buffer> {
    if (body === undefined) return null;
    if (body.kind === 'buffered') return body.bytes;
    return streamedBody(
      body,
      this.maxBodyBytes,
      () => new UpstreamFailure('too-large', 'request body too large'),
    );
  }

  private async reopen(pr: ProxyRequest): Promise<void> {
    if (!pr.session) return;
    try {
      await reopenSession(this, pr.route, pr.session);
    } catch (err) {
      // The current key itself was refused: the backend must hear of it, as for any request.
      if (err instanceof VendorStatus && err.status === 401) {
        const key = await this.backend.currentKey(pr.route.slug).catch((e: unknown) => {
          this.log.debug(`no current key for "${pr.route.slug}" to report the re-open's 401 on`, e);
          return undefined;
        });
        if (key) this.backend.onKeyRefused(pr.route.slug, key.versionId, 401);
      }
      throw new ProxyFailure({
        status: 502,
        message: `The vendor refused this MCP session after Keyway swapped in a new key, and re-opening it failed: ${
          err instanceof Error ? err.message : String(err)
        }`,
      });
    }
  }
}

export function upstreamFailure(err: unknown): Refusal {
  if (err instanceof UpstreamFailure) {
    return { status: err.kind === 'timeout' ? 504 : 502, message: `Keyway proxy: ${err.message}` };
  }
  if (err instanceof ProxyFailure) return err.refusal;
  if (err instanceof KeyOriginRefused) return { status: 502, message: err.message };
  return { status: 502, message: 'Keyway proxy: the request to the MCP server failed' };
}

/**
 * Refusals the proxy answers itself instead of passing the vendor's response through. A 401 the
 * retry loop could not recover says what would help, for this kind of credential.
 */
export function vendorRefusal(route: ProxyRoute, upRes: UpstreamResponse): Refusal | undefined {
  const { slug } = route;
  const status = upRes.status;
  if (status === 401) {
    return {
      status: 502,
      message: `The vendor refused the ${credentialWords(route)} Keyway holds for connection "${slug}" (HTTP 401): ${credentialAdvice(route)}`,
    };
  }
  if (status >= 300 && status < 400 && upRes.headers.location) {
    // Following would send the key wherever the vendor points; passing it on would send the client there.
    return {
      status: 502,
      message: `The MCP server for connection "${slug}" answered with a redirect (HTTP ${status}); Keyway does not follow redirects with a key on them. Update the connection's MCP URL to the final address.`,
    };
  }
  return undefined;
}

/** "key" or "OAuth access token": what the client's user should think of. */
export function credentialWords(route: ProxyRoute): string {
  return route.credential.kind === 'oauth' ? 'OAuth access token' : 'key';
}

/** What the user can do about a credential the vendor refuses for good. */
export function credentialAdvice(route: ProxyRoute): string {
  const c = route.credential;
  return c.kind === 'oauth'
    ? `Keyway could not refresh it; log in again: keyway account login ${c.account}`
    : 'rotate or replace the key in Keyway';
}

import type { Forwarder } from '../forward/forward';
import { exchange } from '../forward/exchange';
import {
  credentialAdvice,
  credentialWords,
  ProxyFailure,
  upstreamFailure,
} from '../forward/forward';
import { withKey } from '../forward/upstream-headers';
import type { UpstreamCall, UpstreamResponse } from '../forward/upstream-http';
import { callUpstream } from '../forward/upstream-http';
import type { ProxyKey, ProxyRoute } from '../proxy-backend';
import type { Lease } from '../session/key-usage';
import { SseParser } from '../../../../shared/mcp/sse';

/**
 * One connection to a legacy HTTP+SSE vendor: the GET event stream (opened with the key current
 * at the time, which it keeps) and the message endpoint the vendor announced on it.
 */
export class LegacyLink {
  alive = true;
  /** Requests posted through this link whose answers have not arrived yet. */
  outstanding = 0;
  retiring = false;

  constructor(
    readonly endpoint: URL,
    readonly versionId: string,
    private readonly call: UpstreamCall,
    private readonly lease: Lease,
  ) {}

  close(): void {
    if (!this.alive) return;
    this.alive = false;
    this.call.abort();
    this.lease.release();
  }

  /** A retiring link closes once the answers it still owes have arrived. */
  settle(): void {
    if (this.retiring && this.outstanding <= 0) this.close();
  }
}

export interface LinkEvents {
  message(data: string, link: LegacyLink): void;
  closed(link: LegacyLink): void;
}

/**
 * Opens a link with the current key, through the proxy's one retry loop: a 401 the backend can
 * renew, or one a key swap explains, opens it once more with the current key.
 */
export async function openLink(
  fw: Forwarder,
  route: ProxyRoute,
  events: LinkEvents,
): Promise<LegacyLink> {
  const { key, lease, call, res } = await exchange(fw.backend, route.slug, true, async () => {
    const key = await fw.currentKey(route.slug);
    const lease = fw.usage.acquire(key.versionId);
    const headers = withKey({ accept: 'text/event-stream' }, route, key);
    const call = callUpstream(fw.agents, route.upstream, {
      method: 'GET',
      headers,
      body: null,
      timeoutMs: fw.timeoutMs,
    });
    let res: UpstreamResponse;
    try {
      res = await call.response;
    } catch (err) {
      lease.release();
      throw new ProxyFailure(upstreamFailure(err));
    }
    const discard = (): void => {
      res.discard();
      lease.release();
    };
    return {
      result: { key, lease, call, res },
      facts: {
        status: res.status,
        used: key,
        sessionMoved: false,
        inSession: false,
        boundElsewhere: false,
      },
      discard,
      reopen: async () => undefined,
    };
  });
  const status = res.status;
  if (status !== 200) {
    res.discard();
    lease.release();
    throw new ProxyFailure({
      status: 502,
      message:
        status === 401
          ? `The vendor refused the ${credentialWords(route)} Keyway holds for connection "${route.slug}" (HTTP 401) on its MCP event stream: ${credentialAdvice(route)}`
          : `The vendor's MCP event stream for connection "${route.slug}" answered HTTP ${status}`,
    });
  }
  return new Promise((resolve, reject) => {
    let link: LegacyLink | undefined;
    const fail = (message: string): void => {
      call.abort();
      lease.release();
      reject(new ProxyFailure({ status: 502, message }));
    };
    const timer = setTimeout(
      () => fail(`The vendor's MCP event stream for "${route.slug}" sent no message endpoint`),
      fw.timeoutMs,
    );
    const parser = new SseParser((event) => {
      if (link) {
        if (event.event === 'message') events.message(event.data, link);
        return;
      }
      if (event.event !== 'endpoint') return;
      clearTimeout(timer);
      let endpoint: URL;
      try {
        endpoint = new URL(event.data.trim(), route.upstream);
      } catch {
        return fail(`The vendor announced an unusable message endpoint for "${route.slug}"`);
      }
      if (endpoint.origin !== route.upstream.origin) {
        return fail(
          `The vendor pointed its message endpoint for "${route.slug}" at another origin (${endpoint.origin}); Keyway does not send the key there`,
        );
      }
      link = new LegacyLink(endpoint, key.versionId, call, lease);
      resolve(link);
    });
    const closed = (): void => {
      clearTimeout(timer);
      if (!link)
        return fail(`The vendor's MCP event stream for "${route.slug}" closed before it was ready`);
      const wasAlive = link.alive;
      link.close();
      if (wasAlive) events.closed(link);
    };
    res.consume({
      data: (chunk) => {
        parser.feed(chunk);
        return true;
      },
      end: closed,
      error: closed,
    });
  });
}

export interface PostOutcome {
  status: number;
  text: string;
  key: ProxyKey;
}

/** Posts one message to the link's endpoint with the key current now (not the link's). */
export async function postToLink(
  fw: Forwarder,
  route: ProxyRoute,
  link: LegacyLink,
  body: Buffer,
): Promise<PostOutcome> {
  const key = await fw.currentKey(route.slug);
  const lease = fw.usage.acquire(key.versionId);
  const headers = withKey(
    { 'content-type': 'application/json', 'content-length': String(body.length) },
    route,
    key,
  );
  try {
    const call = callUpstream(fw.agents, link.endpoint, {
      method: 'POST',
      headers,
      body,
      timeoutMs: fw.timeoutMs,
    });
    const res = await call.response;
    const text = (await res.readAll(64 * 1024)).toString('utf8');
    return { status: res.status, text, key };
  } catch (err) {
    throw new ProxyFailure(upstreamFailure(err));
  } finally {
    lease.release();
  }
}

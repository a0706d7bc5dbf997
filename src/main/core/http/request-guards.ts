import type { IncomingMessage } from 'node:http';

/**
 * The one loopback guard, shared by the control API, the web UI and the proxy. A request whose
 * Host is not this instance is a DNS-rebinding attempt (a page on evil.example that resolves to
 * 127.0.0.1 still sends its own Host); a browser Origin other than our own is a cross-site
 * request. Both are refused before any token is looked at. Non-browser clients send no Origin.
 */
export function loopbackHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

export interface GuardRefusal {
  /** Which check failed: each surface answers it with its own status. */
  failed: 'host' | 'origin';
  message: string;
}

/** `allowed` entries are `host:port`; an entry without a port allows that host on any port. */
export function hostAllowed(host: string | undefined, allowed: string[]): boolean {
  if (!host) return false;
  const wanted = host.toLowerCase();
  const bare = wanted.replace(/:\d+$/, '');
  return allowed.some((entry) => {
    const e = entry.toLowerCase();
    return e === wanted || (!/:\d+$/.test(e) && e === bare);
  });
}

function originHost(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.host : undefined;
  } catch {
    return undefined;
  }
}

export function checkHostAndOrigin(
  req: IncomingMessage,
  allowed: string[],
): GuardRefusal | undefined {
  const host = req.headers.host;
  if (!hostAllowed(host, allowed)) {
    return {
      failed: 'host',
      message: `Host "${host ?? ''}" is not this Keyway instance (DNS-rebinding protection); connect to ${allowed[0] ?? '127.0.0.1'} directly`,
    };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !hostAllowed(originHost(origin), allowed)) {
    return {
      failed: 'origin',
      message: `Requests from the web page origin "${origin}" are refused: Keyway only serves its own web UI and local clients`,
    };
  }
  return undefined;
}

/** The token of an `Authorization: Bearer <token>` header, and nothing else. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** The request's path, percent-decoded per segment; undefined when the encoding is malformed. */
export function requestPath(req: IncomingMessage): string | undefined {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  // The decoded form is used (not just computed), so no bundler drops the check as pure.
  if (decodeSegment(path) === undefined) return undefined;
  return path.startsWith('/') ? path : `/${path}`;
}

/** Decodes one path segment; undefined when malformed (a stranger's URL must be a 400, not a 500). */
export function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Reads a JSON body with a size cap; rejects with a message fit for a 413 or 400. */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new BodyError(413, `request body is larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new BodyError(400, 'request body is not valid JSON');
  }
}

export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

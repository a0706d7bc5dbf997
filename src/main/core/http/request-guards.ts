import type { IncomingMessage } from 'node:http';

/**
 * Host and Origin checks shared by the control API and the proxy. A request whose Host is not
 * our loopback address is a DNS-rebinding attempt; a browser Origin other than our own page is
 * a cross-site request. Both are refused before any token is looked at.
 */
export function loopbackHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

export function hostAllowed(req: IncomingMessage, allowed: string[]): boolean {
  const host = req.headers.host?.toLowerCase();
  return host !== undefined && allowed.includes(host);
}

/** Same-origin pages (our own web UI) may call the control API; any other origin may not. */
export function originAllowed(req: IncomingMessage, allowedHosts: string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return allowedHosts.some((h) => origin.toLowerCase() === `http://${h}`);
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
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

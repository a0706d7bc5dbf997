import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthScheme } from '../shared/domain';

const MAX_REST_BODY = 256 * 1024;

export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export function sendText(
  res: ServerResponse,
  status: number,
  body: string,
  contentType = 'text/plain; charset=utf-8',
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'Content-Type': contentType });
  res.end(body);
}

/** The raw request body as text, bounded. */
export function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REST_BODY) {
        reject(new HttpFailure(413, { error: 'Request body too large' }));
        req.resume();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A JSON object body; an empty body is {}; anything else is a 400 in the vendor's own shape. */
export async function readJsonObject(
  req: IncomingMessage,
  invalid: (message: string) => unknown,
): Promise<Record<string, unknown>> {
  const text = await readText(req);
  if (!text.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpFailure(400, invalid('Request body is not valid JSON'));
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new HttpFailure(400, invalid('Request body must be a JSON object'));
  }
  return parsed as Record<string, unknown>;
}

/**
 * The key a request carries under a vendor's scheme: the header's value without its prefix.
 * Undefined when the header is missing; '' when it is there but not in the expected form.
 */
export function presentedKey(req: IncomingMessage, auth: AuthScheme): string | undefined {
  const raw = req.headers[auth.header.toLowerCase()];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined) return undefined;
  if (!auth.prefix) return value.trim();
  if (value.length < auth.prefix.length) return '';
  const head = value.slice(0, auth.prefix.length);
  // Schemes such as "Bearer" are case-insensitive in HTTP.
  if (head.toLowerCase() !== auth.prefix.toLowerCase()) return '';
  return value.slice(auth.prefix.length).trim();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

import type { IncomingMessage, ServerResponse } from 'node:http';

/** Broken set-ups a real server can have, for the bad-input tests of Keyway's OAuth client. */
export type OAuthSandboxFault =
  | 'no-metadata'
  | 'wrong-issuer'
  | 'http-off-loopback'
  | 'resource-mismatch'
  /** The 401 challenge's resource_metadata is plain http off this machine. */
  | 'insecure-resource-metadata'
  /** Dynamic registration answers a 100 000-character client_id. */
  | 'huge-client-id';

const OAUTH_AS = '/.well-known/oauth-authorization-server';
const OIDC = '/.well-known/openid-configuration';
const PRM = '/.well-known/oauth-protected-resource/mcp';

/**
 * The document to serve instead of the real one: an object (200), null (404), or undefined when
 * this fault leaves the path alone.
 */
export function brokenMetadata(
  fault: OAuthSandboxFault,
  path: string,
  origin: string,
): Record<string, unknown> | null | undefined {
  const asMetadata = (issuer: string, endpoints: string) => ({
    issuer,
    authorization_endpoint: `${endpoints}/auth`,
    token_endpoint: `${endpoints}/token`,
    registration_endpoint: `${endpoints}/reg`,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
  });
  switch (fault) {
    case 'no-metadata':
      return [PRM, OAUTH_AS, OIDC, '/.well-known/oauth-protected-resource'].includes(path)
        ? null
        : undefined;
    case 'wrong-issuer':
      return path === OAUTH_AS ? asMetadata('https://login.impostor.example', origin) : undefined;
    case 'http-off-loopback':
      return path === OAUTH_AS ? asMetadata(origin, 'http://login.sandbox.example') : undefined;
    case 'resource-mismatch':
      return path === PRM
        ? { resource: 'https://other.example/mcp', authorization_servers: [origin] }
        : undefined;
    case 'insecure-resource-metadata':
    case 'huge-client-id':
      return undefined;
  }
}

/**
 * Hostile or slow token endpoints, for the limits of Keyway's OAuth client: `drip` sends its
 * headers, then one byte a second for as long as the client listens; `huge` answers `hugeBytes`
 * (100 MB by default) of error page; `echo` answers an error page that repeats the request it
 * got (a refresh token included), with terminal escapes in its `error_description`; `delay`
 * lets the real server answer but holds its answer back `delayMs`.
 */
export type TokenEndpointFault =
  | { kind: 'drip' }
  | { kind: 'huge'; hugeBytes?: number }
  | { kind: 'echo' }
  | { kind: 'delay'; delayMs: number };

export const TOKEN_PATH = '/token';

/** Answers the token request per `fault`; `delay` hands it to the real server (`proceed`) late. */
export function serveTokenFault(
  fault: TokenEndpointFault,
  req: IncomingMessage,
  res: ServerResponse,
  proceed: () => void,
): void {
  switch (fault.kind) {
    case 'delay': {
      // The server does its work at once (a refresh rotates the token now); only the answer
      // is late, as from a slow network or a busy proxy in front of it.
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      res.end = ((...args: unknown[]) => {
        const timer = setTimeout(() => end(...args), fault.delayMs);
        res.once('close', () => clearTimeout(timer));
        return res;
      }) as typeof res.end;
      proceed();
      return;
    }
    case 'drip': {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{');
      const timer = setInterval(() => res.write(' '), 1000);
      res.once('close', () => clearInterval(timer));
      return;
    }
    case 'huge': {
      const total = fault.hugeBytes ?? 100 * 1024 * 1024;
      const chunk = Buffer.alloc(64 * 1024, 'x');
      res.writeHead(400, { 'Content-Type': 'text/html' });
      let sent = 0;
      const pump = (): void => {
        while (sent < total && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
      return;
    }
    case 'echo': {
      let body = '';
      req.setEncoding('utf8').on('data', (d: string) => (body += d));
      req.on('end', () => {
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            error: 'server_error',
            error_description: `\u001b]0;pwned\u0007\u001b[2Jcould not handle: ${body} (auth: ${req.headers.authorization ?? 'none'})`,
          }),
        );
      });
      return;
    }
  }
}

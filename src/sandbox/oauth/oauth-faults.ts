/** Broken set-ups a real server can have, for the bad-input tests of Keyway's OAuth client. */
export type OAuthSandboxFault =
  'no-metadata' | 'wrong-issuer' | 'http-off-loopback' | 'resource-mismatch';

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
  }
}

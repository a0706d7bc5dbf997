import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { Adapter } from 'oidc-provider';
import { createSandboxMcpEndpoint } from '../mcp/streamable-endpoint';
import { listenOnLoopback } from '../mcp/loopback';
import type { McpCaller } from '../mcp/types';
import {
  answerInteraction,
  createSandboxProvider,
  type OAuthSandboxSettings,
  type OAuthSandboxStats,
} from './oauth-provider';
import {
  brokenMetadata,
  serveTokenFault,
  TOKEN_PATH,
  type OAuthSandboxFault,
  type TokenEndpointFault,
} from './oauth-faults';

export type { OAuthSandboxStats, OAuthSandboxSettings } from './oauth-provider';
export type { OAuthSandboxFault, TokenEndpointFault } from './oauth-faults';

export interface OAuthSandbox {
  /** The protected MCP server (streamable HTTP). */
  mcpUrl: string;
  /** The authorization server's issuer. */
  issuer: string;
  stats: OAuthSandboxStats;
  settings: OAuthSandboxSettings;
  /** Bad-input modes for tests: no metadata, a wrong issuer, an http endpoint off loopback. */
  setFault(fault: OAuthSandboxFault | null): void;
  /** A hanging, huge, echoing or slow token endpoint (see TokenEndpointFault); null: healthy. */
  setTokenFault(fault: TokenEndpointFault | null): void;
  /** The authorization server the resource metadata names (null: this sandbox's own). */
  setAuthorizationServer(issuer: string | null): void;
  /** Revokes every refresh token issued so far, as an admin would at the server. */
  revokeRefreshTokens(): Promise<number>;
  /** Invalidates every access token issued so far (as a server does on a breach or a restart). */
  revokeAccessTokens(): Promise<number>;
  /**
   * What an admin does at the server's console for an agent: registers a service account client
   * (client credentials grant) that authenticates with a secret (basic or post) or with the
   * given public key (private_key_jwt). The secret is shown once, as a console does.
   */
  registerServiceClient(
    auth:
      | { method: 'client_secret_basic' | 'client_secret_post' }
      | { method: 'private_key_jwt'; publicJwk: Record<string, unknown> },
  ): Promise<{ clientId: string; clientSecret?: string }>;
  /**
   * The console's "new secret" (the old one stops working at once) or "set keys" for a service
   * client; returns the new secret, shown once.
   */
  rotateServiceClient(
    clientId: string,
    change: { newSecret: true } | { publicJwks: Record<string, unknown>[] },
  ): Promise<string | undefined>;
  close(): Promise<void>;
}

const PRM_PATH = '/.well-known/oauth-protected-resource/mcp';
/** oidc-provider's dynamic registration endpoint. */
const REGISTRATION_PATH = '/reg';

/**
 * An OAuth-protected MCP vendor on one loopback port: oidc-provider as the authorization server
 * and the sandbox's MCP server behind a bearer check against the tokens that server issued
 * (opaque, audience = the MCP URL, configurable lifetime).
 */
export async function startOAuthSandbox(
  opts: Partial<OAuthSandboxSettings> = {},
): Promise<OAuthSandbox> {
  const settings: OAuthSandboxSettings = {
    accessTokenTtlSec: opts.accessTokenTtlSec ?? 3600,
    denyConsent: opts.denyConsent ?? false,
    clientCredentials: opts.clientCredentials ?? true,
    clientAuthSigningAlgs: opts.clientAuthSigningAlgs ?? ['RS256', 'PS256', 'ES256', 'EdDSA'],
    clientAuthMethods: opts.clientAuthMethods ?? [
      'none',
      'client_secret_basic',
      'client_secret_post',
      'private_key_jwt',
    ],
  };
  const stats: OAuthSandboxStats = {
    refreshGrants: 0,
    refreshTokensPresented: [],
    accessTokensIssued: [],
    logins: 0,
    revocations: 0,
    faultedTokenRequests: 0,
    codeExchanges: 0,
    clientCredentialsGrants: 0,
  };
  let authorizationServer: string | null = null;
  let fault: OAuthSandboxFault | null = null;
  let tokenFault: TokenEndpointFault | null = null;
  const refreshTokens = new Set<{ destroy(): Promise<void> }>();
  const accessTokens = new Set<{ destroy(): Promise<void> }>();
  const callers = new WeakMap<IncomingMessage, McpCaller>();
  const endpoint = createSandboxMcpEndpoint({
    vendor: 'OAuth sandbox',
    authenticate: (req) => {
      const caller = callers.get(req);
      return caller ? { ok: true, caller } : { ok: false, status: 401, body: '' };
    },
    boundSessions: () => false,
  });
  // Bound once the port (hence the issuer) is known.
  const late: {
    provider?: Provider;
    handle?: (req: IncomingMessage, res: ServerResponse) => void;
  } = {};
  const loopback = await listenOnLoopback(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const broken = fault ? brokenMetadata(fault, path, loopback.url()) : undefined;
    if (broken !== undefined) {
      res.writeHead(broken ? 200 : 404, { 'Content-Type': 'application/json' });
      return void res.end(JSON.stringify(broken ?? { error: 'not_found' }));
    }
    if (path === PRM_PATH) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return void res.end(
        JSON.stringify({
          resource: loopback.url('/mcp'),
          authorization_servers: [authorizationServer ?? loopback.url()],
          scopes_supported: ['openid', 'mcp:tools'],
          bearer_methods_supported: ['header'],
        }),
      );
    }
    if (path === '/mcp' || path.startsWith('/mcp/')) return authorizeMcp(req, res);
    if (path.startsWith('/interaction/'))
      return answerInteraction(late.provider!, req, res, settings);
    if (fault === 'huge-client-id' && path === REGISTRATION_PATH && req.method === 'POST') {
      res.writeHead(201, { 'Content-Type': 'application/json' });
      return void res.end(
        JSON.stringify({
          client_id: 'c'.repeat(100_000),
          redirect_uris: [],
          token_endpoint_auth_method: 'none',
        }),
      );
    }
    if (path === TOKEN_PATH && tokenFault && req.method === 'POST') {
      stats.faultedTokenRequests += 1;
      return serveTokenFault(tokenFault, req, res, () => late.handle!(req, res));
    }
    late.handle!(req, res);
  });

  const authorizeMcp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const p = late.provider!;
    const token = bearer
      ? ((await p.AccessToken.find(bearer)) ?? (await p.ClientCredentials.find(bearer)))
      : undefined;
    const audience = token?.aud;
    const forUs = Array.isArray(audience)
      ? audience.includes(loopback.url('/mcp'))
      : audience === loopback.url('/mcp');
    if (!token || token.isExpired || !forUs) {
      const metadata =
        fault === 'no-metadata'
          ? ''
          : fault === 'insecure-resource-metadata'
            ? `, resource_metadata="http://metadata.sandbox.example${PRM_PATH}"`
            : `, resource_metadata="${loopback.url(PRM_PATH)}"`;
      res.writeHead(401, {
        'Content-Type': 'application/json',
        'WWW-Authenticate': `Bearer error="invalid_token"${metadata}, scope="openid mcp:tools"`,
      });
      return void res.end(JSON.stringify({ error: 'invalid_token' }));
    }
    const service = token.kind === 'ClientCredentials' ? token.clientId : undefined;
    callers.set(req, {
      keyId: ('grantId' in token ? token.grantId : undefined) ?? service ?? 'grant',
      label: ('accountId' in token ? token.accountId : undefined) ?? service ?? 'agent',
    });
    await endpoint.handle(req, res);
  };

  const provider = createSandboxProvider(loopback.url(), loopback.url('/mcp'), settings, stats);
  provider.on('refresh_token.saved', (t: { destroy(): Promise<void> }) => refreshTokens.add(t));
  provider.on('access_token.saved', (t: { destroy(): Promise<void> }) => accessTokens.add(t));
  provider.on('client_credentials.saved', (t: { destroy(): Promise<void> }) => accessTokens.add(t));
  const callback = provider.callback();
  late.provider = provider;
  late.handle = (req, res) => void callback(req, res);

  return {
    mcpUrl: loopback.url('/mcp'),
    issuer: loopback.url(),
    stats,
    settings,
    setFault: (f) => void (fault = f),
    setTokenFault: (f) => void (tokenFault = f),
    setAuthorizationServer: (issuer) => void (authorizationServer = issuer),
    async revokeRefreshTokens() {
      const all = [...refreshTokens];
      refreshTokens.clear();
      await Promise.all(all.map((t) => t.destroy()));
      return all.length;
    },
    async revokeAccessTokens() {
      const all = [...accessTokens];
      accessTokens.clear();
      await Promise.all(all.map((t) => t.destroy()));
      return all.length;
    },
    async registerServiceClient(auth) {
      const res = await fetch(loopback.url('/reg'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          client_name: 'agent service account',
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
          scope: 'mcp:tools',
          token_endpoint_auth_method: auth.method,
          ...(auth.method === 'private_key_jwt' ? { jwks: { keys: [auth.publicJwk] } } : {}),
        }),
      });
      const body = (await res.json()) as Record<string, unknown>;
      if (!res.ok) throw new Error(`registration refused: ${JSON.stringify(body)}`);
      return {
        clientId: String(body.client_id),
        ...(typeof body.client_secret === 'string' ? { clientSecret: body.client_secret } : {}),
      };
    },
    async rotateServiceClient(clientId, change) {
      // oidc-provider keeps registered clients in its adapter (the typings leave `adapter` out).
      const adapter = (late.provider!.Client as unknown as { adapter: Adapter }).adapter;
      const metadata = await adapter.find(clientId);
      if (!metadata) throw new Error(`no client ${clientId}`);
      const secret = 'newSecret' in change ? randomBytes(32).toString('base64url') : undefined;
      await adapter.upsert(clientId, {
        ...metadata,
        ...(secret ? { client_secret: secret } : {}),
        ...('publicJwks' in change ? { jwks: { keys: change.publicJwks } } : {}),
      });
      return secret;
    },
    async close() {
      await endpoint.close();
      await loopback.close();
    },
  };
}

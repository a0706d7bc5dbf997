import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { memoryAdapter } from './memory-adapter';

/** What the sandbox's authorization server lets a test watch and break. */
export interface OAuthSandboxStats {
  /** refresh_token grant requests that reached the token endpoint (successful or not). */
  refreshGrants: number;
  /** Every refresh token presented at the token endpoint, in order (sandbox tokens only). */
  refreshTokensPresented: string[];
  /** Access tokens issued, in order. */
  accessTokensIssued: string[];
  /** Successful code exchanges. */
  logins: number;
  /** Tokens revoked through the revocation endpoint. */
  revocations: number;
  /** Token requests a TokenEndpointFault answered instead of the real server. */
  faultedTokenRequests: number;
  /** Code exchanges that reached the token endpoint (successful or not). */
  codeExchanges: number;
  /** client_credentials grant requests that reached the token endpoint (successful or not). */
  clientCredentialsGrants: number;
}

export interface OAuthSandboxSettings {
  accessTokenTtlSec: number;
  /** The user refuses consent: the authorization endpoint answers access_denied. */
  denyConsent: boolean;
  /** Offers the client credentials grant (service accounts); fixed when the sandbox starts. */
  clientCredentials: boolean;
  /** private_key_jwt algorithms it accepts (its metadata says so); fixed when it starts. */
  clientAuthSigningAlgs: string[];
  /** Token endpoint client authentications it offers; fixed when it starts. */
  clientAuthMethods: string[];
}

export const SANDBOX_SCOPES = ['openid', 'mcp:tools'];
export const SANDBOX_SUBJECT = 'sandbox-agent';

/**
 * The sandbox's authorization server: oidc-provider with dynamic registration, PKCE, resource
 * indicators (opaque access tokens bound to the MCP resource), refresh-token rotation and
 * revocation. Logins and consents are answered at once (no form) so a browser script can follow
 * the redirects; consent can be refused by a switch.
 */
export function createSandboxProvider(
  issuer: string,
  resource: string,
  settings: OAuthSandboxSettings,
  stats: OAuthSandboxStats,
): Provider {
  // Keys generated per start: no committed secrets and no dev-key warning from the library.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'sandbox', alg: 'RS256', use: 'sig' };
  const provider = new Provider(issuer, {
    adapter: memoryAdapter(),
    clients: [],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: SANDBOX_SCOPES,
    claims: { openid: ['sub'] },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    pkce: { required: () => true },
    rotateRefreshToken: true,
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    },
    clientAuthMethods: settings.clientAuthMethods as never,
    enabledJWA: { clientAuthSigningAlgValues: settings.clientAuthSigningAlgs as never },
    ttl: {
      AccessToken: () => settings.accessTokenTtlSec,
      ClientCredentials: () => settings.accessTokenTtlSec,
      RefreshToken: 24 * 3600,
      Interaction: 600,
      Session: 3600,
      Grant: 24 * 3600,
      IdToken: 3600,
      AuthorizationCode: 60,
    },
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true },
      // Service accounts (SEP-1046): client_secret_basic, client_secret_post and private_key_jwt.
      clientCredentials: { enabled: settings.clientCredentials },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== resource) throw new Error(`unknown resource ${indicator}`);
          return {
            scope: 'mcp:tools',
            audience: resource,
            accessTokenTTL: settings.accessTokenTtlSec,
            accessTokenFormat: 'opaque',
          };
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  });
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    if (ctx.oidc.params?.grant_type === 'authorization_code') stats.logins += 1;
  });
  provider.on('access_token.saved', (token: { jti: string }) => {
    stats.accessTokensIssued.push(token.jti);
  });
  provider.on('client_credentials.saved', (token: { jti: string }) => {
    stats.accessTokensIssued.push(token.jti);
  });
  // Counted for every answer, so refused refreshes count too.
  provider.use(async (ctx, next) => {
    if (ctx.path === '/token/revocation' && ctx.method === 'POST') {
      await next();
      if (ctx.status === 200) stats.revocations += 1;
      return;
    }
    if (ctx.path === '/token' && ctx.method === 'POST') {
      await next();
      const oidc = (ctx as KoaContextWithOIDC).oidc as KoaContextWithOIDC['oidc'] | undefined;
      const params = oidc?.params;
      if (params?.grant_type === 'authorization_code') stats.codeExchanges += 1;
      if (params?.grant_type === 'client_credentials') stats.clientCredentialsGrants += 1;
      if (params?.grant_type === 'refresh_token') {
        stats.refreshGrants += 1;
        if (typeof params.refresh_token === 'string')
          stats.refreshTokensPresented.push(params.refresh_token);
      }
      return;
    }
    await next();
  });
  return provider;
}

/** Finishes a login at once: the sandbox user, every scope the client asked for. */
export async function answerInteraction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  settings: OAuthSandboxSettings,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (settings.denyConsent) {
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'the user refused consent' },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  if (details.prompt.name === 'login') {
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: SANDBOX_SUBJECT } },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  const clientId = String(details.params.client_id);
  const grant = details.grantId
    ? ((await provider.Grant.find(details.grantId)) ??
      new provider.Grant({ accountId: SANDBOX_SUBJECT, clientId }))
    : new provider.Grant({ accountId: SANDBOX_SUBJECT, clientId });
  const missing = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
    grant.addResourceScope(indicator, scopes.join(' '));
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { consent: { grantId } },
    { mergeWithLastSubmission: true },
  );
}

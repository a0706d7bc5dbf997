import type { VendorAdapter, VendorEndpoint, VerifyResult } from './vendor-adapter';
import { VendorError, statusError } from './vendor-error';
import { vendorRequest } from './vendor-http';
import { formatOk, formatRejected, pasteProblem, uniqueScopes } from './key-format';
import { guidedOnHost } from './guided-steps';

const GUIDED = {
  // Assumption: the document names the page (Settings → API Tokens), not its URL path.
  dashboardUrl: 'https://www.qyvo.io/settings/api-tokens',
  createSteps: [
    'Sign in to qyvo.io',
    'Open Settings → API Tokens',
    "Click Create token, give it a name describing the use case (Claude Desktop, n8n production, support script, …); it needs the mcp scope (Qyvo's only scope: without it every call is refused with 401)",
    'Copy the value once — Qyvo shows the plaintext for 90 seconds, then permanently masks it',
  ],
  revokeSteps: [
    'In Settings → API Tokens, click the Revoke action next to the token. Revocation takes effect immediately — in-flight requests using that token fail with 401.',
  ],
};

/** Qyvo's error catalogue, mapped to what the user should do about each. */
export function qyvoError(status: number, what: string): VendorError {
  switch (status) {
    case 401:
      return new VendorError(
        'qyvo',
        'refused',
        'Qyvo refused the token (401 Unauthenticated): the header is missing, the token is misspelled or revoked, or it has no mcp scope',
        { status },
      );
    case 404:
      return new VendorError(
        'qyvo',
        'not-found',
        'Qyvo answered 404, personal access client not found: a server-side install issue at Qyvo — contact support (the token itself was not judged)',
        { status },
      );
    case 422:
      return new VendorError(
        'qyvo',
        'no-workspace',
        'Qyvo answered 422 "No workspace configured for this account.": the user behind this token has no workspace (tenant) — re-check the workspace setup in Qyvo',
        { status },
      );
    default:
      return statusError('qyvo', status, what);
  }
}

function identityOf(body: unknown): string {
  // Assumption: GET /api/v1/me returns { user: {name, email}, tenant: {name} } (the doc only says
  // "the authenticated user and tenant"); a Laravel `data` wrapper is accepted too.
  const root = (body as { data?: unknown } | null)?.data ?? body;
  const r = (root ?? {}) as {
    user?: { name?: string; email?: string };
    tenant?: { name?: string };
    name?: string;
    email?: string;
  };
  const user = r.user?.email ?? r.user?.name ?? r.email ?? r.name ?? 'unknown user';
  return r.tenant?.name ? `${user} (tenant ${r.tenant.name})` : user;
}

export const qyvoAdapter: VendorAdapter = {
  id: 'qyvo',
  displayName: 'Qyvo',
  defaults: { apiUrl: 'https://www.qyvo.io', mcpUrl: 'https://www.qyvo.io/mcp' },
  defaultAuth: { header: 'Authorization', prefix: 'Bearer ' },
  scopes: [
    {
      id: 'mcp',
      description:
        'The only Qyvo scope: every /api/v1/* REST endpoint and the MCP server at /mcp. A token without it is refused with 401.',
    },
  ],
  defaultScopes: ['mcp'],
  capabilities: { mint: false, revoke: false, list: false },
  guided: GUIDED,
  guidedFor: (ep: VendorEndpoint) => guidedOnHost(GUIDED, ep),

  checkFormat(secret) {
    const paste = pasteProblem(secret, 'Qyvo');
    if (paste) return formatRejected(paste);
    // The document says only "typically 60+ characters of hex" (Laravel Passport tokens are often
    // JWTs): anything else is a warning, and Qyvo's own answer decides, as for Qwoty.
    const warnings: string[] = [];
    if (/^[\w-]+\.[\w-]+\.[\w-]*$/.test(secret)) {
      warnings.push(
        'This token looks like a JWT; Qyvo documents tokens as typically 60+ hex characters — Keyway accepts it and Qyvo will tell',
      );
    } else if (!/^[0-9a-f]+$/i.test(secret)) {
      warnings.push(
        'Qyvo tokens are typically hexadecimal and this one has other characters; check it was copied whole — Qyvo will tell',
      );
    } else if (secret.length < 60) {
      warnings.push(
        `Qyvo tokens are typically 60 or more hex characters; this one has ${secret.length}, check it was copied whole — Qyvo will tell`,
      );
    }
    return formatOk(warnings);
  },

  // The document: every token carries the single scope mcp, and one without it is refused.
  provenScopes: ['mcp'],

  scopeWarnings(scopes) {
    const warnings: string[] = [];
    if (!scopes.includes('mcp')) {
      warnings.push(
        'Without the mcp scope Qyvo refuses the token with 401 on both the REST API and the MCP server',
      );
    }
    for (const s of scopes) {
      if (s !== 'mcp') warnings.push(`"${s}" is not a Qyvo scope; Qyvo has only mcp`);
    }
    return warnings;
  },

  normalizeScopes: (scopes) => uniqueScopes(scopes),

  checkScopes(requested) {
    return uniqueScopes(requested).map((scope) =>
      scope === 'mcp'
        ? { scope, grantable: true }
        : {
            scope,
            grantable: false,
            reason: `Qyvo has a single scope, mcp; there is no "${scope}" or any narrower scope`,
          },
    );
  },

  async verify(ep, secret, signal): Promise<VerifyResult> {
    const res = await vendorRequest('qyvo', {
      method: 'GET',
      base: ep.apiUrl,
      path: '/api/v1/me',
      auth: ep.auth,
      secret,
      http: ep.http,
      signal,
    });
    if (res.status !== 200) throw qyvoError(res.status, res.what);
    return { identity: identityOf(res.body), warnings: [] };
  },
};

import type { VendorAdapter, VendorEndpoint, VerifyResult } from './vendor-adapter';
import { VendorError, bodyMessage, statusError } from './vendor-error';
import { vendorRequest } from './vendor-http';
import { formatOk, formatRejected, pasteProblem, uniqueScopes } from './key-format';
import { guidedOnHost } from './guided-steps';

const GUIDED = {
  // Assumption: the document names the page (Settings → Developer → API Tokens), not its URL.
  dashboardUrl: 'https://qwoty.app/settings/developer/api-tokens',
  createSteps: [
    'Open Settings → Developer → API Tokens in your Qwoty dashboard',
    'Create a token for the workspace the agent should work in (each token is scoped to one workspace), with the minimal permissions it needs',
    'Copy the token (it starts with qwt_prod_) and paste it into Keyway',
  ],
  revokeSteps: [
    'Open Settings → Developer → API Tokens in your Qwoty dashboard',
    'Revoke the old token',
  ],
};

/**
 * Assumption: Qwoty documents "specific permissions" per token without naming them; these labels
 * are Keyway's names for what the dashboard offers, and any other label is kept as typed.
 */
const SCOPES = [
  { id: 'quotes:read', description: 'Read quotes in the token’s workspace.' },
  { id: 'quotes:write', description: 'Create and change quotes in the token’s workspace.' },
  { id: 'clients:read', description: 'Read clients in the token’s workspace.' },
  { id: 'clients:write', description: 'Create and change clients in the token’s workspace.' },
  {
    id: 'payment-terms:read',
    description: 'Read payment terms; Keyway verifies a token with GET /api/payment-terms.',
  },
];
const KNOWN = new Set(SCOPES.map((s) => s.id));
const LENGTH = { min: 64, max: 128 };

/** Qwoty's 401/403 carry `{success:false, error}`; its `error` is shown as Qwoty said it. */
function qwotyError(status: number, body: unknown, what: string, secret: string): VendorError {
  const said = bodyMessage(body, [secret]);
  const quoted = said ? `: “${said}”` : '';
  if (status === 401) {
    return new VendorError(
      'qwoty',
      'refused',
      `Qwoty refused the token (401 Unauthorized${quoted}): the API token is missing or invalid — copied incompletely, or revoked`,
      { status },
    );
  }
  if (status === 403) {
    return new VendorError(
      'qwoty',
      'forbidden',
      `Qwoty accepted the token but refused ${what} (403 Forbidden${quoted}): the token doesn't have permission for this operation`,
      { status },
    );
  }
  return statusError('qwoty', status, what, said);
}

export const qwotyAdapter: VendorAdapter = {
  id: 'qwoty',
  displayName: 'Qwoty',
  // Assumption: the document gives the API host only; the MCP server is taken to be /mcp on it.
  defaults: { apiUrl: 'https://qwoty.app', mcpUrl: 'https://qwoty.app/mcp' },
  defaultAuth: { header: 'Authorization', prefix: 'Bearer ' },
  scopes: SCOPES,
  defaultScopes: ['quotes:read', 'clients:read', 'payment-terms:read'],
  capabilities: { mint: false, revoke: false, list: false },
  guided: GUIDED,
  guidedFor: (ep: VendorEndpoint) => guidedOnHost(GUIDED, ep),

  /**
   * The prefix is certain (qwt_prod_); the length is "typically" 64–128, so outside it is a
   * warning. The document's own examples use qwoty_…, so that prefix is accepted with a warning.
   */
  checkFormat(secret) {
    const paste = pasteProblem(secret, 'Qwoty');
    if (paste) return formatRejected(paste);
    const warnings: string[] = [];
    if (secret.startsWith('qwoty_')) {
      warnings.push(
        'This token starts with qwoty_, as in the examples of Qwoty’s documentation, but the documented format is qwt_prod_…; Keyway accepts it and the verify call will tell',
      );
    } else if (!secret.startsWith('qwt_prod_')) {
      return formatRejected('Qwoty API tokens start with qwt_prod_; this one does not');
    }
    if (secret.length < LENGTH.min || secret.length > LENGTH.max) {
      warnings.push(
        `Qwoty tokens are typically ${LENGTH.min}–${LENGTH.max} characters; this one has ${secret.length}, check it was copied whole`,
      );
    }
    return formatOk(warnings);
  },

  scopeWarnings(scopes) {
    const warnings = scopes
      .filter((s) => !KNOWN.has(s))
      .map((s) => `"${s}" is not a Qwoty permission Keyway knows; it is kept as a label`);
    if (!scopes.includes('payment-terms:read')) {
      warnings.push(
        'Without permission to read payment terms, Keyway can only tell the token is valid, not what it can see',
      );
    }
    return warnings;
  },

  normalizeScopes: (scopes) => uniqueScopes(scopes),

  // Qwoty tokens are made in the dashboard, where the person creating one grants what they hold.
  checkScopes: (requested) => uniqueScopes(requested).map((scope) => ({ scope, grantable: true })),

  /**
   * GET /api/payment-terms. A 403 means Qwoty knows the token and only forbids that read (a token
   * made with minimal permissions, as the document advises): it verifies, with Qwoty's words as a
   * warning. Only a 401 says the token is not accepted.
   */
  async verify(ep, secret, signal): Promise<VerifyResult> {
    const res = await vendorRequest('qwoty', {
      method: 'GET',
      base: ep.apiUrl,
      path: '/api/payment-terms',
      auth: ep.auth,
      secret,
      http: ep.http,
      signal,
    });
    if (res.status === 200) {
      const data = (res.body as { data?: unknown } | null)?.data;
      const n = Array.isArray(data) ? data.length : 0;
      return {
        identity: `Qwoty workspace token (${n} payment term${n === 1 ? '' : 's'} in its workspace)`,
        warnings: [],
        // Assumption: the document says every call "respects the token's permissions" and answers
        // 403 for one the token lacks, so a 200 here proves the permission to read payment terms.
        // It proves nothing about the others (quotes, clients): those stay as the user declared.
        proven: ['payment-terms:read'],
      };
    }
    const err = qwotyError(res.status, res.body, res.what, secret);
    if (err.kind === 'forbidden') {
      return { identity: 'Qwoty workspace token', warnings: [err.message] };
    }
    throw err;
  },
};

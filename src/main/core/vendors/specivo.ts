import type { VendorAdapter, VendorEndpoint, VerifyResult } from './vendor-adapter';
import { formatOk, formatRejected, pasteProblem, uniqueScopes } from './key-format';
import { guidedOnHost } from './guided-steps';
import { probeMcp } from './mcp-probe';
import { isVendorError } from './vendor-error';

const GUIDED = {
  // Assumption: the document gives the path (/my/api-keys/) but not the host; see defaults.
  dashboardUrl: 'https://specivo.com/my/api-keys/',
  createSteps: [
    'Sign in as the dedicated service account (a separate user added to the relevant projects with the Agent role), not as yourself',
    'Open Your profile → API keys (/my/api-keys/)',
    'Click to create a new key, give it a clear name (for example, claude-code or ci-agent), and select the mcp scope',
    'Copy the key when it’s shown — it starts with spv_ and is shown only once',
  ],
  revokeSteps: [
    'Open Your profile → API keys (/my/api-keys/) as the account that owns the key',
    'Revoke the old key — it takes effect immediately',
  ],
};

const SCOPES = [
  {
    id: 'mcp',
    description:
      'Connect an AI client over MCP. A key without it authenticates, but the MCP server refuses it.',
  },
];

const NO_MCP_WARNING =
  'Without the mcp scope the key authenticates, but Specivo’s MCP server refuses it: create the key with the mcp scope';

export const specivoAdapter: VendorAdapter = {
  id: 'specivo',
  displayName: 'Specivo',
  // Assumption: Specivo's document names no host; specivo.com with MCP at /mcp is Keyway's default.
  defaults: { apiUrl: 'https://specivo.com', mcpUrl: 'https://specivo.com/mcp' },
  defaultAuth: { header: 'Authorization', prefix: 'Bearer ' },
  scopes: SCOPES,
  defaultScopes: ['mcp'],
  capabilities: { mint: false, revoke: false, list: false },
  guided: GUIDED,
  guidedFor: (ep: VendorEndpoint) => guidedOnHost(GUIDED, ep),

  checkFormat(secret) {
    const paste = pasteProblem(secret, 'Specivo');
    if (paste) return formatRejected(paste);
    if (!secret.startsWith('spv_')) {
      return formatRejected('Specivo API keys always start with spv_; this one does not');
    }
    if (secret.length === 'spv_'.length)
      return formatRejected('This Specivo key is only its prefix');
    return formatOk();
  },

  // The document: a key without the mcp scope is refused by the MCP server, so a key the MCP
  // probe accepted has it.
  provenScopes: ['mcp'],

  scopeWarnings(scopes) {
    const warnings = scopes.includes('mcp') ? [] : [NO_MCP_WARNING];
    for (const s of scopes) {
      if (s !== 'mcp')
        warnings.push(`"${s}" is not a scope Specivo documents; it is kept as a label`);
    }
    return warnings;
  },

  normalizeScopes: (scopes) => uniqueScopes(scopes),

  // A key never grants more than its owner has; the dashboard enforces that, not the scope list.
  checkScopes: (requested) => uniqueScopes(requested).map((scope) => ({ scope, grantable: true })),

  /**
   * Specivo has no documented REST call, so verify is an MCP initialize. A 403 there means the key
   * authenticated and only MCP refused it (no mcp scope): the key is real, so it verifies with a
   * warning, and probeMcp — which KeyService runs as well — reports the refusal.
   */
  async verify(ep, secret, signal): Promise<VerifyResult> {
    try {
      const server = await probeMcp(ep, secret, signal, 'specivo');
      return { identity: `Specivo key (MCP server ${server.serverName})`, warnings: [] };
    } catch (e) {
      if (isVendorError(e) && e.status === 403) {
        return { identity: 'Specivo key (authenticated)', warnings: [NO_MCP_WARNING] };
      }
      throw e;
    }
  },
};

import type { VendorAdapter, VerifyResult } from './vendor-adapter';
import { formatOk, formatRejected, uniqueScopes } from './key-format';
import { probeMcp } from './mcp-probe';
import { isVendorError } from './vendor-error';

/**
 * Any MCP server. Its header name and prefix come from the account's AuthScheme (ep.auth), its
 * scopes are free-form labels, and its key has no known shape.
 */
export const customAdapter: VendorAdapter = {
  id: 'custom',
  displayName: 'Custom',
  // No vendor, no host: the account must set its own URLs; these placeholders never resolve.
  defaults: { apiUrl: 'https://mcp.example.invalid', mcpUrl: 'https://mcp.example.invalid/mcp' },
  defaultAuth: { header: 'Authorization', prefix: 'Bearer ' },
  scopes: [],
  defaultScopes: [],
  capabilities: { mint: false, revoke: false, list: false },
  guided: {
    // Any server: Keyway cannot know where its keys are made (the UI says so, links nowhere).
    dashboardUrl: null,
    createSteps: ['Create a new key in the MCP server’s own admin tool', 'Paste it into Keyway'],
    revokeSteps: ['Revoke the old key in the MCP server’s own admin tool'],
  },

  checkFormat(secret) {
    if (secret.length === 0) return formatRejected('The key is empty');
    // It goes into an HTTP header as-is, where whitespace and control characters are invalid.
    if (/[\s\p{Cc}]/u.test(secret)) {
      return formatRejected(
        'The key contains spaces or control characters, which a header cannot carry',
      );
    }
    return formatOk(
      /^bearer/i.test(secret)
        ? [
            'The key starts with "Bearer": if that is the header prefix, set it on the account instead',
          ]
        : [],
    );
  },

  scopeWarnings: () => [],
  normalizeScopes: (scopes) => uniqueScopes(scopes),
  checkScopes: (requested) => uniqueScopes(requested).map((scope) => ({ scope, grantable: true })),

  async verify(ep, secret, signal): Promise<VerifyResult> {
    try {
      const server = await probeMcp(ep, secret, signal, 'custom');
      return { identity: `${server.serverName} ${server.serverVersion}`, warnings: [] };
    } catch (e) {
      if (isVendorError(e) && e.status === 403) {
        return {
          identity: 'key accepted by the server',
          warnings: ['The server authenticated the key but refused MCP with it (403)'],
        };
      }
      throw e;
    }
  },
};

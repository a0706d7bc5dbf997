import { randomHex, credentialId } from '../sandbox-keys';
import { presentedKey } from '../sandbox-http';
import { jsonReply, mcpRefusal } from '../sandbox-vendor';
import type { SandboxVendorDef } from '../sandbox-vendor';
import type { AuthScheme } from '../../shared/domain';

const CUSTOM_DEFAULT_AUTH: AuthScheme = { header: 'X-Api-Key', prefix: '' };

/**
 * Any MCP server a user brings: a key on a configurable header (default X-Api-Key, no prefix),
 * streamable HTTP at /mcp and the legacy HTTP+SSE transport at /legacy (/legacy/sse).
 */
export function customSandbox(auth: AuthScheme = CUSTOM_DEFAULT_AUTH): SandboxVendorDef {
  return {
    id: 'custom',
    auth,
    mcpPath: '/mcp',
    legacySsePath: '/legacy',
    dashboardPath: '/admin/keys',
    keepPlaintext: () => false,
    errorReply: (status) => jsonReply(status, { error: `HTTP ${status}` }),

    createKey(ctx, opts) {
      const secret = `cst_${randomHex(16)}`;
      const key = ctx.keys.add(
        {
          name: opts.name ?? 'agent',
          scopes: opts.scopes ?? [],
          user: opts.user ?? 'admin',
          workspace: opts.workspace ?? null,
          kind: 'user-token',
          options: {},
        },
        secret,
      );
      return { id: key.id, secret };
    },

    authenticateMcp(ctx, req) {
      const key = ctx.keys.bySecret(presentedKey(req, auth));
      if (!key) return mcpRefusal(401, { error: `Missing or invalid ${auth.header}` });
      return { ok: true, caller: { keyId: credentialId(key), label: key.name } };
    },

    handleRest: () => Promise.resolve(false),
  };
}

import { presentedKey } from '../sandbox-http';
import { credentialId } from '../sandbox-keys';
import { randomBytes } from 'node:crypto';
import { jsonReply, mcpRefusal } from '../sandbox-vendor';
import type { SandboxVendorDef } from '../sandbox-vendor';

const AUTH = { header: 'Authorization', prefix: 'Bearer ' };

/** Specivo's paths end in a slash and its errors are `{ detail }` (it looks like Django REST). */
const DETAILS: Record<number, string> = {
  401: 'Invalid API key.',
  403: 'This API key does not have the mcp scope.',
  404: 'Not found.',
  429: 'Request was throttled.',
  500: 'A server error occurred.',
  503: 'Service temporarily unavailable.',
};

export const specivoSandbox: SandboxVendorDef = {
  id: 'specivo',
  auth: AUTH,
  mcpPath: '/mcp',
  dashboardPath: '/my/api-keys/',
  keepPlaintext: () => false,
  errorReply: (status) => jsonReply(status, { detail: DETAILS[status] ?? 'Error.' }),

  createKey(ctx, opts) {
    const secret = `spv_${randomBytes(30).toString('base64url')}`;
    const key = ctx.keys.add(
      {
        name: opts.name ?? 'claude-code',
        scopes: opts.scopes ?? ['mcp'],
        // The document's advice: a dedicated service account with the Agent role.
        user: opts.user ?? 'agent',
        workspace: opts.workspace ?? null,
        kind: 'user-token',
        options: {},
      },
      secret,
    );
    return { id: key.id, secret };
  },

  /** A key without mcp authenticates, then MCP refuses it: 403, not 401. */
  authenticateMcp(ctx, req) {
    const presented = presentedKey(req, AUTH);
    if (presented === undefined) {
      return mcpRefusal(
        401,
        { detail: 'Authentication credentials were not provided.' },
        { 'WWW-Authenticate': 'Bearer' },
      );
    }
    const key = ctx.keys.bySecret(presented);
    if (!key) return mcpRefusal(401, { detail: DETAILS[401] }, { 'WWW-Authenticate': 'Bearer' });
    if (!key.scopes.includes('mcp')) return mcpRefusal(403, { detail: DETAILS[403] });
    return { ok: true, caller: { keyId: credentialId(key), label: key.name } };
  },

  // Specivo documents no REST API for keys; its only surface here is MCP and the dashboard.
  handleRest: () => Promise.resolve(false),
};

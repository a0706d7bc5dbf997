import type { IncomingMessage } from 'node:http';
import { presentedKey, sendJson } from '../sandbox-http';
import { credentialId, randomHex } from '../sandbox-keys';
import type { SandboxKey } from '../sandbox-keys';
import { jsonReply, mcpRefusal } from '../sandbox-vendor';
import type { SandboxVendorContext, SandboxVendorDef } from '../sandbox-vendor';

const AUTH = { header: 'Authorization', prefix: 'Bearer ' };

/** Keyway's names for Qwoty's per-token permissions (the document does not name them). */
const QWOTY_PERMISSIONS = [
  'quotes:read',
  'quotes:write',
  'clients:read',
  'clients:write',
  'payment-terms:read',
];

const MESSAGES: Record<number, string> = {
  401: 'Invalid API token',
  403: "Token doesn't have permission for this operation",
  404: 'Not found',
  429: 'Rate limit exceeded for this workspace',
  500: 'Internal server error',
  503: 'Service unavailable',
};

const PAYMENT_TERMS: Record<string, Array<{ id: string; name: string; days: number }>> = {
  Acme: [
    { id: 'pt_net30', name: 'Net 30', days: 30 },
    { id: 'pt_net15', name: 'Net 15', days: 15 },
    { id: 'pt_due', name: 'Due on receipt', days: 0 },
  ],
};

function failure(status: number, error = MESSAGES[status] ?? 'Error') {
  return { success: false, error };
}

type Check = { key: SandboxKey } | { status: number; error: string };

function check(ctx: SandboxVendorContext, req: IncomingMessage): Check {
  const presented = presentedKey(req, AUTH);
  if (presented === undefined) return { status: 401, error: 'Missing API token' };
  const key = ctx.keys.bySecret(presented);
  return key ? { key } : { status: 401, error: 'Invalid API token' };
}

export const qwotySandbox: SandboxVendorDef = {
  id: 'qwoty',
  auth: AUTH,
  mcpPath: '/mcp',
  dashboardPath: '/settings/developer/api-tokens',
  keepPlaintext: () => false,
  errorReply: (status) => jsonReply(status, failure(status)),

  createKey(ctx, opts) {
    // qwt_prod_ and 64 hex: 73 characters, inside the documented 64–128.
    const secret = `qwt_prod_${randomHex(32)}`;
    const key = ctx.keys.add(
      {
        name: opts.name ?? 'API token',
        scopes: opts.scopes ?? [...QWOTY_PERMISSIONS],
        user: opts.user ?? 'owner',
        workspace: opts.workspace === undefined ? 'Acme' : opts.workspace,
        kind: 'user-token',
        options: {},
      },
      secret,
    );
    return { id: key.id, secret };
  },

  // Assumption: Qwoty's MCP server takes any valid token; permissions limit its tools.
  authenticateMcp(ctx, req) {
    const c = check(ctx, req);
    if ('status' in c) return mcpRefusal(c.status, failure(c.status, c.error));
    return { ok: true, caller: { keyId: credentialId(c.key), label: c.key.name } };
  },

  handleRest(ctx, req, res, url) {
    if (url.pathname !== '/api/payment-terms' || req.method !== 'GET')
      return Promise.resolve(false);
    const c = check(ctx, req);
    if ('status' in c) sendJson(res, c.status, failure(c.status, c.error));
    else if (!c.key.scopes.includes('payment-terms:read')) sendJson(res, 403, failure(403));
    else sendJson(res, 200, { success: true, data: PAYMENT_TERMS[c.key.workspace ?? ''] ?? [] });
    return Promise.resolve(true);
  },
};

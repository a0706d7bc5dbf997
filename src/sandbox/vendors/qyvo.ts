import type { IncomingMessage } from 'node:http';
import { presentedKey, sendJson } from '../sandbox-http';
import { credentialId, randomHex } from '../sandbox-keys';
import type { SandboxKey } from '../sandbox-keys';
import { jsonReply, mcpRefusal } from '../sandbox-vendor';
import type { SandboxVendorContext, SandboxVendorDef } from '../sandbox-vendor';

const AUTH = { header: 'Authorization', prefix: 'Bearer ' };

/** Qyvo is Laravel: errors are `{ message }`, with the catalogue's exact words. */
const MESSAGES: Record<number, string> = {
  401: 'Unauthenticated.',
  404: 'Personal access client not found. Please create one.',
  422: 'No workspace configured for this account.',
  429: 'Too Many Attempts.',
  500: 'Server Error',
  503: 'Service Unavailable',
};

type Check = { key: SandboxKey } | { status: number };

/** Passport: a live token with the mcp scope, whose user has a tenant. */
function check(ctx: SandboxVendorContext, req: IncomingMessage): Check {
  const key = ctx.keys.bySecret(presentedKey(req, AUTH));
  if (!key || !key.scopes.includes('mcp')) return { status: 401 };
  if (key.workspace === null) return { status: 422 };
  return { key };
}

export const qyvoSandbox: SandboxVendorDef = {
  id: 'qyvo',
  auth: AUTH,
  mcpPath: '/mcp',
  dashboardPath: '/settings/api-tokens',
  keepPlaintext: () => false,
  errorReply: (status) => jsonReply(status, { message: MESSAGES[status] ?? 'Server Error' }),

  createKey(ctx, opts) {
    const secret = randomHex(40);
    const key = ctx.keys.add(
      {
        name: opts.name ?? 'Claude Desktop',
        // "Currently every token is issued with the single scope mcp"; tests may pass [] to get
        // a token without it.
        scopes: opts.scopes ?? ['mcp'],
        user: opts.user ?? 'ada',
        workspace: opts.workspace === undefined ? 'Acme' : opts.workspace,
        kind: 'user-token',
        options: {},
      },
      secret,
    );
    return { id: key.id, secret };
  },

  authenticateMcp(ctx, req) {
    const c = check(ctx, req);
    if ('status' in c) {
      return mcpRefusal(
        c.status,
        { message: MESSAGES[c.status] },
        { 'WWW-Authenticate': 'Bearer' },
      );
    }
    return { ok: true, caller: { keyId: credentialId(c.key), label: c.key.name } };
  },

  handleRest(ctx, req, res, url) {
    if (url.pathname !== '/api/v1/me' || req.method !== 'GET') return Promise.resolve(false);
    const c = check(ctx, req);
    if ('status' in c) sendJson(res, c.status, { message: MESSAGES[c.status] });
    else {
      const u = c.key.user;
      sendJson(res, 200, {
        user: { id: `usr_${u}`, name: u[0]?.toUpperCase() + u.slice(1), email: `${u}@example.com` },
        tenant: { id: `ten_${slug(c.key.workspace ?? '')}`, name: c.key.workspace },
      });
    }
    return Promise.resolve(true);
  },
};

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { presentedKey, sendJson } from '../sandbox-http';
import { credentialId, randomHex } from '../sandbox-keys';
import { jsonReply, mcpRefusal } from '../sandbox-vendor';
import type { SandboxKeyOptions, SandboxVendorContext, SandboxVendorDef } from '../sandbox-vendor';
import type { QuaveCaller } from './quave-mcp-keys';
import { handleMcpKeys, quaveFail, quaveSecret, requireScope } from './quave-mcp-keys';
import { validateKeyFields } from './quave-validation';

const AUTH = { header: 'Authorization', prefix: '' };

const ERRORS: Record<number, string> = {
  401: 'Invalid or missing token',
  403: 'Forbidden',
  404: 'Not found',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

interface QuaveAppEnv {
  appEnvId: string;
  cliEnvName: string;
  name: string;
  account: string;
  token: string;
  cliTokenGeneratedAt: string;
}

/** Seeded: account acme, johndoe its admin, jane a member; two app environments. */
function seed() {
  const at = '2025-01-15T10:30:00.000Z';
  const admins = new Map<string, string[]>([['acme', ['johndoe']]]);
  const appEnvs: QuaveAppEnv[] = [
    { appEnvId: '5f7b1b7b7b7b7b7b7b7b7b7b', cliEnvName: 'production', name: 'Production' },
    { appEnvId: '5f7b1b7b7b7b7b7b7b7b7b7c', cliEnvName: 'staging', name: 'Staging' },
  ].map((e) => ({ ...e, account: 'acme', token: randomHex(24), cliTokenGeneratedAt: at }));
  return { admins, appEnvs };
}

function email(user: string): string {
  return user === 'johndoe' ? 'john@example.com' : `${user}@example.com`;
}

export function quaveSandbox(): SandboxVendorDef {
  const { admins, appEnvs } = seed();

  const caller = (ctx: SandboxVendorContext, req: IncomingMessage): QuaveCaller | undefined => {
    const key = ctx.keys.bySecret(presentedKey(req, AUTH));
    return key && { key, mcp: key.kind === 'mcp-key' };
  };

  const userToken = (ctx: SandboxVendorContext, c: QuaveCaller, res: ServerResponse) => {
    requireScope(c, 'quave:read:secrets');
    const own = c.mcp
      ? ctx.keys
          .live()
          .filter((k) => k.kind === 'user-token' && k.user === c.key.user)
          .at(-1)
      : c.key;
    if (!own?.secret) throw quaveFail(404, 'No CLI token has been generated for this user');
    sendJson(res, 200, {
      token: own.secret,
      username: c.key.user,
      email: email(c.key.user),
      cliTokenGeneratedAt: own.createdAt,
    });
  };

  const appEnvToken = (c: QuaveCaller, url: URL, res: ServerResponse) => {
    requireScope(c, 'quave:read:secrets');
    const id = url.searchParams.get('appEnvId');
    const envName = url.searchParams.get('envName');
    if (!id && !envName) throw quaveFail(400, 'appEnvId or envName is required');
    const env = appEnvs.find((e) => (id ? e.appEnvId === id : e.cliEnvName === envName));
    if (!env) throw quaveFail(404, 'App environment not found');
    if (!(admins.get(env.account) ?? []).includes(c.key.user)) {
      throw quaveFail(403, 'Admin permission on the account is required');
    }
    const { appEnvId, cliEnvName, name, token, cliTokenGeneratedAt } = env;
    sendJson(res, 200, { token, appEnvId, cliEnvName, name, cliTokenGeneratedAt });
  };

  return {
    id: 'quave',
    auth: AUTH,
    // Assumption: the documents give no MCP URL; the sandbox serves MCP at /mcp on the API host.
    mcpPath: '/mcp',
    dashboardPath: '/dashboard/mcp-keys',
    // MCP keys can be revealed and CLI tokens are returned decoded, so Quave keeps them.
    keepPlaintext: () => true,
    errorReply: (status) => jsonReply(status, { error: ERRORS[status] ?? 'Error' }),

    createKey(ctx, opts: SandboxKeyOptions) {
      const user = opts.user ?? 'johndoe';
      const secret = quaveSecret();
      if (opts.kind === 'user-token') {
        // One CLI token per user: generating a new one replaces the old.
        for (const k of ctx.keys.live()) {
          if (k.kind === 'user-token' && k.user === user) ctx.keys.revoke(k.id);
        }
        const key = ctx.keys.add(
          {
            name: opts.name ?? 'CLI token',
            scopes: [],
            user,
            workspace: null,
            kind: 'user-token',
            options: {},
          },
          secret,
        );
        return { id: key.id, secret };
      }
      const fields = validateKeyFields(
        {
          name: opts.name ?? 'dashboard key',
          enabledScopes: opts.scopes ?? [],
          securityLevel: opts.securityLevel,
          sessionDuration: opts.sessionDuration,
        },
        true,
      );
      const key = ctx.keys.add(
        {
          name: fields.name ?? '',
          scopes: fields.enabledScopes ?? [],
          user,
          workspace: null,
          kind: 'mcp-key',
          options: { securityLevel: fields.securityLevel, sessionDuration: fields.sessionDuration },
        },
        secret,
      );
      return { id: key.id, secret };
    },

    // Quave's MCP server takes MCP keys (raw in Authorization), not CLI tokens.
    authenticateMcp(ctx, req) {
      const c = caller(ctx, req);
      if (!c?.mcp) return mcpRefusal(401, { error: 'Invalid or missing MCP key' });
      return { ok: true, caller: { keyId: credentialId(c.key), label: c.key.name } };
    },

    async handleRest(ctx, req, res, url) {
      if (!url.pathname.startsWith('/api/public/v1/')) return false;
      const c = caller(ctx, req);
      if (!c) {
        sendJson(res, 401, { error: ERRORS[401] });
        return true;
      }
      const route = `${req.method ?? 'GET'} ${url.pathname}`;
      if (route === 'GET /api/public/v1/user/token') userToken(ctx, c, res);
      else if (route === 'GET /api/public/v1/app-env/token') appEnvToken(c, url, res);
      else return handleMcpKeys(ctx, c, req, res, url);
      return true;
    },
  };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { HttpFailure, readJsonObject, sendJson } from '../sandbox-http';
import type { SandboxKey } from '../sandbox-keys';
import type { SandboxVendorContext } from '../sandbox-vendor';
import { QuaveValidationError, validateKeyFields } from './quave-validation';

/** Who is calling Quave's API: a regular user token (holds all) or an MCP key (holds its scopes). */
export interface QuaveCaller {
  key: SandboxKey;
  mcp: boolean;
}

const MANAGE = 'quave:manage:mcp-keys';
const SECRETS = 'quave:read:secrets';

export function quaveSecret(): string {
  return randomBytes(24).toString('base64url');
}

export function quaveFail(status: number, error: string): HttpFailure {
  return new HttpFailure(status, { error });
}

/** "For MCP requests: requires the … scope"; a regular user token passes. */
export function requireScope(caller: QuaveCaller, scope: string): void {
  if (caller.mcp && !caller.key.scopes.includes(scope)) {
    throw quaveFail(403, `MCP key is missing the required scope ${scope}`);
  }
}

function hasSecrets(caller: QuaveCaller): boolean {
  return !caller.mcp || caller.key.scopes.includes(SECRETS);
}

/** "MCP callers can only create or manage target keys with the same or fewer scopes." */
function requireWithin(caller: QuaveCaller, scopes: string[], verb: string): void {
  if (!caller.mcp) return;
  const extra = scopes.filter((s) => !caller.key.scopes.includes(s));
  if (extra.length > 0) {
    throw quaveFail(
      403,
      `Cannot ${verb} scopes the calling MCP key does not have: ${extra.join(', ')}`,
    );
  }
}

function keyJson(k: SandboxKey) {
  return {
    keyId: k.id,
    name: k.name,
    enabledScopes: [...k.scopes],
    enabled: k.enabled,
    securityLevel: k.options.securityLevel,
    sessionDuration: k.options.sessionDuration,
    createdAt: k.createdAt,
  };
}

function validate(raw: Record<string, unknown>, creating: boolean) {
  try {
    return validateKeyFields(raw, creating);
  } catch (e) {
    if (e instanceof QuaveValidationError) throw quaveFail(400, e.message);
    throw e;
  }
}

/** A key of the caller's user that the caller may manage; 404 for anyone else's. */
function target(ctx: SandboxVendorContext, caller: QuaveCaller, keyId: unknown): SandboxKey {
  if (typeof keyId !== 'string' || !keyId) throw quaveFail(400, 'keyId is required');
  const key = ctx.keys.byId(keyId);
  if (!key || key.kind !== 'mcp-key' || key.user !== caller.key.user) {
    throw quaveFail(404, 'MCP key not found');
  }
  requireWithin(caller, key.scopes, 'manage a key with');
  return key;
}

/** The mcp-keys endpoints of quave-mcp-keys-api.txt; false when the path is not one of them. */
export async function handleMcpKeys(
  ctx: SandboxVendorContext,
  caller: QuaveCaller,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const route = `${req.method ?? 'GET'} ${url.pathname.replace('/api/public/v1', '')}`;
  const known = [
    'GET /mcp-keys',
    'GET /mcp-key',
    'POST /mcp-key',
    'PATCH /mcp-key',
    'DELETE /mcp-key',
    'POST /mcp-key/toggle',
    'POST /mcp-key/regenerate',
    'POST /mcp-key/reveal',
  ];
  if (!known.includes(route)) return false;
  requireScope(caller, MANAGE);
  const invalid = (error: string) => ({ error });
  const body =
    req.method === 'POST' || req.method === 'PATCH' ? await readJsonObject(req, invalid) : {};
  const mine = () =>
    ctx.keys.live().filter((k) => k.kind === 'mcp-key' && k.user === caller.key.user);

  switch (route) {
    case 'GET /mcp-keys':
      sendJson(res, 200, { mcpKeys: mine().map(keyJson) });
      break;
    case 'GET /mcp-key':
      sendJson(res, 200, { mcpKey: keyJson(target(ctx, caller, url.searchParams.get('keyId'))) });
      break;
    case 'POST /mcp-key': {
      const fields = validate(body, true);
      requireWithin(caller, fields.enabledScopes ?? [], 'grant');
      const secret = quaveSecret();
      const key = ctx.keys.add(
        {
          name: fields.name ?? '',
          scopes: fields.enabledScopes ?? [],
          user: caller.key.user,
          workspace: null,
          kind: 'mcp-key',
          options: { securityLevel: fields.securityLevel, sessionDuration: fields.sessionDuration },
        },
        secret,
      );
      // "If returnSecret is true and authorized, the response includes rawKey once."
      const rawKey = body.returnSecret === true && hasSecrets(caller) ? { rawKey: secret } : {};
      sendJson(res, 201, { mcpKey: keyJson(key), ...rawKey });
      break;
    }
    case 'PATCH /mcp-key': {
      const key = target(ctx, caller, body.keyId);
      const fields = validate(body, false);
      if (fields.enabledScopes) requireWithin(caller, fields.enabledScopes, 'grant');
      if (body.enabled !== undefined && typeof body.enabled !== 'boolean') {
        throw quaveFail(400, 'enabled must be true or false');
      }
      if (fields.name !== undefined) key.name = fields.name;
      if (fields.enabledScopes) key.scopes = fields.enabledScopes;
      if (fields.securityLevel) key.options.securityLevel = fields.securityLevel;
      if (fields.sessionDuration) key.options.sessionDuration = fields.sessionDuration;
      if (typeof body.enabled === 'boolean') ctx.keys.setEnabled(key, body.enabled);
      sendJson(res, 200, { mcpKey: keyJson(key) });
      break;
    }
    case 'POST /mcp-key/toggle': {
      const key = target(ctx, caller, body.keyId);
      if (typeof body.enabled !== 'boolean') throw quaveFail(400, 'enabled must be true or false');
      ctx.keys.setEnabled(key, body.enabled);
      sendJson(res, 200, { mcpKey: keyJson(key) });
      break;
    }
    case 'POST /mcp-key/regenerate': {
      const key = target(ctx, caller, body.keyId);
      const fields = validate(body.name === undefined ? {} : { name: body.name }, false);
      const secret = quaveSecret();
      ctx.keys.replaceSecret(key, secret);
      if (fields.name !== undefined) key.name = fields.name;
      const rawKey = body.returnSecret === true && hasSecrets(caller) ? { rawKey: secret } : {};
      sendJson(res, 200, { mcpKey: keyJson(key), ...rawKey });
      break;
    }
    case 'POST /mcp-key/reveal': {
      const key = target(ctx, caller, url.searchParams.get('keyId') ?? body.keyId);
      requireScope(caller, SECRETS);
      ctx.audit.push({
        at: new Date().toISOString(),
        event: 'secret-decrypt',
        keyId: key.id,
        by: caller.key.user,
      });
      sendJson(res, 200, { keyId: key.id, rawKey: key.secret });
      break;
    }
    case 'DELETE /mcp-key': {
      const key = target(ctx, caller, url.searchParams.get('keyId'));
      ctx.keys.revoke(key.id);
      sendJson(res, 200, { deleted: true, keyId: key.id });
      break;
    }
  }
  return true;
}

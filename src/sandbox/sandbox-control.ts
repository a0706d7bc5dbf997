import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonObject, sendJson } from './sandbox-http';
import type { SandboxKey } from './sandbox-keys';
import type { SandboxSwitches } from './sandbox-switches';
import type { SandboxKeyOptions, SandboxVendorHost } from './sandbox-vendor';

export interface SandboxKeySummary {
  id: string;
  name: string;
  scopes: string[];
  live: boolean;
  createdAt: string;
  kind: SandboxKey['kind'];
}

export function keySummary(k: SandboxKey): SandboxKeySummary {
  return {
    id: k.id,
    name: k.name,
    scopes: [...k.scopes],
    live: !k.revoked && k.enabled,
    createdAt: k.createdAt,
    kind: k.kind,
  };
}

/**
 * The dashboard and switches over HTTP, for tests in another process. Never subject to the
 * switches (a "down" vendor can still be brought back up) and refused to other origins' pages.
 */
export async function handleControl(
  server: SandboxVendorHost,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== server.origin) {
    sendJson(res, 403, { error: 'The sandbox control API refuses requests from other origins' });
    return;
  }
  const route = `${req.method ?? 'GET'} ${url.pathname}`;
  const invalid = (message: string) => ({ error: message });
  const keyMatch = /^DELETE \/__sandbox\/keys\/([^/]+)$/.exec(route);

  if (route === 'GET /__sandbox/keys') {
    sendJson(res, 200, server.ctx.keys.all().map(keySummary));
  } else if (route === 'POST /__sandbox/keys') {
    const opts = keyOptions(await readJsonObject(req, invalid));
    if (typeof opts === 'string') sendJson(res, 400, { error: opts });
    else {
      try {
        sendJson(res, 201, server.createKey(opts));
      } catch (e) {
        sendJson(res, 400, { error: e instanceof Error ? e.message : 'invalid key options' });
      }
    }
  } else if (keyMatch) {
    const revoked = server.ctx.keys.revoke(decodeURIComponent(keyMatch[1] ?? ''));
    sendJson(
      res,
      revoked ? 200 : 404,
      revoked ? { revoked } : { revoked, error: 'No such live key' },
    );
  } else if (route === 'POST /__sandbox/live') {
    const { secret } = await readJsonObject(req, invalid);
    sendJson(res, 200, { live: typeof secret === 'string' && server.ctx.keys.isLive(secret) });
  } else if (route === 'GET /__sandbox/switches') {
    sendJson(res, 200, server.switches.switches);
  } else if (route === 'POST /__sandbox/switches') {
    const patch = switchesPatch(await readJsonObject(req, invalid));
    if (typeof patch === 'string') sendJson(res, 400, { error: patch });
    else {
      server.switches.patch(patch);
      sendJson(res, 200, server.switches.switches);
    }
  } else if (route === 'GET /__sandbox/requests') {
    sendJson(res, 200, server.requests);
  } else if (route === 'DELETE /__sandbox/requests') {
    server.requests.length = 0;
    sendJson(res, 200, { cleared: true });
  } else if (route === 'GET /__sandbox/audit') {
    sendJson(res, 200, server.ctx.audit);
  } else {
    sendJson(res, 404, { error: `No sandbox control route ${route}` });
  }
}

/** createKey options with checked types, or why they are wrong. */
function keyOptions(raw: Record<string, unknown>): SandboxKeyOptions | string {
  const { name, scopes, user, workspace, kind, securityLevel, sessionDuration } = raw;
  const optional = (v: unknown, type: string) => v === undefined || typeof v === type;
  if (
    !optional(name, 'string') ||
    !optional(user, 'string') ||
    !optional(securityLevel, 'string')
  ) {
    return 'name, user and securityLevel must be strings';
  }
  if (
    scopes !== undefined &&
    (!Array.isArray(scopes) || scopes.some((s) => typeof s !== 'string'))
  ) {
    return 'scopes must be an array of strings';
  }
  if (workspace !== undefined && workspace !== null && typeof workspace !== 'string') {
    return 'workspace must be a string or null';
  }
  if (kind !== undefined && kind !== 'user-token' && kind !== 'mcp-key') {
    return 'kind must be user-token or mcp-key';
  }
  if (!optional(sessionDuration, 'number')) return 'sessionDuration must be a number';
  const out: SandboxKeyOptions = {};
  if (name !== undefined) out.name = name as string;
  if (scopes !== undefined) out.scopes = scopes as string[];
  if (user !== undefined) out.user = user as string;
  if (workspace !== undefined) out.workspace = workspace;
  if (kind !== undefined) out.kind = kind;
  if (securityLevel !== undefined) out.securityLevel = securityLevel as string;
  if (sessionDuration !== undefined) out.sessionDuration = sessionDuration as number;
  return out;
}

/** A switches patch with checked types, or why it is wrong. */
function switchesPatch(raw: Record<string, unknown>): SandboxSwitches | string {
  const out: SandboxSwitches = {};
  for (const [k, v] of Object.entries(raw)) {
    if ((k === 'boundSessions' || k === 'down') && typeof v === 'boolean') out[k] = v;
    else if (
      (k === 'latencyMs' || k === 'timeoutNext') &&
      Number.isInteger(v) &&
      (v as number) >= 0
    ) {
      out[k] = v as number;
    } else if (k === 'failNext' && isFailNext(v)) out.failNext = v;
    else return `Bad switch ${k}: ${JSON.stringify(v)}`;
  }
  return out;
}

function isFailNext(v: unknown): v is { status: number; count: number } {
  const f = v as { status?: unknown; count?: unknown } | null;
  return (
    !!f &&
    Number.isInteger(f.status) &&
    (f.status as number) >= 100 &&
    (f.status as number) <= 599 &&
    Number.isInteger(f.count) &&
    (f.count as number) >= 0
  );
}

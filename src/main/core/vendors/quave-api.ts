import type { VendorEndpoint } from './vendor-adapter';
import { VendorError, bodyMessage, statusError } from './vendor-error';
import { vendorRequest } from './vendor-http';
import type { VendorMethod } from './vendor-http';

/**
 * The calls of Quave's public API (quave-mcp-keys-api.txt) that Keyway makes: list, create and
 * delete MCP keys (test/support/quave-api-client.ts makes the others, for the sandbox's tests).
 * The token goes raw in `Authorization` (no "Bearer "), as the documents show.
 *
 * Assumptions where the documents show only requests: responses wrap a key as `{ mcpKey }`, a list
 * as `{ mcpKeys }`, a secret as `rawKey`; errors are `{ error: "…" }` with 400 (validation),
 * 401 (token), 403 (scope, escalation, admin), 404 (no such key or environment).
 */

interface QuaveMcpKey {
  keyId: string;
  name: string;
  enabledScopes: string[];
  enabled: boolean;
  securityLevel: string;
  sessionDuration: number;
  createdAt?: string;
}

interface QuaveCreateInput {
  name: string;
  enabledScopes?: string[];
  securityLevel?: string;
  sessionDuration?: number;
  returnSecret?: boolean;
}

/** A created key; rawKey only when returnSecret was asked and authorized. */
interface QuaveKeyWithSecret {
  key: QuaveMcpKey;
  rawKey: string | null;
}

const V1 = '/api/public/v1';

/**
 * A Quave URL for a path of its public API. The account's API URL may be the bare host
 * (`https://api.quave.cloud`, Keyway's default) or include the API's base path, as every example
 * in Quave's document starts (`https://api.quave.cloud/api/public/v1`): both mean the same.
 */
export function quaveApiPath(apiUrl: string, path: string): { base: string; path: string } {
  const base = apiUrl.replace(/\/+$/, '');
  return { base: base.endsWith(V1) ? base.slice(0, -V1.length) : base, path: V1 + path };
}

/** Quave's errors, told apart by status and by what its `error` says (escalation vs missing scope). */
export function quaveError(
  status: number,
  body: unknown,
  what: string,
  secrets: string[] = [],
): VendorError {
  const said = bodyMessage(body, secrets);
  const quoted = said ? ` “${said}”` : '';
  if (status === 401) {
    return new VendorError(
      'quave',
      'refused',
      `Quave refused the token (401${quoted}): it is wrong, deleted, regenerated or disabled (Quave takes the raw token, without "Bearer ")`,
      { status },
    );
  }
  if (status === 403) {
    const missing = /required scope (quave:[a-z:-]+)/i.exec(said)?.[1];
    if (/escalat|does not have|do not hold|more scopes|fewer scopes/i.test(said) && !missing) {
      return new VendorError(
        'quave',
        'escalation',
        `Quave refused ${what} (403${quoted}): an MCP key can never grant or manage scopes it does not hold itself — use a credential holding those scopes, or a regular user token`,
        { status },
      );
    }
    if (missing) {
      return new VendorError(
        'quave',
        'forbidden',
        `Quave refused ${what} (403${quoted}): this MCP key lacks ${missing}, which ${what} requires of MCP callers`,
        { status },
      );
    }
    return new VendorError('quave', 'forbidden', `Quave refused ${what} (403${quoted})`, {
      status,
    });
  }
  if (status === 400) {
    return new VendorError('quave', 'bad-request', `Quave rejected ${what} (400${quoted})`, {
      status,
    });
  }
  if (status === 404) {
    return new VendorError(
      'quave',
      'not-found',
      `Quave found nothing for ${what} (404${quoted}): deleted, or owned by another user`,
      { status },
    );
  }
  return statusError('quave', status, what, said);
}

/** One call to Quave's management API; a non-2xx answer throws Quave's own reason. */
export async function quaveCall(
  ep: VendorEndpoint,
  credential: string,
  method: VendorMethod,
  path: string,
  opts: { query?: Record<string, string | undefined>; body?: unknown; signal?: AbortSignal } = {},
): Promise<unknown> {
  const res = await vendorRequest('quave', {
    method,
    ...quaveApiPath(ep.apiUrl, path),
    query: opts.query,
    body: opts.body,
    auth: ep.auth,
    secret: credential,
    http: ep.http,
    signal: opts.signal,
  });
  if (res.status < 200 || res.status > 299) {
    throw quaveError(res.status, res.body, res.what, [credential]);
  }
  return res.body ?? {};
}

function asKey(body: unknown, what: string): QuaveMcpKey {
  const raw = ((body as { mcpKey?: unknown }).mcpKey ?? body) as Partial<QuaveMcpKey> & {
    _id?: string;
  };
  const keyId = raw.keyId ?? raw._id;
  if (typeof keyId !== 'string' || !Array.isArray(raw.enabledScopes)) {
    throw new VendorError('quave', 'bad-request', `Quave answered ${what} without an MCP key`);
  }
  const key: QuaveMcpKey = {
    keyId,
    name: raw.name ?? '',
    enabledScopes: raw.enabledScopes,
    enabled: raw.enabled !== false,
    securityLevel: raw.securityLevel ?? '',
    sessionDuration: raw.sessionDuration ?? 0,
  };
  if (raw.createdAt) key.createdAt = raw.createdAt;
  return key;
}

function withSecret(body: unknown, what: string): QuaveKeyWithSecret {
  const rawKey = (body as { rawKey?: unknown }).rawKey;
  return { key: asKey(body, what), rawKey: typeof rawKey === 'string' && rawKey ? rawKey : null };
}

export async function listMcpKeys(
  ep: VendorEndpoint,
  credential: string,
  signal?: AbortSignal,
): Promise<QuaveMcpKey[]> {
  const body = await quaveCall(ep, credential, 'GET', '/mcp-keys', { signal });
  const list = (body as { mcpKeys?: unknown }).mcpKeys ?? body;
  if (!Array.isArray(list)) {
    throw new VendorError('quave', 'bad-request', 'Quave answered the MCP key list without a list');
  }
  return list.map((k: unknown) => asKey(k, 'GET /mcp-keys'));
}

export async function createMcpKey(
  ep: VendorEndpoint,
  credential: string,
  input: QuaveCreateInput,
): Promise<QuaveKeyWithSecret> {
  return withSecret(await quaveCall(ep, credential, 'POST', '/mcp-key', { body: input }), 'create');
}

export async function deleteMcpKey(
  ep: VendorEndpoint,
  credential: string,
  keyId: string,
): Promise<void> {
  await quaveCall(ep, credential, 'DELETE', '/mcp-key', { query: { keyId } });
}

import type { ScopeCheck, VendorAdapter, VendorKeyInfo, VerifyResult } from './vendor-adapter';
import { VendorError } from './vendor-error';
import { vendorRequest } from './vendor-http';
import { formatOk, formatRejected, pasteProblem, uniqueScopes } from './key-format';
import { createMcpKey, deleteMcpKey, listMcpKeys, quaveApiPath, quaveError } from './quave-api';

const QUAVE_READ = 'quave:read';
const QUAVE_READ_SECRETS = 'quave:read:secrets';
const QUAVE_WRITE_CONFIG = 'quave:write:config';
const QUAVE_MANAGE_KEYS = 'quave:manage:mcp-keys';

const SCOPES = [
  {
    id: QUAVE_READ,
    description:
      'Read apps, environments and configuration, never secrets. Quave adds it to every MCP key.',
  },
  {
    id: QUAVE_READ_SECRETS,
    description:
      'Read decrypted secrets: CLI tokens (user and app environment) and MCP key plaintext (returnSecret, reveal).',
  },
  { id: QUAVE_WRITE_CONFIG, description: 'Change app environment configuration.' },
  {
    id: QUAVE_MANAGE_KEYS,
    description:
      'List, create, update, toggle, regenerate, reveal and delete MCP keys, never with more scopes than this key holds.',
  },
];
const KNOWN = new Set(SCOPES.map((s) => s.id));

function normalize(scopes: string[]): string[] {
  // Quave stores quave:read on every MCP key whatever was asked; saying so up front keeps the
  // scopes Keyway shows equal to the ones Quave enforces.
  return uniqueScopes([QUAVE_READ, ...scopes]);
}

/** Why an MCP key used as management credential cannot mint; [] for a regular user token. */
function credentialProblems(credentialScopes: string[] | null): string[] {
  if (credentialScopes === null) return [];
  const problems: string[] = [];
  if (!credentialScopes.includes(QUAVE_MANAGE_KEYS)) {
    problems.push(
      `The management credential is a Quave MCP key without ${QUAVE_MANAGE_KEYS}; Quave refuses every MCP key operation (list, create, delete) from MCP callers without it`,
    );
  }
  if (!credentialScopes.includes(QUAVE_READ_SECRETS)) {
    problems.push(
      `The management credential is a Quave MCP key without ${QUAVE_READ_SECRETS}; Quave would create the key but never return its plaintext to it, so Keyway could not store the new key`,
    );
  }
  return problems;
}

function checkScopes(requested: string[], credentialScopes: string[] | null): ScopeCheck[] {
  return normalize(requested).map((scope) => {
    if (!KNOWN.has(scope)) {
      return { scope, grantable: false, reason: `"${scope}" is not a Quave scope` };
    }
    if (credentialScopes === null || credentialScopes.includes(scope)) {
      return { scope, grantable: true };
    }
    return {
      scope,
      grantable: false,
      reason: `The management credential (a Quave MCP key) does not hold ${scope}, and Quave never lets a key grant a scope it does not hold; use a credential holding ${scope} or a regular user token`,
    };
  });
}

export const quaveAdapter: VendorAdapter = {
  id: 'quave',
  displayName: 'Quave',
  // Assumption: the documents give only the API host; the MCP server is taken to be /mcp on it.
  defaults: { apiUrl: 'https://api.quave.cloud', mcpUrl: 'https://api.quave.cloud/mcp' },
  defaultAuth: { header: 'Authorization', prefix: '' },
  scopes: SCOPES,
  defaultScopes: [QUAVE_READ],
  capabilities: { mint: true, revoke: true, list: true },
  guided: null,

  checkFormat(secret) {
    const paste = pasteProblem(secret, 'Quave');
    return paste ? formatRejected(paste) : formatOk();
  },

  scopeWarnings(scopes) {
    const warnings: string[] = [];
    for (const s of scopes) {
      if (!KNOWN.has(s)) warnings.push(`"${s}" is not a Quave scope; Quave rejects it`);
    }
    if (scopes.includes(QUAVE_READ_SECRETS)) {
      warnings.push(
        `${QUAVE_READ_SECRETS} lets the agent read decrypted CLI tokens and key plaintext`,
      );
    }
    if (scopes.includes(QUAVE_MANAGE_KEYS)) {
      warnings.push(
        `${QUAVE_MANAGE_KEYS} lets the agent create and delete MCP keys (up to its own scopes)`,
      );
    }
    return warnings;
  },

  normalizeScopes: normalize,

  checkScopes,

  checkCredential: credentialProblems,

  /**
   * GET /mcp-keys. A 403 that names quave:manage:mcp-keys means Quave authenticated the key and
   * only refused the listing: such a key is fine for MCP, so it verifies. (No warning: this is
   * what an agent's key normally is; whether a *credential* can mint is `checkCredential`'s job.)
   */
  async verify(ep, secret, signal): Promise<VerifyResult> {
    const res = await vendorRequest('quave', {
      method: 'GET',
      ...quaveApiPath(ep.apiUrl, '/mcp-keys'),
      auth: ep.auth,
      secret,
      http: ep.http,
      signal,
    });
    if (res.status === 200) {
      const list = (res.body as { mcpKeys?: unknown } | null)?.mcpKeys;
      const n = Array.isArray(list) ? list.length : 0;
      return {
        identity: `Quave credential that manages MCP keys (${n} key${n === 1 ? '' : 's'} visible)`,
        warnings: [],
      };
    }
    const err = quaveError(res.status, res.body, res.what, [secret]);
    if (err.kind === 'forbidden' && err.message.includes(QUAVE_MANAGE_KEYS)) {
      return {
        identity: `Quave MCP key without ${QUAVE_MANAGE_KEYS}`,
        warnings: [],
      };
    }
    throw err;
  },

  async mint(ep, credential, credentialScopes, spec) {
    const problems = credentialProblems(credentialScopes);
    if (problems.length > 0) throw new VendorError('quave', 'forbidden', problems.join('. '));
    const scopes = normalize(spec.scopes);
    const denied = checkScopes(scopes, credentialScopes).filter((c) => !c.grantable);
    if (denied.length > 0) {
      const unknown = denied.some((c) => !KNOWN.has(c.scope));
      throw new VendorError(
        'quave',
        unknown ? 'bad-request' : 'escalation',
        denied.map((c) => c.reason).join('. '),
      );
    }
    const created = await createMcpKey(ep, credential, {
      name: spec.name,
      enabledScopes: scopes,
      ...(spec.options.securityLevel !== undefined && {
        securityLevel: spec.options.securityLevel,
      }),
      ...(spec.options.sessionDuration !== undefined && {
        sessionDuration: spec.options.sessionDuration,
      }),
      returnSecret: true,
    });
    if (!created.rawKey) {
      // A key nobody can use must not stay live at Quave.
      await deleteMcpKey(ep, credential, created.key.keyId).catch(() => undefined);
      throw new VendorError(
        'quave',
        'forbidden',
        `Quave created the key but did not return its plaintext (the credential is not authorized to read secrets: ${QUAVE_READ_SECRETS}); Keyway deleted it again`,
      );
    }
    return {
      vendorKeyId: created.key.keyId,
      secret: created.rawKey,
      scopes: created.key.enabledScopes,
      expires: null,
    };
  },

  async revoke(ep, credential, vendorKeyId) {
    await deleteMcpKey(ep, credential, vendorKeyId);
  },

  async list(ep, credential): Promise<VendorKeyInfo[]> {
    const keys = await listMcpKeys(ep, credential);
    return keys.map((k) => ({
      vendorKeyId: k.keyId,
      name: k.name,
      scopes: k.enabledScopes,
      enabled: k.enabled,
    }));
  },
};

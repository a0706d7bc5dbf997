import { Document } from 'yaml';
import type { KeywayState } from './plan-types';

interface ExportedManifest {
  manifest: {
    version: 1;
    accounts: Array<Record<string, unknown>>;
    keys: Array<Record<string, unknown>>;
    connections: Array<Record<string, unknown>>;
    clients: Array<Record<string, unknown>>;
  };
  /** What was left out and why (a revoked key, a revoked client). */
  skipped: string[];
}

/**
 * Keyway's configuration in the manifest format, without a secret or a token: `keyway provision`
 * of it on another machine makes the same accounts, keys, connections and clients (credentials
 * come from stdin there; dashboard vendors' keys are pasted). A key with no live version, and
 * what hangs off it, is left out: it could not be provisioned again as it is.
 */
export function exportManifest(state: KeywayState): ExportedManifest {
  const skipped: string[] = [];
  // An OAuth account's key NAME/oauth comes with the account, signed in or not: each teammate
  // logs in on their machine, so it is kept without a version (and never with a token). A
  // service account's NAME/oauth is implied by the account (its tokens are never exported).
  const serviceKeys = new Set(
    state.accounts.filter((a) => a.oauth?.clientCredentials).map((a) => `${a.name}/oauth`),
  );
  const oauthKeys = new Set(
    state.accounts
      .filter((a) => a.oauth && !a.oauth.clientCredentials)
      .map((a) => `${a.name}/oauth`),
  );
  const keys = state.keys.filter((k) => {
    if (serviceKeys.has(k.ref)) return false;
    if (k.version || oauthKeys.has(k.ref)) return true;
    skipped.push(`key ${k.ref}: no active version`);
    return false;
  });
  const keyRefs = new Set([...keys.map((k) => k.ref), ...serviceKeys]);
  const connections = state.connections.filter((c) => {
    if (keyRefs.has(c.key)) return true;
    skipped.push(`connection ${c.slug}: its key ${c.key} is not exported`);
    return false;
  });
  const slugs = new Set(connections.map((c) => c.slug));
  const clients = state.clients.filter((c) => {
    if (c.revokedAt) return false;
    if (slugs.has(c.connection)) return true;
    skipped.push(`client ${c.name}: its connection ${c.connection} is not exported`);
    return false;
  });
  return {
    skipped,
    manifest: {
      version: 1,
      accounts: state.accounts.map((a) => ({
        name: a.name,
        vendor: a.vendor,
        apiUrl: a.apiUrl,
        mcpUrl: a.mcpUrl,
        serviceAccount: a.serviceAccount,
        ...(a.serviceAccountInfo?.role ? { role: a.serviceAccountInfo.role } : {}),
        ...(a.serviceAccountInfo?.projects?.length
          ? { projects: a.serviceAccountInfo.projects }
          : {}),
        ...(a.credentialScopes ? { credentialScopes: a.credentialScopes } : {}),
        ...(a.oauth?.clientCredentials
          ? {
              auth: 'client-credentials',
              clientId: a.oauth.clientId,
              ...(a.oauth.scopes.length > 0 ? { scopes: a.oauth.scopes } : {}),
            }
          : a.oauth
            ? {
                auth: 'oauth',
                ...(a.oauth.clientSource === 'pre-registered' && a.oauth.clientId
                  ? { clientId: a.oauth.clientId }
                  : {}),
              }
            : a.auth
              ? { auth: { header: a.auth.header, prefix: a.auth.prefix } }
              : {}),
      })),
      keys: keys.map((k) => ({
        ref: k.ref,
        scopes: oauthKeys.has(k.ref)
          ? (state.accounts.find((a) => `${a.name}/oauth` === k.ref)?.oauth?.scopes ?? k.scopes)
          : k.scopes,
        ...(k.options.securityLevel !== undefined
          ? { securityLevel: k.options.securityLevel }
          : {}),
        ...(k.options.sessionDuration !== undefined
          ? { sessionDuration: k.options.sessionDuration }
          : {}),
        rotateEvery: k.rotateEvery,
      })),
      connections: connections.map((c) => ({
        slug: c.slug,
        key: c.key,
        upstream: c.upstream,
        ...(c.transport !== 'streamable-http' ? { transport: c.transport } : {}),
      })),
      clients: clients.map((c) => ({ name: c.name, connection: c.connection })),
    },
  };
}

export function manifestYaml(exported: ExportedManifest, now: Date): string {
  const doc = new Document(exported.manifest);
  doc.commentBefore =
    ` Keyway configuration, exported ${now.toISOString()}. No secrets and no tokens:\n` +
    ` apply it with \`keyway provision FILE --credentials-stdin\` (ACCOUNT=TOKEN lines for\n` +
    ` management credentials, the client secret of an OAuth account with a clientId, and service\n` +
    ` accounts' client secrets or keys); keys at dashboard-only vendors are listed as "paste needed",\n` +
    ` OAuth accounts as "log in",\n` +
    ` and each client gets a new token, shown once.`;
  return doc.toString({ lineWidth: 0 });
}

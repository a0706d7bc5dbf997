import { canonical } from '../../shared/client-config';
import type { Account, ServiceAccountInfo } from '../../shared/domain';
import type { ManifestAccount } from './manifest-schema';
import type { FieldChange, PlanDraft, PlanInput } from './plan-types';
import { isClientCredentialsItem, planServiceAccount } from './plan-client-credentials';

/** The service-account facts a manifest account states, in the store's shape. */
function desiredServiceAccount(a: ManifestAccount): {
  serviceAccount: boolean;
  info: ServiceAccountInfo | undefined;
} {
  const info: ServiceAccountInfo = {
    ...(a.role !== undefined ? { role: a.role } : {}),
    ...(a.projects !== undefined ? { projects: a.projects } : {}),
  };
  const stated = Object.keys(info).length > 0;
  return { serviceAccount: a.serviceAccount ?? stated, info: stated ? info : undefined };
}

function sameInfo(a: ServiceAccountInfo | undefined, b: ServiceAccountInfo | undefined): boolean {
  const norm = (x: ServiceAccountInfo | undefined) => ({
    role: x?.role ?? null,
    projects: x?.projects ?? [],
  });
  return canonical(norm(a)) === canonical(norm(b));
}

/**
 * Accounts: create what is missing (with its credential from stdin), update URLs and
 * service-account facts in place, add or replace the management credential given on stdin, and
 * refuse what the contract cannot change (the vendor).
 */
export function planAccounts(input: PlanInput, draft: PlanDraft): void {
  const { manifest, state, secrets, source } = input;
  for (const { index, item: a } of manifest.accounts) {
    const path = ['accounts', index];
    if (isClientCredentialsItem(a)) {
      planServiceAccount(input, draft, a, path);
      continue;
    }
    const auth = a.auth === 'client-credentials' ? undefined : a.auth;
    const cur = state.accounts.find((x) => x.name === a.name);
    const sa = desiredServiceAccount(a);
    const credential = secrets.credentials.get(a.name);
    if (!cur && a.auth === 'oauth') {
      planOAuthAccount(input, draft, a, credential);
      continue;
    }
    if (!cur) {
      draft.items.push({
        action: 'create',
        kind: 'account',
        name: a.name,
        detail: [
          a.vendor,
          sa.serviceAccount ? 'service account' : null,
          sa.info?.role ? `role ${sa.info.role}` : null,
          sa.info?.projects?.length ? `projects ${sa.info.projects.join(', ')}` : null,
          credential ? 'credential from stdin' : null,
        ]
          .filter(Boolean)
          .join(', '),
      });
      draft.steps.push({
        label: `create account ${a.name}`,
        run: async (api) => {
          await api['account.add']({
            name: a.name,
            vendor: a.vendor,
            apiUrl: a.apiUrl,
            mcpUrl: a.mcpUrl,
            serviceAccount: sa.serviceAccount,
            ...(sa.info ? { serviceAccountInfo: sa.info } : {}),
            credential,
            credentialScopes: a.credentialScopes ?? null,
            ...(auth && auth !== 'oauth' ? { auth } : {}),
          });
          return {};
        },
      });
      continue;
    }
    if (cur.vendor !== a.vendor)
      draft.issues.push(
        source.issue(
          [...path, 'vendor'],
          `account "${a.name}" is at ${cur.vendor} in Keyway; an account cannot move to another vendor (use another name)`,
        ),
      );
    const changes: FieldChange[] = [];
    if (a.apiUrl && a.apiUrl !== cur.apiUrl)
      changes.push({ field: 'apiUrl', from: cur.apiUrl, to: a.apiUrl });
    if (a.mcpUrl && a.mcpUrl !== cur.mcpUrl)
      changes.push({ field: 'mcpUrl', from: cur.mcpUrl, to: a.mcpUrl });
    if (sa.serviceAccount !== cur.serviceAccount)
      changes.push({ field: 'serviceAccount', from: cur.serviceAccount, to: sa.serviceAccount });
    if (!sameInfo(sa.info, cur.serviceAccountInfo))
      changes.push({
        field: 'serviceAccountInfo',
        from: cur.serviceAccountInfo ?? null,
        to: sa.info ?? null,
      });
    const credentialChange = planCredential(input, draft, a, cur, path);
    if (changes.length === 0 && !credentialChange) {
      draft.items.push({ action: 'leave', kind: 'account', name: a.name, detail: a.vendor });
      continue;
    }
    draft.items.push({
      action: 'change',
      kind: 'account',
      name: a.name,
      detail: a.vendor,
      changes: credentialChange ? [...changes, ...credentialChange] : changes,
    });
    if (changes.length > 0) {
      const patch = Object.fromEntries(changes.map((c) => [c.field, c.to ?? {}]));
      draft.steps.push({
        label: `change account ${a.name}`,
        run: async (api) => {
          await api['account.update']({ name: a.name, ...patch });
          return {};
        },
      });
    }
  }
}

/**
 * An OAuth account (`auth: oauth`): created as one, with the scopes its key NAME/oauth lists and
 * a pre-registered client ID if the file has one (its secret from stdin as NAME=SECRET). No key
 * is pasted: the teammate logs in (listed as "log in" at the end).
 */
function planOAuthAccount(
  input: PlanInput,
  draft: PlanDraft,
  a: ManifestAccount,
  clientSecret: string | undefined,
): void {
  const ref = `${a.name}/oauth`;
  const scopes = input.manifest.keys.find((k) => k.item.ref === ref)?.item.scopes ?? [];
  const sa = desiredServiceAccount(a);
  draft.items.push({
    action: 'create',
    kind: 'account',
    name: a.name,
    detail: [
      'OAuth',
      a.clientId ? `client ${a.clientId}` : null,
      clientSecret ? 'client secret from stdin' : null,
    ]
      .filter(Boolean)
      .join(', '),
  });
  draft.pending.push({
    kind: 'account',
    name: a.name,
    reason: `signs in with OAuth: keyway account login ${a.name}`,
  });
  draft.steps.push({
    label: `create OAuth account ${a.name}`,
    run: async (api) => {
      await api['account.addOAuth']({
        name: a.name,
        mcpUrl: a.mcpUrl ?? '',
        scopes,
        serviceAccount: sa.serviceAccount,
        ...(a.clientId ? { clientId: a.clientId } : {}),
        ...(a.clientId && clientSecret ? { clientSecret } : {}),
      });
      return {};
    },
  });
}

/**
 * The management credential of an existing account: a credential on stdin replaces the one in
 * the keychain (Keyway never reads a credential back, so it cannot tell whether it is the same);
 * new `credentialScopes` describe a credential, so they need it on stdin too. Returns the changes
 * for the plan line, or null when the credential stays as it is.
 */
function planCredential(
  input: PlanInput,
  draft: PlanDraft,
  a: ManifestAccount,
  cur: Account,
  path: Array<string | number>,
): FieldChange[] | null {
  const credential = input.secrets.credentials.get(a.name);
  const scopesDiffer =
    a.credentialScopes !== undefined &&
    canonical(a.credentialScopes) !== canonical(cur.credentialScopes);
  if (!credential) {
    if (scopesDiffer)
      draft.issues.push(
        input.source.issue(
          [...path, 'credentialScopes'],
          `the credential of "${a.name}" is recorded with scopes ${JSON.stringify(cur.credentialScopes)}; to record other scopes, pipe the credential that holds them as "${a.name}=TOKEN" to --credentials-stdin`,
        ),
      );
    return null;
  }
  const credentialScopes = a.credentialScopes ?? null;
  const changes: FieldChange[] = [
    {
      field: 'credential',
      from: cur.hasCredential ? 'in the keychain' : null,
      to: cur.hasCredential ? 'replaced from stdin' : 'from stdin',
    },
  ];
  if (canonical(credentialScopes) !== canonical(cur.credentialScopes))
    changes.push({ field: 'credentialScopes', from: cur.credentialScopes, to: credentialScopes });
  draft.steps.push({
    label: `${cur.hasCredential ? 'replace' : 'add'} credential of account ${a.name}`,
    run: async (api) => {
      await api['account.setCredential']({ name: a.name, credential, credentialScopes });
      return {};
    },
  });
  return changes;
}

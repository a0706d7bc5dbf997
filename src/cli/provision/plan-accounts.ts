import { canonical } from '../../shared/client-config';
import type { ServiceAccountInfo } from '../../shared/domain';
import type { ManifestAccount } from './manifest-schema';
import type { FieldChange, PlanDraft, PlanInput } from './plan-types';

/** The service-account facts a manifest account states, in the store's shape. */
export function desiredServiceAccount(a: ManifestAccount): {
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
 * service-account facts in place, and refuse what the contract cannot change (the vendor, the
 * credential's scopes, a credential on an existing account).
 */
export function planAccounts(input: PlanInput, draft: PlanDraft): void {
  const { manifest, state, secrets, source } = input;
  for (const { index, item: a } of manifest.accounts) {
    const path = ['accounts', index];
    const cur = state.accounts.find((x) => x.name === a.name);
    const sa = desiredServiceAccount(a);
    const credential = secrets.credentials.get(a.name);
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
            ...(a.auth ? { auth: a.auth } : {}),
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
    if (a.credentialScopes && canonical(a.credentialScopes) !== canonical(cur.credentialScopes))
      draft.issues.push(
        source.issue(
          [...path, 'credentialScopes'],
          `the credential of "${a.name}" is recorded with scopes ${JSON.stringify(cur.credentialScopes)}; Keyway cannot change that in place`,
        ),
      );
    if (credential && !cur.hasCredential)
      draft.issues.push(
        source.issue(
          path,
          `account "${a.name}" exists without a management credential, and Keyway adds one only when it creates an account; remove the account (\`keyway account ls\`) or add the credential in the app`,
        ),
      );
    else if (credential)
      draft.warnings.push(
        `the credential given for "${a.name}" was not used: its credential is already in the keychain`,
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
    if (changes.length === 0) {
      draft.items.push({ action: 'leave', kind: 'account', name: a.name, detail: a.vendor });
      continue;
    }
    draft.items.push({
      action: 'change',
      kind: 'account',
      name: a.name,
      detail: a.vendor,
      changes,
    });
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

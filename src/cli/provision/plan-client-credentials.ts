import type { Account } from '../../shared/domain';
import type { ManifestAccount } from './manifest-schema';
import type { FieldChange, PlanDraft, PlanInput } from './plan-types';

/**
 * Service accounts in a manifest (`auth: client-credentials`, issue 25). The file names the
 * client id and scopes; the client secret, or the PEM private key, comes on standard input as
 * `NAME=SECRET` like any credential (a PEM on one line, its line breaks written `\n`). Their key
 * NAME/oauth is made by the account, so connections may name it without a `keys:` entry.
 */
export function isClientCredentialsItem(a: ManifestAccount): boolean {
  return a.auth === 'client-credentials';
}

/** The oauth key refs the file's service accounts bring, for reference checks and pruning. */
export function serviceAccountKeyRefs(accounts: ManifestAccount[]): string[] {
  return accounts.filter(isClientCredentialsItem).map((a) => `${a.name}/oauth`);
}

/** `NAME=-----BEGIN PRIVATE KEY-----\n…` is a key; anything else a client secret. */
export function credentialFromLine(value: string): { clientSecret?: string; privateKey?: string } {
  return value.startsWith('-----BEGIN')
    ? { privateKey: value.replace(/\\n/g, '\n') }
    : { clientSecret: value };
}

/** Plans one `auth: client-credentials` account (the caller's loop skips the generic path). */
export function planServiceAccount(
  input: PlanInput,
  draft: PlanDraft,
  a: ManifestAccount,
  path: Array<string | number>,
): void {
  const cur: Account | undefined = input.state.accounts.find((x) => x.name === a.name);
  const credential = input.secrets.credentials.get(a.name);
  if (!cur) {
    if (!credential || !a.mcpUrl || !a.clientId) {
      draft.issues.push(
        input.source.issue(
          path,
          !credential
            ? `service account "${a.name}" needs its client secret or PEM key: pipe "${a.name}=SECRET" to --credentials-stdin (a PEM on one line, line breaks as \\n)`
            : 'auth: client-credentials needs mcpUrl and clientId',
        ),
      );
      return;
    }
    const given = credentialFromLine(credential);
    draft.items.push({
      action: 'create',
      kind: 'account',
      name: a.name,
      detail: `custom, client credentials (client ${a.clientId}), ${given.privateKey ? 'private key' : 'client secret'} from stdin`,
    });
    const mcpUrl = a.mcpUrl;
    const clientId = a.clientId;
    draft.steps.push({
      label: `create service account ${a.name}`,
      run: async (api) => {
        await api['account.addClientCredentials']({
          name: a.name,
          mcpUrl,
          clientId,
          ...given,
          scopes: a.scopes ?? [],
        });
        return {};
      },
    });
    return;
  }
  const cc = cur.oauth?.clientCredentials;
  if (!cc) {
    draft.issues.push(
      input.source.issue(
        [...path, 'auth'],
        `account "${a.name}" is not a service account in Keyway; an account cannot change kind (use another name)`,
      ),
    );
    return;
  }
  if (a.clientId && a.clientId !== cur.oauth?.clientId)
    draft.issues.push(
      input.source.issue(
        [...path, 'clientId'],
        `service account "${a.name}" has client ${cur.oauth?.clientId ?? '?'} in Keyway; a new client id is a new account (use another name)`,
      ),
    );
  if (!credential) {
    draft.items.push({ action: 'leave', kind: 'account', name: a.name, detail: 'custom' });
    return;
  }
  const given = credentialFromLine(credential);
  const changes: FieldChange[] = [
    {
      field: given.privateKey ? 'privateKey' : 'clientSecret',
      from: 'in the keychain',
      to: 'rotated from stdin (checked by getting a token first)',
    },
  ];
  draft.items.push({ action: 'change', kind: 'account', name: a.name, detail: 'custom', changes });
  draft.steps.push({
    label: `rotate the credential of service account ${a.name}`,
    run: async (api) => {
      await api['account.rotateClientCredential']({ name: a.name, ...given });
      return {};
    },
  });
}

import { serviceAccountKeyRefs } from './plan-client-credentials';
import type { PlanDraft, PlanInput } from './plan-types';

/**
 * What Keyway has and the file does not. With `--prune` it goes, dependents first (clients,
 * connections, keys, accounts) and each key revoked at the vendor before it is forgotten;
 * without, it is only listed.
 */
export function planPrune(input: PlanInput, draft: PlanDraft): void {
  const { manifest, state, prune } = input;
  const inFile = {
    clients: new Set(manifest.clients.map((c) => c.item.name)),
    connections: new Set(manifest.connections.map((c) => c.item.slug)),
    keys: new Set([
      ...manifest.keys.map((k) => k.item.ref),
      ...serviceAccountKeyRefs(manifest.accounts.map((a) => a.item)),
    ]),
    accounts: new Set(manifest.accounts.map((a) => a.item.name)),
  };
  const extra = {
    // A revoked client is already gone as far as access goes; it leaves with its connection.
    clients: state.clients.filter((c) => !c.revokedAt && !inFile.clients.has(c.name)),
    connections: state.connections.filter((c) => !inFile.connections.has(c.slug)),
    keys: state.keys.filter((k) => !inFile.keys.has(k.ref)),
    accounts: state.accounts.filter((a) => !inFile.accounts.has(a.name)),
  };
  if (!prune) {
    draft.unmanaged.push(
      ...extra.clients.map((c) => ({ kind: 'client' as const, name: c.name })),
      ...extra.connections.map((c) => ({ kind: 'connection' as const, name: c.slug })),
      ...extra.keys.map((k) => ({ kind: 'key' as const, name: k.ref })),
      ...extra.accounts.map((a) => ({ kind: 'account' as const, name: a.name })),
    );
    return;
  }
  for (const c of extra.clients) {
    draft.items.push({
      action: 'remove',
      kind: 'client',
      name: c.name,
      detail: 'revoke its token',
    });
    draft.steps.push({
      label: `remove client ${c.name}`,
      run: async (api) => {
        await api['client.revoke']({ name: c.name });
        return {};
      },
    });
  }
  for (const c of extra.connections) {
    draft.items.push({
      action: 'remove',
      kind: 'connection',
      name: c.slug,
      detail: `key ${c.key}`,
    });
    draft.steps.push({
      label: `remove connection ${c.slug}`,
      run: async (api) => {
        await api['connection.remove']({ slug: c.slug });
        return {};
      },
    });
  }
  for (const k of extra.keys) {
    const live = k.versions.some((v) => v.state !== 'revoked');
    draft.items.push({
      action: 'remove',
      kind: 'key',
      name: k.ref,
      detail: live ? 'revoke at the vendor, then forget' : 'forget (already revoked)',
    });
    if (live) {
      draft.steps.push({
        label: `revoke key ${k.ref}`,
        run: async (api) => {
          await api['key.revoke']({ ref: k.ref });
          return {};
        },
      });
    }
    draft.steps.push({
      label: `remove key ${k.ref}`,
      run: async (api) => {
        await api['key.remove']({ ref: k.ref });
        return {};
      },
    });
  }
  for (const a of extra.accounts) {
    draft.items.push({
      action: 'remove',
      kind: 'account',
      name: a.name,
      detail: a.hasCredential ? 'forget it and its credential' : 'forget it',
    });
    draft.steps.push({
      label: `remove account ${a.name}`,
      run: async (api) => {
        await api['account.remove']({ name: a.name });
        return {};
      },
    });
  }
}

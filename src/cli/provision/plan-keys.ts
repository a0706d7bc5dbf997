import type { KeyView } from '../../shared/contract';
import type { ManifestKey } from './manifest-schema';
import type { PlanDraft, PlanInput } from './plan-types';

function sameSet(a: string[], b: string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((s) => y.has(s));
}

/**
 * Keys: mint what is missing at API vendors, take pasted keys for dashboard vendors (or list
 * them as "paste needed"), and change the rotation period in place. Scopes and options cannot
 * change on a live key (no operation does that), so a difference is reported, not guessed at.
 */
export async function planKeys(input: PlanInput, draft: PlanDraft): Promise<Set<string>> {
  const { manifest, state, secrets, source, api } = input;
  const waiting = new Set<string>();
  for (const { index, item: k } of manifest.keys) {
    const path = ['keys', index];
    const accountName = k.ref.split('/')[0] ?? '';
    const mAccount = manifest.accounts.find((a) => a.item.name === accountName)?.item;
    const curAccount = state.accounts.find((a) => a.name === accountName);
    const vendor = state.vendors.find((v) => v.id === (curAccount?.vendor ?? mAccount?.vendor));
    if (!vendor) continue;
    // An OAuth account's key comes with the account and gets its versions from logins.
    if (k.ref === `${accountName}/oauth` && (curAccount?.oauth || mAccount?.auth === 'oauth')) {
      if (!state.keys.some((x) => x.ref === k.ref))
        draft.items.push({
          action: 'create',
          kind: 'key',
          name: k.ref,
          detail: 'with its OAuth account; log in to fill it',
        });
      continue;
    }
    const scopes = k.scopes ?? vendor.defaultScopes;
    const cur = state.keys.find((x) => x.ref === k.ref);
    // The account exists: the service says what the key would really get and whether the
    // credential may grant it. A new account: the same rule from the file's own facts.
    const report = curAccount
      ? await api['scope.check']({ account: accountName, scopes })
      : undefined;
    if (cur) {
      await planExistingKey(input, draft, k, cur, report?.normalized ?? scopes, path);
      continue;
    }
    const rotateEvery = k.rotateEvery ?? null;
    if (vendor.capabilities.mint) {
      // A credential on stdin is stored before any key is minted (accounts' steps run first),
      // so the rule is the file's, not the one of the credential it replaces.
      const newCredential = secrets.credentials.has(accountName);
      const hasCredential = newCredential || (curAccount?.hasCredential ?? false);
      if (!hasCredential) {
        draft.issues.push(
          source.issue(
            [...path, 'ref'],
            `${vendor.displayName} keys are minted with the account's management credential, and "${accountName}" has none: pipe "${accountName}=TOKEN" to --credentials-stdin`,
          ),
        );
        continue;
      }
      const refused =
        report && !newCredential
          ? report.checks.filter((c) => !c.grantable).map((c) => `${c.scope}: ${c.reason ?? ''}`)
          : beyondCredential(report?.normalized ?? scopes, mAccount?.credentialScopes);
      const credentialProblems = newCredential ? [] : (report?.credentialProblems ?? []);
      for (const why of [...refused, ...credentialProblems])
        draft.issues.push(source.issue([...path, 'scopes'], why));
      if (refused.length > 0 || credentialProblems.length > 0) continue;
      draft.warnings.push(...(report?.warnings ?? []).map((w) => `${k.ref}: ${w}`));
      draft.items.push({
        action: 'create',
        kind: 'key',
        name: k.ref,
        detail: `mint at ${vendor.displayName}: ${scopes.join(', ') || 'default scopes'}${rotateEvery ? `, rotate every ${rotateEvery} days` : ''}`,
      });
      draft.steps.push({
        label: `create key ${k.ref}`,
        run: async (a) => {
          const change = await a['key.create']({
            ref: k.ref,
            scopes,
            securityLevel: k.securityLevel,
            sessionDuration: k.sessionDuration,
            rotateEvery,
          });
          return { warnings: change.warnings.map((w) => `${k.ref}: ${w}`) };
        },
      });
      continue;
    }
    const secret = secrets.keys.get(k.ref);
    if (!secret) {
      waiting.add(k.ref);
      draft.items.push({
        action: 'pending',
        kind: 'key',
        name: k.ref,
        detail: `paste needed: ${vendor.displayName} keys are made in its dashboard`,
      });
      draft.pending.push({
        kind: 'key',
        name: k.ref,
        reason: `${vendor.displayName} has no API to create keys`,
        account: accountName,
        scopes,
      });
      continue;
    }
    draft.items.push({
      action: 'create',
      kind: 'key',
      name: k.ref,
      detail: `store the pasted ${vendor.displayName} key: ${scopes.join(', ') || 'no scopes'}`,
    });
    draft.steps.push({
      label: `add key ${k.ref}`,
      run: async (a) => {
        const change = await a['key.add']({ ref: k.ref, secret, scopes, rotateEvery });
        return { warnings: change.warnings.map((w) => `${k.ref}: ${w}`) };
      },
    });
  }
  return waiting;
}

/** Keyway's rule for a scoped credential, before the account exists: never more than it holds. */
function beyondCredential(scopes: string[], credentialScopes: string[] | undefined): string[] {
  if (!credentialScopes) return [];
  return [...new Set(scopes)]
    .filter((s) => !credentialScopes.includes(s))
    .map(
      (s) =>
        `${s}: the management credential holds only ${credentialScopes.join(', ')}, and a key can never get a scope its credential does not hold`,
    );
}

async function planExistingKey(
  input: PlanInput,
  draft: PlanDraft,
  k: ManifestKey,
  cur: KeyView,
  normalized: string[],
  path: Array<string | number>,
): Promise<void> {
  const { source, secrets } = input;
  const blocked = (field: string, message: string) =>
    draft.issues.push(source.issue([...path, field], message));
  if (!cur.version) {
    blocked(
      'ref',
      `key "${k.ref}" has no active version (revoked); \`keyway key remove ${k.ref}\`, then run again`,
    );
    return;
  }
  // No operation changes a live key's scopes or options, and a rotation copies them.
  const fix =
    `Keyway cannot change that on a live key, and rotating is not enough (the new version keeps it): ` +
    `revoke and remove the key (\`keyway key revoke ${k.ref}\`, \`keyway key remove ${k.ref}\`) and run again to make it anew, ` +
    `or add a key under a new name and point its connection at it, or keep the old value in the file`;
  if (!sameSet(normalized, cur.scopes))
    blocked(
      'scopes',
      `key "${k.ref}" has scopes ${cur.scopes.join(', ') || '(none)'}, the file asks for ${normalized.join(', ') || '(none)'}; ${fix}`,
    );
  if (k.securityLevel !== undefined && k.securityLevel !== cur.options.securityLevel)
    blocked(
      'securityLevel',
      `key "${k.ref}" has securityLevel ${cur.options.securityLevel ?? '(vendor default)'}; ${fix}`,
    );
  if (k.sessionDuration !== undefined && k.sessionDuration !== cur.options.sessionDuration)
    blocked(
      'sessionDuration',
      `key "${k.ref}" has sessionDuration ${cur.options.sessionDuration ?? '(vendor default)'}; ${fix}`,
    );
  if (secrets.keys.has(k.ref))
    draft.warnings.push(
      `the key given for "${k.ref}" was not used: the key exists (\`keyway key rotate ${k.ref} --secret-stdin\` replaces it)`,
    );
  const rotateEvery = k.rotateEvery ?? null;
  if (rotateEvery === cur.rotateEvery) {
    draft.items.push({ action: 'leave', kind: 'key', name: k.ref, detail: cur.scopes.join(', ') });
    return;
  }
  draft.items.push({
    action: 'change',
    kind: 'key',
    name: k.ref,
    detail: cur.scopes.join(', '),
    changes: [{ field: 'rotateEvery', from: cur.rotateEvery, to: rotateEvery }],
  });
  draft.steps.push({
    label: `change key ${k.ref}`,
    run: async (api) => {
      await api['key.setPolicy']({ ref: k.ref, rotateEvery });
      return {};
    },
  });
}

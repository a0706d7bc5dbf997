import type { VendorInfo } from '../../shared/contract';
import type { ManifestIssue, ManifestSource } from './manifest-source';
import { NAME_FIELD, SECTIONS, type Manifest, type Section } from './manifest-schema';

/**
 * The checks that look across items: names used twice, references to things the file does not
 * declare (the file is the whole desired state, so `--prune` would remove them), and options
 * the vendor does not have.
 */
export function checkManifest(
  m: Manifest,
  declared: Record<Section, Set<string>>,
  vendors: VendorInfo[],
  source: ManifestSource,
): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  for (const section of SECTIONS) {
    const seen = new Map<string, number>();
    for (const { index, item } of m[section]) {
      const name = (item as Record<string, unknown>)[NAME_FIELD[section]] as string;
      const first = seen.get(name);
      if (first !== undefined) {
        issues.push(
          source.issue(
            [section, index, NAME_FIELD[section]],
            `"${name}" is declared twice (also ${section}[${first}])`,
          ),
        );
      } else seen.set(name, index);
    }
  }
  const vendorOf = new Map(m.accounts.map(({ item }) => [item.name, item.vendor]));
  for (const { index, item } of m.accounts) {
    const path = ['accounts', index];
    if (item.serviceAccount === false && (item.role !== undefined || item.projects !== undefined))
      issues.push(
        source.issue(
          [...path, 'serviceAccount'],
          'role and projects describe a service account; set serviceAccount: true',
        ),
      );
    if (item.vendor === 'custom' && !item.mcpUrl)
      issues.push(source.issue(path, 'a custom vendor needs mcpUrl, the URL of its MCP server'));
    if (item.vendor !== 'custom' && item.auth)
      issues.push(source.issue([...path, 'auth'], 'auth is for custom vendors only'));
    if (item.clientId !== undefined && item.auth !== 'oauth' && item.auth !== 'client-credentials')
      issues.push(
        source.issue(
          [...path, 'clientId'],
          'clientId is for auth: oauth and auth: client-credentials accounts only',
        ),
      );
    if (item.auth === 'client-credentials' && !item.clientId)
      issues.push(
        source.issue(
          path,
          'auth: client-credentials needs clientId (the service account’s client)',
        ),
      );
    if (item.auth !== 'client-credentials' && item.scopes)
      issues.push(source.issue([...path, 'scopes'], 'is for auth: client-credentials only'));
    const vendor = vendors.find((v) => v.id === item.vendor);
    if (item.credentialScopes && vendor && !vendor.capabilities.mint)
      issues.push(
        source.issue(
          [...path, 'credentialScopes'],
          `${vendor.displayName} has no key API, so its accounts hold no management credential`,
        ),
      );
  }
  for (const { index, item } of m.keys) {
    const account = item.ref.split('/')[0] ?? '';
    if (!declared.accounts.has(account)) {
      issues.push(source.issue(['keys', index, 'ref'], `no account "${account}" in this manifest`));
      continue;
    }
    const vendor = vendors.find((v) => v.id === vendorOf.get(account));
    if (!vendor) continue;
    issues.push(...checkKeyForVendor(item, vendor, ['keys', index], source));
  }
  for (const { index, item } of m.connections) {
    if (!declared.keys.has(item.key))
      issues.push(
        source.issue(['connections', index, 'key'], `no key "${item.key}" in this manifest`),
      );
  }
  for (const { index, item } of m.clients) {
    if (!declared.connections.has(item.connection))
      issues.push(
        source.issue(
          ['clients', index, 'connection'],
          `no connection "${item.connection}" in this manifest`,
        ),
      );
  }
  return issues;
}

function checkKeyForVendor(
  item: Manifest['keys'][number]['item'],
  vendor: VendorInfo,
  path: Array<string | number>,
  source: ManifestSource,
): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  if (!vendor.capabilities.mint) {
    for (const field of ['securityLevel', 'sessionDuration'] as const) {
      if (item[field] !== undefined)
        issues.push(
          source.issue(
            [...path, field],
            `${field} is set when Keyway mints a key; ${vendor.displayName} keys are made in its dashboard`,
          ),
        );
    }
    return issues;
  }
  // A vendor Keyway mints at rejects unknown scopes, so say it now rather than half-way through.
  const known = new Set(vendor.scopes.map((s) => s.id));
  (item.scopes ?? []).forEach((scope, i) => {
    if (!known.has(scope))
      issues.push(
        source.issue(
          [...path, 'scopes', i],
          `"${scope}" is not a ${vendor.displayName} scope (known: ${[...known].join(', ')})`,
        ),
      );
  });
  return issues;
}

import type { KeywayApi } from '../../shared/contract';
import type { Account, AuthScheme, VendorId } from '../../shared/domain';
import { KeywayError } from '../../shared/errors';
import { findAccount } from '../../main/core/store/lookups';
import type { Finding } from './find-secrets';

/** What adopt creates for one secret; nothing here holds the secret except `finding`. */
export interface PlanItem {
  finding: Finding;
  account: { name: string; create: boolean; vendor: VendorId; mcpUrl?: string; auth?: AuthScheme };
  /** The key the secret becomes, ACCOUNT/KEY. */
  key: string;
  /** Remote entries: the connection and client that replace the direct header. */
  connection?: string;
  client?: string;
}

/** Vendors whose keys have a shape of their own, so a secret's format names its vendor. */
const DISTINCT_FORMAT: ReadonlySet<VendorId> = new Set<VendorId>(['qyvo', 'qwoty', 'specivo']);

export interface PlanContext {
  api: KeywayApi;
  kind: string;
  /** `--account ENTRY=ACCOUNT` (or ACCOUNT alone, for every stdio secret). */
  accountFor: Map<string, string>;
  defaultAccount?: string;
}

export async function planAdoption(ctx: PlanContext, findings: Finding[]): Promise<PlanItem[]> {
  const [accounts, keys, connections, clients] = await Promise.all([
    ctx.api['account.list']({}),
    ctx.api['key.list']({}),
    ctx.api['connection.list']({}),
    ctx.api['client.list']({}),
  ]);
  const taken = {
    account: new Set(accounts.map((a) => a.name)),
    key: new Set(keys.map((k) => k.ref)),
    connection: new Set(connections.map((c) => c.slug)),
    client: new Set(clients.map((c) => c.name)),
  };
  const items: PlanItem[] = [];
  for (const f of findings) {
    if (f.type === 'header') {
      const existing = accounts.find((a) => sameUrl(a.mcpUrl, f.url));
      const account = existing
        ? { name: existing.name, create: false, vendor: existing.vendor }
        : {
            name: unique(taken.account, slugOf(f.entry, false)),
            create: true,
            vendor: 'custom' as const,
            mcpUrl: f.url,
            auth: { header: f.header, prefix: f.prefix },
          };
      const slug = unique(taken.connection, slugOf(f.entry, true));
      items.push({
        finding: f,
        account,
        key: unique(taken.key, `${account.name}/${slugOf(f.entry, false)}`),
        connection: slug,
        client: unique(taken.client, `${ctx.kind}-${slug}`),
      });
    } else {
      const account = await accountForEnv(ctx, accounts, f);
      items.push({
        finding: f,
        account: { name: account.name, create: false, vendor: account.vendor },
        key: unique(taken.key, `${account.name}/${slugOf(`${f.entry}-${f.variable}`, true)}`),
      });
    }
  }
  return items;
}

async function accountForEnv(
  ctx: PlanContext,
  accounts: Account[],
  f: Extract<Finding, { type: 'env' }>,
): Promise<Account> {
  const named = ctx.accountFor.get(f.entry) ?? ctx.defaultAccount;
  if (named) return findAccount({ accounts }, named);
  // The variable or server name says the vendor (QYVO_API_KEY), or the key's format does.
  const hint = `${f.entry} ${f.variable}`.toLowerCase();
  const byName = accounts.filter(
    (a) =>
      a.vendor !== 'custom' && (hint.includes(a.vendor) || hint.includes(a.name.toLowerCase())),
  );
  if (byName.length === 1) return byName[0]!;
  const byFormat: Account[] = [];
  for (const a of accounts.filter((x) => DISTINCT_FORMAT.has(x.vendor))) {
    const r = await ctx.api['key.checkFormat']({ vendor: a.vendor, secret: f.secret });
    if (r.ok && r.warnings.length === 0) byFormat.push(a);
  }
  if (byFormat.length === 1) return byFormat[0]!;
  throw new KeywayError(
    'bad_input',
    `cannot tell which account the secret at ${f.where} belongs to; pass --account ${f.entry}=ACCOUNT (accounts: ${accounts.map((a) => a.name).join(', ') || 'none; add one first'}); nothing was changed`,
  );
}

function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

/** A name Keyway accepts, from a server or variable name. */
function slugOf(s: string, lower: boolean): string {
  const t = (lower ? s.toLowerCase() : s)
    .replace(lower ? /[^a-z0-9-]+/g : /[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/-+$/, '')
    .slice(0, 40);
  return t || 'adopted';
}

function unique(taken: Set<string>, wanted: string): string {
  let name = wanted;
  for (let i = 2; taken.has(name); i++) name = `${wanted}-${i}`;
  taken.add(name);
  return name;
}

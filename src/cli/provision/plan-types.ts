import type {
  ClientView,
  ConnectionView,
  KeyView,
  KeywayApi,
  VendorInfo,
} from '../../shared/contract';
import type { Account } from '../../shared/domain';
import type { ClientKind } from '../../shared/client-config';
import type { ManifestIssue, ManifestSource } from './manifest-source';
import type { Manifest } from './manifest-schema';
import type { ProvisionSecrets } from './secrets-input';

export type PlanAction = 'create' | 'change' | 'leave' | 'remove' | 'pending';
type ItemKind = 'account' | 'key' | 'connection' | 'client';

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** One line of the plan a user reads before anything happens. */
export interface PlanItem {
  action: PlanAction;
  kind: ItemKind;
  name: string;
  detail: string;
  changes?: FieldChange[];
}

/** A client token, shown once: on stdout and in `--json`'s `tokens`, never in a file. */
export interface TokenShown {
  client: string;
  connection: string;
  url: string;
  token: string;
  for?: ClientKind;
}

interface StepEffect {
  warnings?: string[];
  token?: TokenShown;
}

/** One call to the running instance; the plan runs them in order, one progress line each. */
export interface PlanStep {
  label: string;
  run(api: KeywayApi): Promise<StepEffect>;
}

/** Something the run cannot do yet, e.g. a key a vendor only makes in its dashboard. */
export interface PendingItem {
  kind: ItemKind;
  name: string;
  reason: string;
  /** The key's account, so guidance can use the account's own dashboard host. */
  account?: string;
  scopes?: string[];
}

export interface KeywayState {
  accounts: Account[];
  keys: KeyView[];
  connections: ConnectionView[];
  clients: ClientView[];
  vendors: VendorInfo[];
}

export interface PlanInput {
  manifest: Manifest;
  state: KeywayState;
  secrets: ProvisionSecrets;
  prune: boolean;
  source: ManifestSource;
  api: KeywayApi;
}

/** What the planners add to; the order of `steps` is the order they run. */
export interface PlanDraft {
  items: PlanItem[];
  steps: PlanStep[];
  /** Things Keyway cannot do that the file asks for: reported like manifest errors. */
  issues: ManifestIssue[];
  warnings: string[];
  pending: PendingItem[];
  /** In Keyway but not in the file, when not pruning: `--prune` would remove them. */
  unmanaged: Array<{ kind: ItemKind; name: string }>;
}

export function emptyDraft(): PlanDraft {
  return { items: [], steps: [], issues: [], warnings: [], pending: [], unmanaged: [] };
}

export async function readState(api: KeywayApi): Promise<KeywayState> {
  const [accounts, keys, connections, clients, vendors] = await Promise.all([
    api['account.list']({}),
    api['key.list']({}),
    api['connection.list']({}),
    api['client.list']({}),
    api['vendor.list']({}),
  ]);
  return { accounts, keys, connections, clients, vendors };
}

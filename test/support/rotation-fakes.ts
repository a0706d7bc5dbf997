// A rotation engine on fakes, for its unit tests: a vendor that keeps its keys in a Map and fails
// on demand, a keychain in a Map, the metadata store in memory. Nothing here reaches a network
// or the OS keychain; the integration tests do that with the real parts.
import type { AuditEntry, KeyVersion } from '../../src/shared/domain';
import type { KeychainStatus, KeywayEvent } from '../../src/shared/contract';
import { EventBus } from '../../src/main/core/events';
import { secretNames, type SecretStore } from '../../src/main/core/keychain/secret-store';
import { VersionSecrets } from '../../src/main/core/keychain/version-secrets';
import { silentLogger } from '../../src/main/core/log/logger';
import { MetadataStore } from '../../src/main/core/store/metadata-store';
import { emptyDocument, type StoreDocument } from '../../src/main/core/store/store-document';
import { fingerprint, last4 } from '../../src/main/core/secret-facts';
import type { RotationContext } from '../../src/main/core/rotation/rotation-context';
import { RotationEngine } from '../../src/main/core/rotation/rotation-engine';
import type { VendorAdapter, VendorKeyInfo } from '../../src/main/core/vendors/vendor-adapter';
import { VendorError, type VendorErrorKind } from '../../src/main/core/vendors/vendor-error';

export type FakeCall = 'mint' | 'verify' | 'mcp' | 'revoke' | 'list';

interface FakeKey {
  name: string;
  secret: string;
  live: boolean;
}

/** An API vendor (mint, revoke, list) whose every call can be made to fail once. */
export class FakeVendor {
  readonly keys = new Map<string, FakeKey>();
  /** The next call of that kind fails so; `made` for a mint: the key is made, the answer lost. */
  readonly failNext = new Map<FakeCall, { kind: VendorErrorKind; made?: boolean }>();
  private seq = 0;

  add(name: string): { id: string; secret: string } {
    const id = `k${++this.seq}`;
    const secret = `secret-${id}-${'x'.repeat(24)}`;
    this.keys.set(id, { name, secret, live: true });
    return { id, secret };
  }

  live(): string[] {
    return [...this.keys].filter(([, k]) => k.live).map(([id]) => id);
  }

  private check(call: FakeCall): { made: boolean } {
    const fail = this.failNext.get(call);
    if (!fail) return { made: false };
    this.failNext.delete(call);
    if (fail.made) return { made: true };
    throw new VendorError('quave', fail.kind, `fake ${call} failed (${fail.kind})`);
  }

  private accepts(secret: string): boolean {
    return [...this.keys.values()].some((k) => k.live && k.secret === secret);
  }

  readonly adapter: VendorAdapter = {
    id: 'quave',
    displayName: 'Fakevendor',
    defaults: { apiUrl: 'http://127.0.0.1:9/api', mcpUrl: 'http://127.0.0.1:9/mcp' },
    defaultAuth: { header: 'Authorization', prefix: '' },
    scopes: [],
    defaultScopes: ['read'],
    capabilities: { mint: true, revoke: true, list: true },
    guided: null,
    checkFormat: () => ({ ok: true, warnings: [] }),
    scopeWarnings: () => [],
    normalizeScopes: (s) => s,
    checkScopes: (s) => s.map((scope) => ({ scope, grantable: true })),
    verify: async (_ep, secret) => {
      this.check('verify');
      if (!this.accepts(secret)) throw new VendorError('quave', 'refused', 'fake: unknown key');
      return { identity: 'fake', warnings: [] };
    },
    probeMcp: async (_ep, secret) => {
      this.check('mcp');
      if (!this.accepts(secret)) throw new VendorError('quave', 'refused', 'fake MCP: 401');
      return {};
    },
    mint: async (_ep, _credential, _held, spec) => {
      const { made } = this.check('mint');
      const { id, secret } = this.add(spec.name);
      if (made) throw new VendorError('quave', 'timeout', 'fake mint timed out');
      return { vendorKeyId: id, secret, scopes: spec.scopes, expires: null };
    },
    revoke: async (_ep, _credential, id) => {
      this.check('revoke');
      const key = this.keys.get(id);
      if (!key?.live) throw new VendorError('quave', 'not-found', `fake: no key ${id}`);
      key.live = false;
    },
    list: async (): Promise<VendorKeyInfo[]> => {
      this.check('list');
      return [...this.keys]
        .filter(([, k]) => k.live)
        .map(([vendorKeyId, k]) => ({ vendorKeyId, name: k.name, scopes: [], enabled: true }));
    },
  };
}

/** The keychain in a Map; `failNext` makes the next set or delete throw. */
export class MapSecrets implements SecretStore {
  readonly backend = 'memory';
  readonly entries = new Map<string, string>();
  failNext: 'set' | 'delete' | null = null;

  async get(name: string): Promise<string | undefined> {
    return this.entries.get(name);
  }
  async set(name: string, value: string): Promise<void> {
    if (this.failNext === 'set') {
      this.failNext = null;
      throw new Error('the keychain is locked');
    }
    this.entries.set(name, value);
  }
  async delete(name: string): Promise<boolean> {
    if (this.failNext === 'delete') {
      this.failNext = null;
      throw new Error('the keychain is locked');
    }
    return this.entries.delete(name);
  }
  async status(): Promise<KeychainStatus> {
    return { backend: 'memory', reachable: true, message: 'in memory' };
  }
}

export const REF = 'acme/agent';

/** An engine with one API account and one key (REF) whose current version is live. */
export async function fakeEngine() {
  const vendor = new FakeVendor();
  const secrets = new MapSecrets();
  const doc = emptyDocument();
  doc.accounts.push({
    name: 'acme',
    vendor: 'quave',
    apiUrl: 'http://127.0.0.1:9/api',
    mcpUrl: 'http://127.0.0.1:9/mcp',
    serviceAccount: true,
    hasCredential: true,
    credentialScopes: null,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  const first = vendor.add('first');
  const old: KeyVersion = {
    id: 'v-old',
    vendorKeyId: first.id,
    fingerprint: fingerprint(first.secret),
    last4: last4(first.secret),
    created: '2026-01-01T00:00:00.000Z',
    expires: null,
    state: 'active',
  };
  doc.keys.push({
    ref: REF,
    account: 'acme',
    name: 'agent',
    vendor: 'quave',
    scopes: ['read'],
    options: {},
    rotateEvery: null,
    createdAt: old.created,
    versions: [old],
    refusedAt: null,
  });
  const store = MetadataStore.inMemory(doc);
  await secrets.set(secretNames.credential('scope', 'acme'), 'management-credential');
  await secrets.set(secretNames.keyVersion(old.id), first.secret);
  const audit: AuditEntry[] = [];
  const events: KeywayEvent[] = [];
  const bus = new EventBus();
  bus.subscribe((e) => events.push(e));
  const drained: string[] = [];
  const ctx: RotationContext = {
    store,
    secrets,
    auditLog: { append: async (e) => void audit.push(e) },
    events: bus,
    versions: new VersionSecrets(secrets),
    log: silentLogger,
    vendor: () => vendor.adapter,
    secretScope: 'scope',
    now: () => new Date(),
  };
  const retries: Date[] = [];
  // The proxy as a rotation sees it: a drain that records what it waited for.
  const proxy = {
    drainResult: { drained: true, inFlight: 0 },
    async drain(versionId: string) {
      drained.push(versionId);
      return proxy.drainResult;
    },
    prepare: async () => undefined,
  };
  const engine = new RotationEngine(
    ctx,
    { drainMs: 50, retryBaseMs: 1000 },
    (at) => retries.push(at),
    proxy,
  );
  return {
    engine,
    ctx,
    store,
    secrets,
    vendor,
    old,
    oldSecret: first.secret,
    audit,
    events,
    drained,
    retries,
    proxy,
  };
}

/** Store writes that fail on demand (a full disk), the n-th from now. */
export function failStoreWrite(store: MetadataStore, nth = 1): void {
  const update = store.update.bind(store);
  let left = nth;
  store.update = <T>(change: (draft: StoreDocument) => T): Promise<T> =>
    --left === 0 ? Promise.reject(new Error('disk full')) : update(change);
}

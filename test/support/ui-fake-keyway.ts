/**
 * An in-memory Keyway for renderer tests: realistic payloads shaped exactly like the contract's
 * outputs, secrets passed in by the UI are remembered (so tests can grep for them), and events
 * are emitted the way the service emits them.
 */
import { createHash, randomBytes } from 'node:crypto';
import type {
  ClientView,
  ConnectionView,
  KeyChange,
  KeyView,
  KeywayEvent,
  OpInput,
  OpName,
  OpOutput,
  RotationView,
  VendorInfo,
} from '../../src/shared/contract';
import type { Account, AuditEntry, KeyVersion } from '../../src/shared/domain';
import { KeywayError } from '../../src/shared/errors';
import type { KeywayClient } from '../../src/renderer/api/keyway-client';

export const QUAVE_INFO: VendorInfo = {
  id: 'quave',
  displayName: 'Quave',
  defaults: {
    apiUrl: 'https://api.quave.cloud',
    mcpUrl: 'https://mcp.quave.cloud/mcp',
    auth: { header: 'Authorization', prefix: '' },
  },
  sandbox: false,
  scopes: [
    { id: 'quave:read', description: 'Read apps, environments and logs.' },
    { id: 'quave:read:secrets', description: 'Read environment secrets (reveal).' },
    { id: 'quave:write:config', description: 'Change app environment configuration.' },
    { id: 'quave:manage:mcp-keys', description: 'Manage MCP keys up to its own scopes.' },
  ],
  defaultScopes: ['quave:read'],
  capabilities: { mint: true, revoke: true, list: true },
  guided: null,
  serviceAccountNote: 'A dedicated Quave user for the agent.',
};

export const SPECIVO_INFO: VendorInfo = {
  id: 'specivo',
  displayName: 'Specivo',
  defaults: {
    apiUrl: 'https://specivo.example',
    mcpUrl: 'https://specivo.example/mcp',
    auth: { header: 'Authorization', prefix: 'Bearer ' },
  },
  sandbox: false,
  scopes: [{ id: 'mcp', description: 'Use the MCP server.' }],
  defaultScopes: ['mcp'],
  capabilities: { mint: false, revoke: false, list: false },
  guided: {
    dashboardUrl: 'https://specivo.example/my/api-keys/',
    createSteps: ['Open Your profile → API keys', 'Create a key with the mcp scope'],
    revokeSteps: ['Open Your profile → API keys', 'Revoke the old key'],
  },
  serviceAccountNote: 'A separate user with the Agent role.',
};

export function fakeSecret(prefix = 'spv_'): string {
  return prefix + randomBytes(24).toString('hex');
}

function version(secret: string, state: KeyVersion['state'] = 'active'): KeyVersion {
  return {
    id: randomBytes(8).toString('hex'),
    vendorKeyId: null,
    fingerprint: createHash('sha256').update(secret).digest('hex').slice(0, 8),
    last4: secret.slice(-4),
    created: new Date().toISOString(),
    expires: null,
    state,
  };
}

type Handler<N extends OpName> = (input: OpInput<N>) => Promise<OpOutput<N>>;

export interface FakeKeyway {
  client: KeywayClient;
  /** Every secret the UI handed to the service (pasted keys, credentials) and every token it got. */
  secrets: string[];
  calls: Array<{ op: string; input: unknown }>;
  emit(event: KeywayEvent): void;
  resync(): void;
  keys: KeyView[];
  accounts: Account[];
  connections: ConnectionView[];
  clients: ClientView[];
  rotations: RotationView[];
  audit: AuditEntry[];
}

export function createFakeKeyway(opts: { shell?: 'desktop' | 'browser' } = {}): FakeKeyway {
  const listeners = new Set<(e: KeywayEvent) => void>();
  const resyncs = new Set<() => void>();
  const fake: FakeKeyway = {
    client: undefined as unknown as KeywayClient,
    secrets: [],
    calls: [],
    emit: (e) => listeners.forEach((l) => l(e)),
    resync: () => resyncs.forEach((l) => l()),
    keys: [],
    accounts: [],
    connections: [],
    clients: [],
    rotations: [],
    audit: [],
  };
  const now = () => new Date().toISOString();
  const keyView = (ref: string, vendor: 'quave' | 'specivo', secret: string, scopes: string[]) => {
    const [account = '', name = ''] = ref.split('/');
    const v = version(secret);
    const view: KeyView = {
      ref,
      account,
      name,
      vendor,
      scopes,
      options: {},
      rotateEvery: 30,
      createdAt: v.created,
      refusedAt: null,
      version: v,
      versions: [v],
      serviceAccount: true,
    };
    return view;
  };
  const change = (view: KeyView, retired: KeyVersion | null): KeyChange => ({
    ref: view.ref,
    version: view.version!,
    retired,
    steps: [
      { step: 'mint', ok: true, ms: 12 },
      { step: 'verify', ok: true, ms: 8 },
    ],
    warnings: [],
  });

  const handlers: { [N in OpName]?: Handler<N> } = {
    status: async () => ({
      version: '0.1.0',
      dataDir: '/tmp/keyway',
      url: 'http://127.0.0.1:8931',
      proxy: { running: true, paused: false, port: 8931 },
      keychain: { backend: 'Secret Service', reachable: true, message: 'unlocked' },
      counts: {
        accounts: fake.accounts.length,
        keys: fake.keys.length,
        connections: 0,
        clients: 0,
      },
    }),
    'settings.get': async () => ({
      proxyPort: 8931,
      defaultRotateEvery: 30,
      launchAtLogin: false,
      launchAtLoginSupported: opts.shell === 'desktop',
    }),
    'vendor.list': async () => [QUAVE_INFO, SPECIVO_INFO],
    'account.list': async () => structuredClone(fake.accounts),
    'account.add': async (input) => {
      if (input.credential) fake.secrets.push(input.credential);
      const account: Account = {
        name: input.name,
        vendor: input.vendor,
        apiUrl: input.apiUrl ?? 'https://api.quave.cloud',
        mcpUrl: input.mcpUrl ?? 'https://mcp.quave.cloud/mcp',
        serviceAccount: input.serviceAccount ?? false,
        hasCredential: Boolean(input.credential),
        credentialScopes: input.credentialScopes ?? null,
        createdAt: now(),
      };
      fake.accounts.push(account);
      return account;
    },
    'key.list': async () => structuredClone(fake.keys),
    'key.create': async (input) => {
      const view = keyView(input.ref, 'quave', fakeSecret('qv_'), input.scopes ?? []);
      fake.keys.push(view);
      return change(view, null);
    },
    'key.add': async (input) => {
      fake.secrets.push(input.secret);
      const view = keyView(input.ref, 'specivo', input.secret, input.scopes ?? []);
      fake.keys.push(view);
      return change(view, null);
    },
    'key.rotate': async (input) => {
      if (input.secret) fake.secrets.push(input.secret);
      const i = fake.keys.findIndex((k) => k.ref === input.ref);
      const old = fake.keys[i];
      if (!old) throw new KeywayError('not_found', `no key named "${input.ref}"`);
      const secret = input.secret ?? fakeSecret('qv_');
      const fresh = keyView(input.ref, old.vendor as 'quave', secret, old.scopes);
      fake.keys[i] = fresh;
      return change(fresh, old.version);
    },
    'key.checkFormat': async (input) => {
      fake.secrets.push(input.secret);
      return input.secret.startsWith('spv_')
        ? { ok: true, warnings: [] }
        : { ok: false, warnings: [], reason: 'a Specivo key starts with spv_' };
    },
    'key.copy': async () => {
      if (opts.shell !== 'desktop')
        throw new KeywayError('unsupported', 'key.copy works only in the desktop app');
      return { copied: true, clearAfterSeconds: 30 };
    },
    'rotation.list': async () => structuredClone(fake.rotations),
    'rotation.confirmRevoked': async () => null,
    'scope.check': async (input) => ({
      normalized: ['quave:read', ...input.scopes.filter((s) => s !== 'quave:read')],
      checks: input.scopes.map((scope) =>
        scope === 'quave:write:config'
          ? { scope, grantable: false, reason: 'the credential does not hold quave:write:config' }
          : { scope, grantable: true },
      ),
      warnings: [],
      credentialProblems: [],
      guided: null,
    }),
    'connection.list': async () => structuredClone(fake.connections),
    'connection.stats': async () => ({ connections: {}, clients: {} }),
    'connection.add': async (input) => {
      const view: ConnectionView = {
        slug: input.slug,
        key: input.key,
        upstream: 'https://mcp.quave.cloud/mcp',
        transport: 'streamable-http',
        createdAt: now(),
        url: `http://127.0.0.1:8931/mcp/${input.slug}`,
      };
      fake.connections.push(view);
      return view;
    },
    'client.list': async () => structuredClone(fake.clients),
    'client.add': async (input) => {
      const token = `kwc_${randomBytes(32).toString('base64url')}`;
      fake.secrets.push(token);
      fake.clients.push({
        name: input.name,
        connection: input.connection,
        createdAt: now(),
        revokedAt: null,
      });
      return { name: input.name, connection: input.connection, token };
    },
    'audit.list': async () => structuredClone(fake.audit),
    'traffic.history': async (input) => ({
      bucketMs: (input.bucketMinutes ?? 5) * 60_000,
      from: Date.now() - 86_400_000,
      to: Date.now(),
      connections: [],
      clients: [],
    }),
  };

  const target = {
    shell: opts.shell ?? 'browser',
    onEvent: (l: (e: KeywayEvent) => void) => {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    onResync: (l: () => void) => {
      resyncs.add(l);
      return () => void resyncs.delete(l);
    },
  };
  fake.client = new Proxy(target, {
    get(t, prop: string) {
      if (prop in t) return t[prop as keyof typeof t];
      const handler = handlers[prop as OpName] as ((i: unknown) => Promise<unknown>) | undefined;
      if (!handler) return undefined;
      return (input: unknown) => {
        fake.calls.push({ op: prop, input });
        return handler(input);
      };
    },
  }) as unknown as KeywayClient;
  return fake;
}

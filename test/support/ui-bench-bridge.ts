/**
 * A stand-in for the desktop preload (`window.keyway`) that answers the read operations the UI
 * makes at start with N realistic keys, so a benchmark measures rendering, not the service.
 * The data is built here in Node and handed to the page as JSON; `installBridge` runs in the
 * page (Playwright's init script), so it must not close over anything.
 */
import type {
  ClientView,
  ConnectionView,
  KeyView,
  ProxyStats,
  VendorInfo,
} from '../../src/shared/contract';

export interface BenchData {
  keys: KeyView[];
  connections: ConnectionView[];
  clients: ClientView[];
  stats: ProxyStats;
  vendors: VendorInfo[];
}

const DAY = 86_400_000;
const VENDORS: Array<{ id: 'quave' | 'specivo' | 'qyvo' | 'qwoty'; scopes: string[] }> = [
  { id: 'quave', scopes: ['quave:read', 'quave:read:secrets', 'quave:write:config'] },
  { id: 'specivo', scopes: ['mcp'] },
  { id: 'qyvo', scopes: ['mcp'] },
  { id: 'qwoty', scopes: ['quotes:read', 'clients:read', 'payment-terms:read'] },
];

function hex(n: number, len: number): string {
  return ((n * 2654435761) >>> 0).toString(16).padStart(8, '0').slice(0, len);
}

export function benchData(count: number, now = Date.now()): BenchData {
  const keys: KeyView[] = [];
  const connections: ConnectionView[] = [];
  const clients: ClientView[] = [];
  const stats: ProxyStats = { connections: {}, clients: {} };
  for (let i = 0; i < count; i++) {
    const vendor = VENDORS[i % VENDORS.length]!;
    const account = `team-${i % 25}`;
    const name = `agent-${String(i).padStart(4, '0')}`;
    const ref = `${account}/${name}`;
    const created = new Date(now - (i % 120) * DAY).toISOString();
    const version = {
      id: `v-${i}`,
      vendorKeyId: vendor.id === 'quave' ? `key_${i}` : null,
      fingerprint: hex(i + 1, 8),
      last4: hex(i + 7, 4),
      created,
      expires: null,
      state: 'active' as const,
    };
    const retired =
      i % 17 === 0
        ? [{ ...version, id: `old-${i}`, fingerprint: hex(i + 3, 8), state: 'retiring' as const }]
        : [];
    keys.push({
      ref,
      account,
      name,
      vendor: vendor.id,
      scopes: vendor.scopes,
      options: {},
      rotateEvery: [30, 90, null][i % 3] ?? null,
      createdAt: created,
      refusedAt: i % 23 === 0 ? new Date(now - DAY).toISOString() : null,
      version,
      versions: [...retired, version],
      serviceAccount: i % 2 === 0,
    });
    if (i % 2 === 0) {
      const slug = `c-${i}`;
      connections.push({
        slug,
        key: ref,
        upstream: `https://${vendor.id}.example/mcp`,
        transport: 'streamable-http',
        createdAt: created,
        url: `http://127.0.0.1:8931/mcp/${slug}`,
      });
      clients.push({ name: `cursor-${i}`, connection: slug, createdAt: created, revokedAt: null });
      const last = new Date(now - (i % 50) * 3_600_000).toISOString();
      stats.connections[slug] = {
        requests: i * 3,
        errors: i % 5,
        lastUsed: last,
        keyVersion: version.id,
      };
      stats.clients[`cursor-${i}`] = {
        requests: i * 3,
        errors: 0,
        lastUsed: last,
        keyVersion: version.id,
      };
    }
  }
  const vendors = VENDORS.map((v): VendorInfo => ({
    id: v.id,
    displayName: v.id[0]!.toUpperCase() + v.id.slice(1),
    defaults: {
      apiUrl: `https://${v.id}.example`,
      mcpUrl: `https://${v.id}.example/mcp`,
      auth: { header: 'Authorization', prefix: 'Bearer ' },
    },
    sandbox: false,
    scopes: v.scopes.map((id) => ({ id, description: id })),
    defaultScopes: v.scopes.slice(0, 1),
    capabilities: { mint: v.id === 'quave', revoke: v.id === 'quave', list: v.id === 'quave' },
    guided: null,
    serviceAccountNote: '',
  }));
  return { keys, connections, clients, stats, vendors };
}

/** Runs in the page before any script: defines `window.keyway` from the data. */
export function installBridge(data: BenchData): void {
  const answers: Record<string, unknown> = {
    status: {
      version: 'bench',
      dataDir: '/bench',
      url: 'http://127.0.0.1:8931',
      proxy: { running: true, port: 8931 },
      keychain: { backend: 'bench', reachable: true, message: 'bench' },
      counts: { accounts: 25, keys: data.keys.length, connections: 0, clients: 0 },
    },
    'settings.get': {
      proxyPort: 8931,
      defaultRotateEvery: 90,
      launchAtLogin: false,
      launchAtLoginSupported: true,
    },
    'vendor.list': data.vendors,
    'account.list': [],
    'key.list': data.keys,
    'connection.list': data.connections,
    'connection.stats': data.stats,
    'client.list': data.clients,
    'rotation.list': [],
    'audit.list': [],
    'traffic.history': {
      bucketMs: 300_000,
      from: Date.now() - 86_400_000,
      to: Date.now(),
      connections: [],
      clients: [],
    },
  };
  const bridge: Record<string, unknown> = {
    onEvent: () => () => undefined,
  };
  for (const [op, value] of Object.entries(answers)) {
    bridge[op] = () => Promise.resolve(structuredClone(value));
  }
  (window as unknown as { keyway: unknown }).keyway = new Proxy(bridge, {
    get: (t, p: string) =>
      p in t ? t[p] : () => Promise.reject(new Error(`bench bridge: ${p} is not answered`)),
  });
}

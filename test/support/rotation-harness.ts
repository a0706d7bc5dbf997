// What the rotation tests share: the control API, a Quave account set up through the CLI, the
// keychain as a user's other tools see it, the sandbox's own view of its keys, and the audit log.
import { createServer } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { KeyView, OpName, RotationView } from '../../src/shared/contract';
import { controlCaller } from '../../src/shared/control-http';
import type { AuditEntry, KeyVersion } from '../../src/shared/domain';
import { OsKeychain } from '../../src/main/core/keychain/os-keychain';
import { secretNames } from '../../src/main/core/keychain/secret-store';
import type { Sandbox, SandboxKeySummary } from '../../src/sandbox';
import { controlToken, runKeyway } from './keyway-process';

/** `POST /api/op/<op>` on a running Keyway, through the caller the web UI and the CLI use. */
export class ControlApi {
  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  static fromUi(url: string, ui: string): ControlApi {
    return new ControlApi(url, controlToken(ui));
  }

  /** Throws the service's KeywayError (code, message, field) when the operation fails. */
  async call<T>(op: OpName, input: Record<string, unknown> = {}): Promise<T> {
    return (await controlCaller({ baseUrl: this.url, token: this.token })(op, input)) as T;
  }

  rotations(): Promise<RotationView[]> {
    return this.call<RotationView[]>('rotation.list');
  }

  async versions(ref: string): Promise<KeyVersion[]> {
    const key = (await this.call<KeyView[]>('key.list')).find((k) => k.ref === ref);
    if (!key) throw new Error(`key ${ref} is not listed`);
    return key.versions;
  }

  audit(ref: string): Promise<AuditEntry[]> {
    return this.call<AuditEntry[]>('audit.list', { key: ref });
  }
}

/** A port nothing listens on right now, so a restarted `keyway serve` keeps its clients' URL. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs a keyway command that must succeed; its stdout parsed as JSON when asked for. */
export async function keyway<T = unknown>(
  dataDir: string,
  args: string[],
  stdin?: string,
): Promise<T> {
  const r = await runKeyway(args, { dataDir, stdin });
  if (r.code !== 0) throw new Error(`keyway ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return (args.includes('--json') ? JSON.parse(r.stdout) : r.stdout) as T;
}

/** A sandbox Quave in another process, reached over HTTP only. */
export interface QuaveAt {
  apiUrl: string;
  mcpUrl: string;
}

export interface QuaveSetup {
  ref: string;
  url: string;
  token: string;
}

/**
 * The demo setup of `keyway serve --sandbox`, made by hand against a sandbox that outlives
 * Keyway: a Quave service account with a management credential, a minted key, a connection, a
 * client — every step through the CLI, as a user would.
 */
export async function setUpQuave(
  dataDir: string,
  sb: Sandbox | QuaveAt,
  opts: { rotateEvery?: number } = {},
): Promise<QuaveSetup> {
  const quave = 'vendors' in sb ? sb.vendors.quave : sb;
  const credential =
    'vendors' in sb
      ? sb.dashboard.createKey('quave', { kind: 'user-token' }).secret
      : await sandboxKeyOver(sb.apiUrl, { kind: 'user-token' });
  await keyway(
    dataDir,
    [
      ...['account', 'add', 'acme', '--vendor', 'quave', '--api-url', quave.apiUrl],
      ...['--mcp-url', quave.mcpUrl, '--service-account', '--credential-stdin', '--json'],
    ],
    credential,
  );
  const create = ['key', 'create', 'acme/agent', '--scope', 'quave:read', '--json'];
  if (opts.rotateEvery) create.push('--rotate-every', String(opts.rotateEvery));
  await keyway(dataDir, create);
  const connection = await keyway<{ url: string }>(dataDir, [
    ...['connection', 'add', 'acme', '--key', 'acme/agent', '--json'],
  ]);
  const client = await keyway<{ token: string }>(dataDir, [
    ...['client', 'add', 'acme-client', '--connection', 'acme', '--json'],
  ]);
  return { ref: 'acme/agent', url: connection.url, token: client.token };
}

export async function keyVersions(dataDir: string, ref: string): Promise<KeyVersion[]> {
  const keys = await keyway<KeyView[]>(dataDir, ['key', 'ls', '--json']);
  const key = keys.find((k) => k.ref === ref);
  if (!key) throw new Error(`key ${ref} is not listed`);
  return key.versions;
}

export function activeVersion(versions: KeyVersion[]): KeyVersion {
  const active = versions.filter((v) => v.state === 'active');
  if (active.length !== 1) throw new Error(`expected one active version, got ${active.length}`);
  return active[0]!;
}

export async function auditOf(dataDir: string, ref: string): Promise<AuditEntry[]> {
  return keyway<AuditEntry[]>(dataDir, ['audit', '--key', ref, '--json']);
}

/** The keychain as any other program sees it: the entry of one key version, or undefined. */
export function keychainSecret(versionId: string): Promise<string | undefined> {
  return new OsKeychain().get(secretNames.keyVersion(versionId));
}

/** Quave's MCP keys as the sandbox knows them (never the management user token). */
export function quaveMcpKeys(sb: Sandbox): SandboxKeySummary[] {
  return sb.dashboard.keys('quave').filter((k) => k.kind === 'mcp-key');
}

/** The same over HTTP, for a sandbox that lives in `keyway serve --sandbox`. */
export async function sandboxKeysOver(origin: string): Promise<SandboxKeySummary[]> {
  const res = await fetch(`${origin}/__sandbox/keys`);
  return ((await res.json()) as SandboxKeySummary[]).filter((k) => k.kind === 'mcp-key');
}

/** `POST /__sandbox/keys`: what a person does in the vendor's dashboard; the plaintext, once. */
export async function sandboxKeyOver(
  origin: string,
  opts: Record<string, unknown>,
): Promise<string> {
  const res = await fetch(`${new URL(origin).origin}/__sandbox/keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(opts),
  });
  if (res.status !== 201) throw new Error(`sandbox keys: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { secret: string }).secret;
}

export async function sandboxLive(origin: string, secret: string): Promise<boolean> {
  const res = await fetch(`${origin}/__sandbox/live`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ secret }),
  });
  return ((await res.json()) as { live: boolean }).live;
}

export async function sandboxSwitches(origin: string, patch: Record<string, unknown>) {
  const res = await fetch(`${origin}/__sandbox/switches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(patch),
  });
  if (res.status !== 200) throw new Error(`switches: HTTP ${res.status} ${await res.text()}`);
}

export interface McpSession {
  client: Client;
  transport: StreamableHTTPClientTransport;
}

/** A real MCP SDK client over Streamable HTTP with the client's local token. */
export async function connectMcp(url: string, token: string): Promise<McpSession> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'rotation-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

/** Ends the session the way a well-behaved client does: DELETE it, then close the transport. */
export async function closeMcp({ client, transport }: McpSession): Promise<void> {
  await transport.terminateSession();
  await client.close();
}

function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.find((c) => c.type === 'text')?.text ?? '';
}

export interface Whoami {
  vendor: string;
  keyId: string;
  label: string | null;
  sessionId: string | null;
}

export async function whoami(client: Client): Promise<Whoami> {
  return JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))) as Whoami;
}

export async function echo(client: Client, text: string): Promise<string> {
  return textOf(await client.callTool({ name: 'echo', arguments: { text } }));
}

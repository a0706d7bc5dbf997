import type { ChildProgram } from './child-program';
import { stopProgram } from './child-program';
import type { RpcId, RpcMessage } from '../../shared/mcp/messages';
import { isNotification, isRequest, isRpcMessage, parseRpc } from '../../shared/mcp/messages';
import { LineSplitter } from './json-lines';

/** How long a retired server may take to finish the requests it started. */
export const RETIRE_GRACE_MS = 8_000;
const REPLAY_TIMEOUT_MS = 30_000;

interface Backend {
  program: ChildProgram;
  retiring: boolean;
}

/** What one message is relayed as, and whether it is the very message that came in (sent as it came). */
interface Relayed {
  message: RpcMessage;
  same: boolean;
}

interface Route {
  backend: Backend;
  /** The AI client's id for it; absent for Keyway's own replayed requests. */
  clientId?: RpcId;
  internal?: (m: RpcMessage) => void;
}

/**
 * Keyway between an AI client's stdio and a stdio MCP server's, so the server can be replaced
 * (new process, new key) without the client's session noticing. Every request gets a relay id,
 * so the old and the new server can never answer with an id the client sees twice; the
 * session's `initialize`, `initialized`, logging level and resource subscriptions are kept to
 * replay on the new server.
 */
export class McpRelay {
  private current: Backend | null = null;
  private nextId = 1;
  private readonly routes = new Map<number, Route>();
  private readonly serverRequests = new Map<string, { backend: Backend; id: RpcId }>();
  private initialize: RpcMessage | null = null;
  private initialized = false;
  private logLevel: Record<string, unknown> | null = null;
  private readonly subscriptions = new Set<string>();

  constructor(
    private readonly toClient: (line: string) => void,
    /** The current server exited on its own (not retired by a rotation). */
    private readonly onCurrentExit: (status: number) => void,
  ) {}

  /** Adopts a started server: its stdout is read as JSON-RPC lines from here on. */
  attach(program: ChildProgram): Backend {
    const backend: Backend = { program, retiring: false };
    const lines = new LineSplitter((line) => this.fromServer(backend, line));
    program.child.stdout?.on('data', (c: Buffer) => lines.push(c));
    program.child.stdout?.on('end', () => lines.flush());
    void program.exited.then((status) => this.serverExited(backend, status));
    return backend;
  }

  use(backend: Backend): void {
    this.current = backend;
  }

  fromClient(line: string): void {
    const cur = this.current;
    if (!cur) return;
    const parsed = parseRpc(line);
    if (parsed === null) return send(cur, line);
    if (!Array.isArray(parsed)) {
      const r = this.clientMessage(parsed, cur);
      if (r) send(r.to, r.same ? line : JSON.stringify(r.message));
      return;
    }
    // A batch: each element is relayed as it would be alone, and the elements for one server
    // go to it as one batch again (answers to a retired server's requests go to that server).
    const batches = new Map<Backend, unknown[]>();
    for (const element of parsed) {
      const r = isRpcMessage(element)
        ? this.clientMessage(element, cur)
        : { to: cur, message: element as RpcMessage, same: true };
      if (!r) continue;
      const batch = batches.get(r.to) ?? [];
      batch.push(r.message);
      batches.set(r.to, batch);
    }
    for (const [backend, batch] of batches) send(backend, JSON.stringify(batch));
  }

  /** One message from the client: to which server, and as what (undefined: to none). */
  private clientMessage(m: RpcMessage, cur: Backend): (Relayed & { to: Backend }) | undefined {
    if (isRequest(m)) {
      this.remember(m);
      const id = this.nextId++;
      this.routes.set(id, { backend: cur, clientId: m.id! });
      return { to: cur, message: { ...m, id }, same: false };
    }
    if (isNotification(m)) {
      if (m.method === 'notifications/initialized') this.initialized = true;
      if (m.method === 'notifications/cancelled') {
        const hit = [...this.routes].find(([, r]) => r.clientId === m.params?.requestId);
        if (!hit) return undefined;
        const params = { ...m.params, requestId: hit[0] };
        return { to: hit[1].backend, message: { ...m, params }, same: false };
      }
      return { to: cur, message: m, same: true };
    }
    // An answer to a request the server sent (sampling, roots, elicitation).
    const target = this.serverRequests.get(String(m.id));
    if (!target) return undefined;
    this.serverRequests.delete(String(m.id));
    return { to: target.backend, message: { ...m, id: target.id }, same: false };
  }

  private remember(m: RpcMessage): void {
    if (m.method === 'initialize') this.initialize = m;
    else if (m.method === 'logging/setLevel') this.logLevel = m.params ?? null;
    else if (m.method === 'resources/subscribe' && typeof m.params?.uri === 'string')
      this.subscriptions.add(m.params.uri);
    else if (m.method === 'resources/unsubscribe' && typeof m.params?.uri === 'string')
      this.subscriptions.delete(m.params.uri);
  }

  private fromServer(backend: Backend, line: string): void {
    const parsed = parseRpc(line);
    if (parsed === null) return this.toClient(line);
    if (!Array.isArray(parsed)) {
      const r = this.serverMessage(backend, parsed);
      if (r) this.toClient(r.same ? line : JSON.stringify(r.message));
      return;
    }
    const batch: unknown[] = [];
    for (const element of parsed) {
      if (!isRpcMessage(element)) {
        batch.push(element);
        continue;
      }
      const r = this.serverMessage(backend, element);
      if (r) batch.push(r.message);
    }
    if (batch.length > 0) this.toClient(JSON.stringify(batch));
  }

  /** One message from a server: as what it reaches the client (undefined: it does not). */
  private serverMessage(backend: Backend, m: RpcMessage): Relayed | undefined {
    if (isRequest(m)) {
      const id = `keyway-${this.nextId++}`;
      this.serverRequests.set(id, { backend, id: m.id! });
      return { message: { ...m, id }, same: false };
    }
    if (isNotification(m)) {
      // A retired server's list changes are not the session's any more; its progress still is.
      if (backend.retiring && m.method?.endsWith('/list_changed')) return undefined;
      return { message: m, same: true };
    }
    const route = typeof m.id === 'number' ? this.routes.get(m.id) : undefined;
    if (!route || route.backend !== backend) return undefined;
    this.routes.delete(m.id as number);
    if (route.internal) return void route.internal(m);
    return { message: { ...m, id: route.clientId }, same: false };
  }

  /**
   * Moves the session to a new server: replays the session on it, sends new requests there,
   * lets the old one finish what it started (bounded by RETIRE_GRACE_MS), then stops it.
   * Throws (and keeps the old server) when the new one does not take the session.
   */
  async switchTo(program: ChildProgram): Promise<{ retired: Promise<number> | null }> {
    const next = this.attach(program);
    const old = this.current;
    if (this.initialize) {
      try {
        await this.replay(next);
      } catch (err) {
        next.retiring = true;
        await stopProgram(program, 1_000);
        throw err;
      }
    }
    this.current = next;
    if (!old) return { retired: null };
    old.retiring = true;
    return { retired: this.retire(old) };
  }

  private async replay(next: Backend): Promise<void> {
    const init = await this.internal(next, 'initialize', this.initialize!.params);
    if (init.error)
      throw new Error(`the new server refused initialize: ${JSON.stringify(init.error)}`);
    if (this.initialized)
      send(next, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    const replays: Array<Promise<RpcMessage>> = [];
    if (this.logLevel) replays.push(this.internal(next, 'logging/setLevel', this.logLevel));
    for (const uri of this.subscriptions)
      replays.push(this.internal(next, 'resources/subscribe', { uri }));
    await Promise.all(replays);
  }

  private internal(
    backend: Backend,
    method: string,
    params: Record<string, unknown> | undefined,
  ): Promise<RpcMessage> {
    const id = this.nextId++;
    return new Promise<RpcMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.routes.delete(id);
        reject(
          new Error(`the new server did not answer ${method} within ${REPLAY_TIMEOUT_MS / 1000} s`),
        );
      }, REPLAY_TIMEOUT_MS);
      this.routes.set(id, {
        backend,
        internal: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
      send(backend, JSON.stringify({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) }));
    });
  }

  private async retire(old: Backend): Promise<number> {
    const until = Date.now() + RETIRE_GRACE_MS;
    while (this.inFlight(old) > 0 && Date.now() < until && !old.program.hasExited())
      await new Promise((r) => setTimeout(r, 50));
    old.program.child.stdin?.end();
    return stopProgram(old.program);
  }

  inFlight(backend: Backend): number {
    let n = 0;
    for (const r of this.routes.values()) if (r.backend === backend && !r.internal) n++;
    return n;
  }

  private serverExited(backend: Backend, status: number): void {
    // Whatever it had not answered gets an error, so the client never waits forever.
    for (const [id, r] of this.routes) {
      if (r.backend !== backend) continue;
      this.routes.delete(id);
      if (r.clientId !== undefined)
        this.toClient(
          JSON.stringify({
            jsonrpc: '2.0',
            id: r.clientId,
            error: { code: -32603, message: 'the MCP server stopped before answering' },
          }),
        );
    }
    if (backend === this.current && !backend.retiring) this.onCurrentExit(status);
  }

  /** The client closed its side: close the server's stdin so it can end on its own. */
  endInput(): void {
    this.current?.program.child.stdin?.end();
  }

  get currentProgram(): ChildProgram | null {
    return this.current?.program ?? null;
  }
}

function send(backend: Backend, line: string): void {
  const stdin = backend.program.child.stdin;
  if (stdin && !stdin.destroyed && stdin.writable) stdin.write(line + '\n');
}

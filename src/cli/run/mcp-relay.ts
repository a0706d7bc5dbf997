import type { ChildProgram } from './child-program';
import { stopProgram } from './child-program';
import { META, metaOf, withSubscriptionId } from '../../shared/mcp/era';
import type { RpcId, RpcMessage } from '../../shared/mcp/messages';
import {
  isNotification,
  isRequest,
  isRpcMessage,
  parseRpc,
  rpcJson,
} from '../../shared/mcp/messages';
import { idKey } from '../../shared/mcp/messages';
import { SessionReplay } from '../../shared/mcp/session-replay';
import { LineSplitter } from './json-lines';
import type { Backend, Relayed, Route } from './relay-route';
import { send } from './relay-route';

/** How long a retired server may take to finish the requests it started. */
export const RETIRE_GRACE_MS = 8_000;
const REPLAY_TIMEOUT_MS = 30_000;

/**
 * Keyway between an AI client's stdio and a stdio MCP server's, so the server can be replaced
 * (new process, new key) without the client's session noticing. Every request gets a relay id,
 * so the old and the new server can never answer with an id the client sees twice; the
 * session's `initialize`, `initialized`, logging level and resource subscriptions are kept to
 * replay on the new server (`SessionReplay`). A 2026-07-28 server has no session to replay;
 * what moves is each open `subscriptions/listen`, re-opened on the new server under a new relay
 * id that maps back to the client's (its subscription id) before the old one is cancelled.
 */
export class McpRelay {
  private current: Backend | null = null;
  private nextId = 1;
  private readonly routes = new Map<number, Route>();
  private readonly serverRequests = new Map<string, { backend: Backend; id: RpcId }>();
  private readonly session = new SessionReplay();

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
      this.session.note([m]);
      const id = this.nextId++;
      const listen = m.method === 'subscriptions/listen' ? {} : undefined;
      this.routes.set(id, { backend: cur, clientId: m.id!, listen });
      return { to: cur, message: { ...m, id }, same: false };
    }
    if (isNotification(m)) {
      this.session.note([m]);
      if (m.method === 'notifications/cancelled') {
        const hit = [...this.routes].find(([, r]) => r.clientId === m.params?.requestId);
        if (!hit) return undefined;
        // A cancelled listen stream gets no answer (2026-07-28, subscriptions): forget it now.
        if (hit[1].listen) this.routes.delete(hit[0]);
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

  private fromServer(backend: Backend, line: string): void {
    const parsed = parseRpc(line);
    if (parsed === null) return this.toClient(line);
    if (!Array.isArray(parsed)) {
      const r = this.serverMessage(backend, parsed);
      if (r) this.toClient(r.same ? line : JSON.stringify(r.message));
      return;
    }
    const batch = parsed.flatMap((element) => {
      if (!isRpcMessage(element)) return [element];
      const r = this.serverMessage(backend, element);
      return r ? [r.message] : [];
    });
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
      return this.listenNotification(backend, m);
    }
    const route = typeof m.id === 'number' ? this.routes.get(m.id) : undefined;
    if (!route || route.backend !== backend) return undefined;
    this.routes.delete(m.id as number);
    if (route.internal) return void route.internal(m);
    if (route.listen?.acknowledged) return void route.listen.acknowledged(m); // refused re-open
    if (route.listen && route.clientId !== undefined) this.session.endListen(route.clientId);
    return {
      message: withSubscriptionId({ ...m, id: route.clientId }, route.clientId),
      same: false,
    };
  }

  /**
   * Moves the session to a new server: replays the session on it, sends new requests there,
   * lets the old one finish what it started (bounded by RETIRE_GRACE_MS), then stops it.
   * Throws (and keeps the old server) when the new one does not take the session.
   */
  async switchTo(program: ChildProgram): Promise<{ retired: Promise<number> | null }> {
    const next = this.attach(program);
    const old = this.current;
    let moved: Array<[number, Route]>;
    try {
      await this.replay(next);
      moved = old ? await this.reopenListens(old, next) : [];
    } catch (err) {
      next.retiring = true;
      await stopProgram(program, 1_000);
      throw err;
    }
    this.current = next;
    if (!old) return { retired: null };
    old.retiring = true;
    // Only now, with the new streams acknowledged, the old ones go: no gap between them.
    for (const [id, route] of moved) {
      this.routes.delete(id);
      const cancel = { method: 'notifications/cancelled', params: { requestId: id } };
      send(route.backend, JSON.stringify({ jsonrpc: '2.0', ...cancel }));
    }
    return { retired: this.retire(old) };
  }

  /** A legacy session's initialize, initialized, level and subscriptions; nothing for a modern one. */
  private async replay(next: Backend): Promise<void> {
    const [init, ...rest] = this.session.steps();
    if (!init) return;
    const opened = await this.internal(next, init.method, init.params);
    if (opened?.error)
      throw new Error(`the new server refused initialize: ${JSON.stringify(opened.error)}`);
    const replays: Array<Promise<RpcMessage | undefined>> = [];
    for (const step of rest) {
      if (step.notification) send(next, rpcJson({ method: step.method, params: step.params }));
      else replays.push(this.internal(next, step.method, step.params));
    }
    await Promise.all(replays);
  }

  /**
   * Re-opens each of the client's listen streams on the new server, and waits for each to be
   * acknowledged (from then on the new server delivers every change). Returns the old routes.
   */
  private async reopenListens(old: Backend, next: Backend): Promise<Array<[number, Route]>> {
    const open = [...this.routes].filter(([, r]) => r.backend === old && r.listen);
    await Promise.all(
      open.map(async ([, { clientId }]) => {
        const request = this.session.listens.get(idKey(clientId!));
        if (!request) return;
        const answer = await this.ask(next, request, (done) => ({
          clientId,
          listen: { acknowledged: done },
        }));
        if (answer?.error)
          throw new Error(
            `the new server refused subscriptions/listen: ${JSON.stringify(answer.error)}`,
          );
      }),
    );
    return open;
  }

  /** A notification on a listen stream carries the relay id: the client knows its own. */
  private listenNotification(backend: Backend, m: RpcMessage): Relayed | undefined {
    const meta = metaOf(m);
    const sub = meta?.[META.subscriptionId];
    const route = typeof sub === 'number' ? this.routes.get(sub) : undefined;
    if (!route?.listen || route.backend !== backend) return { message: m, same: true };
    if (m.method === 'notifications/subscriptions/acknowledged' && route.listen.acknowledged) {
      // The client was acknowledged once, by the first server; this one only tells the relay.
      const acknowledged = route.listen.acknowledged;
      route.listen.acknowledged = undefined;
      acknowledged();
      return undefined;
    }
    return { message: withSubscriptionId(m, route.clientId), same: false };
  }

  private internal(
    backend: Backend,
    method: string,
    params: Record<string, unknown> | undefined,
  ): Promise<RpcMessage | undefined> {
    return this.ask(backend, { method, ...(params ? { params } : {}) }, (done) => ({
      internal: done,
    }));
  }

  /** Sends Keyway's own request to `backend`; resolves with what `done` is called with. */
  private ask(
    backend: Backend,
    message: RpcMessage,
    route: (done: (m?: RpcMessage) => void) => Omit<Route, 'backend'>,
  ): Promise<RpcMessage | undefined> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.routes.delete(id);
        const s = REPLAY_TIMEOUT_MS / 1000;
        reject(new Error(`the new server did not answer ${message.method} within ${s} s`));
      }, REPLAY_TIMEOUT_MS);
      const done = (m?: RpcMessage): void => {
        clearTimeout(timer);
        resolve(m);
      };
      this.routes.set(id, { backend, ...route(done) });
      send(backend, rpcJson({ ...message, id }));
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

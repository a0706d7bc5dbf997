// AI client sessions that keep calling tools through the Keyway proxy, recording every call:
// when it started and ended (wall clock, comparable with Keyway's audit timestamps), which
// vendor key served it (whoami), and every failure.
import { closeMcp, connectMcp, echo, whoami, type McpSession } from './rotation-harness';

export interface CallRecord {
  session: number;
  tool: 'whoami' | 'echo';
  /** Date.now() at the call's start and end. */
  startedAt: number;
  endedAt: number;
  /** High-resolution duration. */
  ms: number;
  keyId?: string;
  /** The vendor's MCP session that served it (whoami). */
  upstreamSession?: string | null;
}

export interface CallFailure {
  session: number;
  tool: string;
  at: number;
  error: string;
}

export class McpLoad {
  readonly records: CallRecord[] = [];
  readonly failures: CallFailure[] = [];
  readonly transportErrors: string[] = [];
  private stopped = false;
  private loops: Promise<void>[] = [];

  private constructor(readonly sessions: McpSession[]) {}

  static async open(url: string, token: string, count: number): Promise<McpLoad> {
    const sessions = await Promise.all(Array.from({ length: count }, () => connectMcp(url, token)));
    return new McpLoad(sessions);
  }

  /** The client-side session ids (Mcp-Session-Id) the clients hold. */
  sessionIds(): Array<string | undefined> {
    return this.sessions.map((s) => s.transport.sessionId);
  }

  start(): void {
    this.sessions.forEach(({ client }) => {
      client.onerror = (err) => this.transportErrors.push(err.message);
    });
    this.loops = this.sessions.map((s, i) => this.loop(s, i));
  }

  private async loop({ client }: McpSession, session: number): Promise<void> {
    let n = 0;
    while (!this.stopped) {
      const tool = n++ % 2 === 0 ? 'whoami' : 'echo';
      const startedAt = Date.now();
      const t0 = performance.now();
      try {
        if (tool === 'whoami') {
          const who = await whoami(client);
          this.push({ session, tool, startedAt, t0, keyId: who.keyId, upstream: who.sessionId });
        } else {
          const text = `call ${session}-${n}`;
          const back = await echo(client, text);
          if (back !== text) throw new Error(`echo answered "${back}" to "${text}"`);
          this.push({ session, tool, startedAt, t0 });
        }
      } catch (err) {
        this.failures.push({ session, tool, at: startedAt, error: (err as Error).message });
      }
    }
  }

  private push(r: {
    session: number;
    tool: CallRecord['tool'];
    startedAt: number;
    t0: number;
    keyId?: string;
    upstream?: string | null;
  }): void {
    this.records.push({
      session: r.session,
      tool: r.tool,
      startedAt: r.startedAt,
      endedAt: Date.now(),
      ms: performance.now() - r.t0,
      ...(r.keyId !== undefined ? { keyId: r.keyId, upstreamSession: r.upstream ?? null } : {}),
    });
  }

  /** Resolves once every session made at least `n` calls that started after `since`. */
  async waitCalls(since: number, n: number, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = this.sessions.map(
        (_, i) => this.records.filter((r) => r.session === i && r.startedAt > since).length,
      );
      if (Math.min(...counts) >= n) return;
      if (Date.now() > deadline)
        throw new Error(`sessions made ${counts.join(',')} calls since ${since}, wanted ${n} each`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  /** Ends every session (DELETE, then close); resolves to the errors, if any. */
  async close(): Promise<string[]> {
    await this.stop();
    const closing = this.sessions.map((s) => closeMcp(s).catch((e: Error) => e.message));
    return (await Promise.all(closing)).filter((e) => e !== undefined);
  }
}

/** The p-th percentile (0–100) of a list of numbers; NaN when empty. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

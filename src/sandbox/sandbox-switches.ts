import type { IncomingMessage, ServerResponse } from 'node:http';
import { sleep } from './sandbox-http';

export interface SandboxSwitches {
  /** MCP sessions accept only the key that opened them (some vendors bind sessions to keys). */
  boundSessions?: boolean;
  /** Added before every REST and MCP request is handled. */
  latencyMs?: number;
  /** The next `count` requests get `status` with the vendor's documented body for it. */
  failNext?: { status: number; count: number };
  /** The next N requests hang until the client gives up (a timeout at the client). */
  timeoutNext?: number;
  /** Everything answers 503, as if the vendor were down. */
  down?: boolean;
}

export interface VendorErrorReply {
  status: number;
  contentType: string;
  body: string;
}

/**
 * Sits in front of a vendor's REST API and MCP server (never its /__sandbox control routes) and
 * plays the failures tests need. Returns true when the request should go on to the vendor.
 */
export class SwitchBoard {
  private state: Required<Omit<SandboxSwitches, 'failNext'>> & {
    failNext: SandboxSwitches['failNext'] | undefined;
  };
  private readonly hanging = new Set<ServerResponse>();

  constructor(
    latencyMs: number,
    private readonly errorReply: (status: number) => VendorErrorReply,
  ) {
    this.state = {
      boundSessions: false,
      latencyMs,
      failNext: undefined,
      timeoutNext: 0,
      down: false,
    };
  }

  get switches(): SandboxSwitches {
    return { ...this.state, failNext: this.state.failNext && { ...this.state.failNext } };
  }

  get boundSessions(): boolean {
    return this.state.boundSessions;
  }

  patch(p: SandboxSwitches): void {
    if (p.boundSessions !== undefined) this.state.boundSessions = p.boundSessions;
    if (p.latencyMs !== undefined) this.state.latencyMs = Math.max(0, p.latencyMs);
    if (p.timeoutNext !== undefined) this.state.timeoutNext = Math.max(0, p.timeoutNext);
    if (p.down !== undefined) this.state.down = p.down;
    if (p.failNext !== undefined) {
      this.state.failNext = p.failNext && p.failNext.count > 0 ? { ...p.failNext } : undefined;
    }
  }

  async admit(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (this.state.down) {
      req.resume();
      this.reply(res, 503);
      return false;
    }
    if (this.state.latencyMs > 0) await sleep(this.state.latencyMs);
    if (this.state.timeoutNext > 0) {
      this.state.timeoutNext--;
      this.hang(req, res);
      return false;
    }
    const fail = this.state.failNext;
    if (fail) {
      if (--fail.count <= 0) this.state.failNext = undefined;
      req.resume();
      this.reply(res, fail.status);
      return false;
    }
    return true;
  }

  /** Ends the requests still hanging, so the servers can close. */
  release(): void {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
  }

  private reply(res: ServerResponse, status: number): void {
    const r = this.errorReply(status);
    res.writeHead(r.status, { 'Content-Type': r.contentType });
    res.end(r.body);
  }

  private hang(req: IncomingMessage, res: ServerResponse): void {
    this.hanging.add(res);
    req.resume();
    res.on('close', () => this.hanging.delete(res));
  }
}

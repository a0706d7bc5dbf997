import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandboxLegacySseEndpoint, createSandboxMcpEndpoint } from './mcp';
import type { SandboxMcpEndpoint } from './mcp';
import { HttpFailure, sendJson } from './sandbox-http';
import { SandboxKeyStore } from './sandbox-keys';
import { SwitchBoard } from './sandbox-switches';
import { handleControl } from './sandbox-control';
import { handleDashboardPage } from './sandbox-dashboard-page';
import type {
  SandboxKeyOptions,
  SandboxRequestLogEntry,
  SandboxVendorContext,
  SandboxVendorDef,
  SandboxVendorHost,
} from './sandbox-vendor';

/** One vendor on its own 127.0.0.1 port: its own origin, as the real vendors are. */
export class SandboxVendorServer implements SandboxVendorHost {
  readonly ctx: SandboxVendorContext;
  readonly switches: SwitchBoard;
  readonly requests: SandboxRequestLogEntry[] = [];
  private readonly endpoints: SandboxMcpEndpoint[] = [];
  private readonly mcp: SandboxMcpEndpoint;
  private readonly legacy: SandboxMcpEndpoint | undefined;
  private readonly server: Server;
  origin = '';

  constructor(
    readonly def: SandboxVendorDef,
    latencyMs: number,
  ) {
    const keys = new SandboxKeyStore({
      keepPlaintext: (kind) => def.keepPlaintext(kind),
      onDead: (credentialId) => {
        for (const e of this.endpoints) e.revokeKey(credentialId);
      },
    });
    this.ctx = { keys, audit: [] };
    this.switches = new SwitchBoard(latencyMs, (status) => def.errorReply(status));
    const mcpOptions = {
      vendor: def.id,
      authenticate: (req: IncomingMessage) => def.authenticateMcp(this.ctx, req),
      boundSessions: () => this.switches.boundSessions,
    };
    this.mcp = def.createMcpEndpoint?.(mcpOptions) ?? createSandboxMcpEndpoint(mcpOptions);
    this.endpoints.push(this.mcp);
    if (def.legacySsePath) {
      this.legacy = createSandboxLegacySseEndpoint(mcpOptions);
      this.endpoints.push(this.legacy);
    }
    this.server = createServer((req, res) => {
      this.route(req, res).catch((e: unknown) => this.fail(res, e));
    });
  }

  async listen(host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, host, () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.origin = `http://${host}:${port}`;
  }

  createKey(opts: SandboxKeyOptions = {}): { id: string; secret: string } {
    return this.def.createKey(this.ctx, opts);
  }

  async close(): Promise<void> {
    this.switches.release();
    await Promise.all(this.endpoints.map((e) => e.close()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    if (url.pathname.startsWith('/__sandbox/')) return handleControl(this, req, res, url);
    if (url.pathname === this.def.dashboardPath) return handleDashboardPage(this, req, res);

    const entry: SandboxRequestLogEntry = {
      at: new Date().toISOString(),
      method: req.method ?? 'GET',
      path: url.pathname,
      status: 0,
    };
    this.requests.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));

    if (!(await this.switches.admit(req, res))) return;
    if (under(url.pathname, this.def.mcpPath)) return this.mcp.handle(req, res);
    if (this.legacy && this.def.legacySsePath && under(url.pathname, this.def.legacySsePath)) {
      return this.legacy.handle(req, res);
    }
    if (await this.def.handleRest(this.ctx, req, res, url)) return;
    const reply = this.def.errorReply(404);
    res.writeHead(reply.status, { 'Content-Type': reply.contentType });
    res.end(reply.body);
  }

  private fail(res: ServerResponse, e: unknown): void {
    if (e instanceof HttpFailure) {
      sendJson(res, e.status, e.body);
      return;
    }
    const reply = this.def.errorReply(500);
    if (res.headersSent) res.destroy();
    else {
      res.writeHead(reply.status, { 'Content-Type': reply.contentType });
      res.end(reply.body);
    }
  }
}

function under(pathname: string, mount: string): boolean {
  return pathname === mount || pathname.startsWith(`${mount}/`);
}

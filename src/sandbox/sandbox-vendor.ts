import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthScheme, VendorId } from '../shared/domain';
import type { McpAuthResult, SandboxMcpEndpoint, SandboxMcpEndpointOptions } from './mcp';
import type { SandboxKeyKind, SandboxKeyStore } from './sandbox-keys';
import type { SwitchBoard, VendorErrorReply } from './sandbox-switches';

/** The sandbox has one faithful stand-in per vendor Keyway knows. */
export type SandboxVendor = VendorId;

/** What a person picks in a vendor's dashboard when creating a key. */
export interface SandboxKeyOptions {
  name?: string;
  scopes?: string[];
  user?: string;
  /** A tenant or workspace name; null makes a user without one (Qyvo answers 422). */
  workspace?: string | null;
  kind?: SandboxKeyKind;
  /** Quave only. */
  securityLevel?: string;
  /** Quave only, seconds. */
  sessionDuration?: number;
}

export interface SandboxAuditEntry {
  at: string;
  event: string;
  keyId: string;
  by: string;
}

/** Shared by a vendor's REST handlers and its dashboard. */
export interface SandboxVendorContext {
  keys: SandboxKeyStore;
  audit: SandboxAuditEntry[];
}

/**
 * One vendor, as its document describes it. The server around it (sandbox-vendor-server.ts)
 * adds the switches, the MCP mount, the dashboard page and the /__sandbox control routes.
 */
export interface SandboxVendorDef {
  id: SandboxVendor;
  /** How the vendor reads its key from a request. */
  auth: AuthScheme;
  mcpPath: string;
  /** Where a legacy HTTP+SSE MCP endpoint is mounted (`<path>/sse`, `<path>/messages`). */
  legacySsePath?: string;
  dashboardPath: string;
  /** Where the vendor keeps a key's plaintext so it can show it again; elsewhere only a hash. */
  keepPlaintext(kind: SandboxKeyKind): boolean;
  /** The vendor's documented body for an error status (the switches inject these). */
  errorReply(status: number): VendorErrorReply;
  /** The dashboard's create; throws an Error with a user-facing message on invalid input. */
  createKey(ctx: SandboxVendorContext, opts: SandboxKeyOptions): { id: string; secret: string };
  authenticateMcp(ctx: SandboxVendorContext, req: IncomingMessage): McpAuthResult;
  /** The vendor's own MCP server; the SDK v1 sandbox server (mcp/) when not given. */
  createMcpEndpoint?(opts: SandboxMcpEndpointOptions): SandboxMcpEndpoint;
  /** False when no REST route matches (the server answers the vendor's 404). */
  handleRest(
    ctx: SandboxVendorContext,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ): Promise<boolean>;
}

export function jsonReply(status: number, body: unknown): VendorErrorReply {
  return { status, contentType: 'application/json', body: JSON.stringify(body) };
}

export function mcpRefusal(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): McpAuthResult {
  return {
    ok: false,
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

export interface SandboxRequestLogEntry {
  at: string;
  method: string;
  path: string;
  /** 0 while the request is in flight or when it never got an answer (hung, aborted). */
  status: number;
}

/** What the control API and the dashboard page need of a running vendor server. */
export interface SandboxVendorHost {
  readonly def: SandboxVendorDef;
  readonly ctx: SandboxVendorContext;
  readonly switches: SwitchBoard;
  readonly requests: SandboxRequestLogEntry[];
  readonly origin: string;
  createKey(opts?: SandboxKeyOptions): { id: string; secret: string };
}

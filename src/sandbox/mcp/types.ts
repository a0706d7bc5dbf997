import type { IncomingMessage, ServerResponse } from 'node:http';

/** Who made a request: the vendor key's id and label, never its secret. */
export interface McpCaller {
  keyId: string;
  label: string;
}

export type McpAuthResult =
  | { ok: true; caller: McpCaller }
  | { ok: false; status: number; headers?: Record<string, string>; body: string };

export interface SandboxMcpEndpointOptions {
  vendor: string;
  /** Called on every request; a refusal is sent to the client exactly as returned. */
  authenticate(req: IncomingMessage): McpAuthResult;
  /**
   * When true, a session only accepts requests made with the key that opened it (others get
   * 404 and a JSON-RPC error), as some real vendors do. Read on every request.
   */
  boundSessions(): boolean;
  /**
   * DNS-rebinding defence: the Host header must be one of these, and an Origin header, when
   * present, must name one of them. Default: 127.0.0.1, localhost and [::1] with the port of the
   * socket the request arrived on.
   */
  allowedHosts?: string[];
}

export interface SandboxMcpEndpoint {
  /** Mounted at the vendor's MCP path (any sub-path). The request body must not have been read. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** A revoked key fails at once: every in-flight request and stream made with it is ended. */
  revokeKey(keyId: string): void;
  close(): Promise<void>;
}

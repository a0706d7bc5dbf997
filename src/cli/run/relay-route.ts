import type { RpcId, RpcMessage } from '../../shared/mcp/messages';
import type { ChildProgram } from './child-program';

/** What `McpRelay` keeps per server and per relayed request. */

export interface Backend {
  program: ChildProgram;
  retiring: boolean;
}

/** What one message is relayed as, and whether it is the very message that came in (sent as it came). */
export interface Relayed {
  message: RpcMessage;
  same: boolean;
}

export interface Route {
  backend: Backend;
  /** The AI client's id for it; absent for Keyway's own replayed requests. */
  clientId?: RpcId;
  internal?: (m: RpcMessage) => void;
  /** A `subscriptions/listen` (2026-07-28): lives until cancelled, and moves with a hot swap. */
  listen?: ListenState;
}

export interface ListenState {
  /**
   * Set on a stream re-opened on a new server until it is acknowledged (or refused: called with
   * the answer); that acknowledgment is the relay's, the client had its own from the first server.
   */
  acknowledged?: (answer?: RpcMessage) => void;
}

export function send(backend: Backend, line: string): void {
  const stdin = backend.program.child.stdin;
  if (stdin && !stdin.destroyed && stdin.writable) stdin.write(line + '\n');
}

import type { RpcMessage } from '../../../../shared/mcp/messages';
import { INTERNAL_ERROR } from '../../../../shared/mcp/messages';

/** What one multi round-trip call needs from the bridge. */
export interface RoundPorts {
  /** Sends one modern request; resolves with the server's final answer to it. */
  send(request: RpcMessage): Promise<RpcMessage>;
  /** Asks the 2025 client (a server-initiated request on its POST's stream); its answer. */
  ask(method: string, params: unknown): Promise<RpcMessage>;
}

/** A server that keeps asking is broken or hostile: the client's call fails instead of looping. */
export const MAX_INPUT_ROUNDS = 10;

interface InputRequest {
  method?: unknown;
  params?: unknown;
}

/**
 * One client call through the era bridge (basic/patterns/mrtr): while the server answers
 * `input_required`, its `inputRequests` go to the client as the 2025 server-initiated requests
 * they were (sampling, elicitation, roots), all at once, and the call is retried with the
 * answers and the server's `requestState`. The client sees one request and one answer; the
 * bridge adds one round trip per round, nothing to a call that needs no input.
 */
export async function callWithInput(
  request: RpcMessage,
  envelope: (extra?: Record<string, unknown>) => RpcMessage,
  ports: RoundPorts,
): Promise<RpcMessage> {
  let extra: Record<string, unknown> | undefined;
  for (let round = 0; ; round++) {
    const answer = await ports.send(envelope(extra));
    const result = answer.result as Record<string, unknown> | undefined;
    if (result?.resultType !== 'input_required') return answer;
    if (round >= MAX_INPUT_ROUNDS)
      return failed(request, `the MCP server asked for input more than ${MAX_INPUT_ROUNDS} times`);
    const asked = Object.entries((result.inputRequests ?? {}) as Record<string, InputRequest>);
    const answers = await Promise.all(
      asked.map(([, r]) =>
        typeof r?.method === 'string'
          ? ports.ask(r.method, r.params)
          : Promise.resolve<RpcMessage>({ error: { message: 'no method' } }),
      ),
    );
    const inputResponses: Record<string, unknown> = {};
    for (const [i, [key, r]] of asked.entries()) {
      const a = answers[i] ?? {};
      if (a.error !== undefined || a.result === undefined) {
        const why = (a.error as { message?: unknown } | undefined)?.message;
        return failed(
          request,
          `the client did not answer the MCP server's ${String(r?.method)} request${
            typeof why === 'string' ? ` (${why.slice(0, 200)})` : ''
          }`,
        );
      }
      inputResponses[key] = a.result;
    }
    extra = {};
    if (asked.length > 0) extra.inputResponses = inputResponses;
    if (typeof result.requestState === 'string') extra.requestState = result.requestState;
  }
}

function failed(request: RpcMessage, why: string): RpcMessage {
  return {
    jsonrpc: '2.0',
    id: request.id,
    error: { code: INTERNAL_ERROR, message: `Keyway's era bridge: ${why}` },
  };
}

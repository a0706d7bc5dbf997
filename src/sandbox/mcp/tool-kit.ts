import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type {
  CallToolResult,
  LoggingLevel,
  ServerNotification,
  ServerRequest,
  Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { McpCaller } from './types';

export type HandlerExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface ToolContext {
  vendor: string;
  caller: McpCaller | undefined;
  sessionId: string | undefined;
  server: Server;
  extra: HandlerExtra;
  /** A log notification on this call's stream, unless below the session's logging level. */
  log(level: LoggingLevel, data: unknown): Promise<void>;
  /** A progress notification, when the client asked for progress (gave a progressToken). */
  progress(progress: number, total?: number, message?: string): Promise<void>;
}

export interface SandboxTool {
  name: string;
  title?: string;
  description: string;
  inputSchema: Tool['inputSchema'];
  run(args: Record<string, unknown>, ctx: ToolContext): Promise<CallToolResult>;
}

/** Bad arguments are a tool execution error the model can read and correct, not a protocol error. */
class ToolInputError extends Error {}

export function text(value: string): CallToolResult {
  return { content: [{ type: 'text', text: value }] };
}

export function toolError(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}

/** The text of a sampling answer (its content is one block or a list of blocks). */
export function sampledText(content: unknown): string | undefined {
  const first: unknown = Array.isArray(content) ? (content as unknown[])[0] : content;
  if (typeof first !== 'object' || first === null) return undefined;
  const block = first as { type?: unknown; text?: unknown };
  return block.type === 'text' && typeof block.text === 'string' ? block.text : undefined;
}

export function argString(args: Record<string, unknown>, name: string, fallback?: string): string {
  const value = args[name] ?? fallback;
  if (value === undefined) throw new ToolInputError(`Argument "${name}" is required`);
  if (typeof value !== 'string') {
    throw new ToolInputError(`Argument "${name}" must be a string`);
  }
  return value;
}

export function argInt(
  args: Record<string, unknown>,
  name: string,
  range: { min: number; max: number; fallback?: number },
): number {
  const value = args[name] ?? range.fallback;
  if (value === undefined) throw new ToolInputError(`Argument "${name}" is required`);
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ToolInputError(`Argument "${name}" must be an integer`);
  }
  if (value < range.min || value > range.max) {
    throw new ToolInputError(
      `Argument "${name}" must be between ${range.min} and ${range.max}, got ${value}`,
    );
  }
  return value;
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new Error(typeof reason === 'string' ? reason : 'The request was cancelled');
}

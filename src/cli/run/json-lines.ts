/** Splits a byte stream into lines (MCP's stdio framing: one JSON-RPC message per line). */
export class LineSplitter {
  private buffer = '';
  private readonly decoder = new TextDecoder();

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Uint8Array): void {
    this.buffer += this.decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, end).replace(/\r$/, '');
      this.buffer = this.buffer.slice(end + 1);
      if (line.trim()) this.onLine(line);
    }
  }

  /** Whatever is left when the stream ended without a final newline. */
  flush(): void {
    const rest = this.buffer + this.decoder.decode();
    this.buffer = '';
    if (rest.trim()) this.onLine(rest);
  }
}

export type RpcId = string | number;
export interface RpcMessage {
  jsonrpc?: string;
  id?: RpcId | null;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: unknown;
}

export const isRpcMessage = (v: unknown): v is RpcMessage =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * One line of MCP stdio: a message, or a JSON-RPC batch (an array of them, which MCP 2025-03-26
 * allows); null when it is neither. A batch element that is not an object stays as it is.
 */
export function parseLine(line: string): RpcMessage | unknown[] | null {
  try {
    const v = JSON.parse(line) as unknown;
    if (Array.isArray(v)) return v as unknown[];
    return isRpcMessage(v) ? v : null;
  } catch {
    return null;
  }
}

export const isRequest = (m: RpcMessage): boolean =>
  typeof m.method === 'string' && m.id !== undefined && m.id !== null;
export const isNotification = (m: RpcMessage): boolean =>
  typeof m.method === 'string' && (m.id === undefined || m.id === null);

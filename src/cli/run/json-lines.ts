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

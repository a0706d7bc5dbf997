import type { IncomingMessage } from 'node:http';
import { SseParser } from '../shared/mcp/sse';

/** Reading the proxy's answers for `keyway bridge`: a whole body, or SSE messages as they come. */

export function readText(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (d: string) => (text += d));
    res.on('end', () => resolve(text));
    res.on('error', reject);
  });
}

export function pumpEvents(
  res: IncomingMessage,
  emit: (data: string) => void,
  onId?: (id: string) => void,
): Promise<void> {
  const parser = new SseParser((event) => {
    if (event.id !== undefined) onId?.(event.id);
    if (event.event === 'message' && event.data.trim()) emit(event.data);
  });
  return new Promise((resolve, reject) => {
    res.on('data', (chunk: Buffer) => parser.feed(chunk));
    res.on('end', resolve);
    res.on('error', reject);
    res.on('close', resolve);
  });
}

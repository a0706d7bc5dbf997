// A 2026-07-28-only MCP server on loopback, built on the SDK v2 with legacy serving refused, for
// the era bridge's tests: a plain tool, a sampling tool and an elicitation tool (both multi
// round-trip), a resource that can change, and a way to make it change.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createMcpHandler,
  inputRequired,
  inputResponse,
  McpServer,
} from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { z } from 'zod';

export interface ModernOnlyServer {
  url: string;
  /** Authorization headers seen, in order (to check which key each request carried). */
  seenAuth: string[];
  /** Publishes a change of the `note://current` resource and the tool list. */
  touch(): void;
  close(): Promise<void>;
}

export async function startModernOnlyServer(
  opts: { key?: string } = {},
): Promise<ModernOnlyServer> {
  let note = 0;
  const factory = (): McpServer => {
    const server = new McpServer(
      { name: 'modern-only', version: '1.0.0' },
      {
        capabilities: {
          logging: {},
          resources: { subscribe: true, listChanged: true },
          tools: { listChanged: true },
        },
      },
    );
    server.registerTool('echo', { inputSchema: z.object({ text: z.string() }) }, ({ text }) => ({
      content: [{ type: 'text', text: `echo: ${text}` }],
    }));
    server.registerTool(
      'ask_model',
      { inputSchema: z.object({ question: z.string() }) },
      ({ question }, ctx) => {
        const answer = inputResponse(ctx.mcpReq.inputResponses, 'llm');
        if (answer.kind !== 'sampling')
          return inputRequired({
            inputRequests: {
              llm: inputRequired.createMessage({
                messages: [{ role: 'user', content: { type: 'text', text: question } }],
                maxTokens: 50,
              }),
            },
          });
        const c = answer.result.content;
        const text = !Array.isArray(c) && c.type === 'text' ? c.text : '?';
        return { content: [{ type: 'text', text: `model said: ${text}` }] };
      },
    );
    server.registerTool('ask_user', { inputSchema: z.object({}) }, (_args, ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'who');
      if (answer.kind !== 'elicit')
        return inputRequired({
          inputRequests: {
            who: inputRequired.elicit({
              message: 'Your name?',
              requestedSchema: z.object({ name: z.string() }),
            }),
          },
        });
      const name = answer.action === 'accept' ? String(answer.content?.name) : answer.action;
      return { content: [{ type: 'text', text: `hello ${name}` }] };
    });
    server.registerResource('note', 'note://current', { mimeType: 'text/plain' }, (uri) => ({
      contents: [{ uri: uri.href, text: `note ${note}` }],
    }));
    return server;
  };
  const handler = createMcpHandler(factory, { legacy: 'reject' });
  const node = toNodeHandler(handler);
  const seenAuth: string[] = [];
  const http: Server = createServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    seenAuth.push(auth);
    if (opts.key && auth !== `Bearer ${opts.key}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_token"}');
      return;
    }
    void node(req, res);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    seenAuth,
    touch() {
      note++;
      handler.notify.resourceUpdated('note://current');
      handler.notify.toolsChanged();
    },
    async close() {
      await handler.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

// A 2026-07-28-only MCP server on loopback (the sandbox's SDK v2 endpoint, era `modern`), for
// the era bridge's tests: a plain tool, a sampling tool and an elicitation tool (both multi
// round-trip), a resource that can change, and a way to make it change.
import { inputRequired, inputResponse, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { startModernServer } from '../../src/sandbox/modern/modern-endpoint';

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
  const seenAuth: string[] = [];
  const server = await startModernServer({
    era: 'modern',
    factory,
    authenticate: (req) => {
      const auth = req.headers.authorization ?? '';
      seenAuth.push(auth);
      if (opts.key && auth !== `Bearer ${opts.key}`)
        return {
          ok: false,
          status: 401,
          headers: { 'content-type': 'application/json' },
          body: '{"error":"invalid_token"}',
        };
      return { ok: true, caller: { keyId: 'server-key', label: 'modern-only' } };
    },
  });
  const { handler } = server.endpoint;
  return {
    url: server.url,
    seenAuth,
    touch() {
      note++;
      handler.notify.resourceUpdated('note://current');
      handler.notify.toolsChanged();
    },
    close: () => server.close(),
  };
}

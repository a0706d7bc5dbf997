// The conformance server suite's tools on the MCP SDK v2, for both protocol eras from one
// factory: a tool that needs the client (sampling, elicitation) asks with a server-initiated
// request on a 2025 request and with an `input_required` result on a 2026-07-28 request (where
// the push-style request no longer exists). Names and shapes are the ones the suite's scenarios
// call; the texts match the SDK v1 sandbox's (../conformance-tools.ts).
import type { CallToolResult, McpServer, ServerContext } from '@modelcontextprotocol/server';
import { fromJsonSchema, inputRequired, inputResponse } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { PNG_BASE64, WAV_BASE64 } from '../media';
import { SEP1034_SCHEMA, SEP1330_SCHEMA, USER_SCHEMA } from './modern-elicitation-schemas';
import type { RequestedSchema } from './modern-elicitation-schemas';

const NO_ARGS = z.object({});

function text(value: string): CallToolResult {
  return { content: [{ type: 'text', text: value }] };
}

/** A 2026-07-28 request carries the per-request envelope; a 2025 one never does. */
function isModern(ctx: ServerContext): boolean {
  return ctx.mcpReq.envelope !== undefined;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function progress(ctx: ServerContext, value: number, total: number): Promise<void> {
  const progressToken = ctx.mcpReq._meta?.progressToken;
  if (progressToken === undefined) return;
  await ctx.mcpReq.notify({
    method: 'notifications/progress',
    params: { progressToken, progress: value, total },
  });
}

function elicitTool(
  server: McpServer,
  name: string,
  description: string,
  inputSchema: z.ZodType<Record<string, unknown>>,
  ask: (args: Record<string, unknown>) => { message: string; requestedSchema: RequestedSchema },
  prefix: string,
): void {
  server.registerTool(
    name,
    { description, inputSchema },
    async (args, ctx): Promise<CallToolResult> => {
      const { message, requestedSchema } = ask(args);
      let outcome: { action: string; content?: unknown };
      if (isModern(ctx)) {
        const answer = inputResponse(ctx.mcpReq.inputResponses, 'form');
        if (answer.kind !== 'elicit')
          return inputRequired({
            inputRequests: {
              form: { method: 'elicitation/create', params: { message, requestedSchema } },
            },
          }) as unknown as CallToolResult;
        outcome = { action: answer.action, content: answer.content };
      } else {
        try {
          outcome = await ctx.mcpReq.elicitInput({ message, requestedSchema });
        } catch (error) {
          return {
            content: [{ type: 'text', text: `Elicitation failed: ${(error as Error).message}` }],
            isError: true,
          };
        }
      }
      return text(
        `${prefix}: action=${outcome.action}, content=${JSON.stringify(outcome.content ?? {})}`,
      );
    },
  );
}

export function registerConformanceTools(server: McpServer): void {
  server.registerTool(
    'test_simple_text',
    { description: 'Returns a simple text response.', inputSchema: NO_ARGS },
    () => text('This is a simple text response for testing.'),
  );
  server.registerTool(
    'test_image_content',
    { description: 'Returns a 1x1 red PNG image.', inputSchema: NO_ARGS },
    () => ({
      content: [{ type: 'image', data: PNG_BASE64, mimeType: 'image/png' }],
    }),
  );
  server.registerTool(
    'test_audio_content',
    { description: 'Returns a short WAV tone.', inputSchema: NO_ARGS },
    () => ({
      content: [{ type: 'audio', data: WAV_BASE64, mimeType: 'audio/wav' }],
    }),
  );
  server.registerTool(
    'test_embedded_resource',
    { description: 'Returns an embedded text resource.', inputSchema: NO_ARGS },
    () => ({
      content: [
        {
          type: 'resource',
          resource: {
            uri: 'test://embedded-resource',
            mimeType: 'text/plain',
            text: 'This is an embedded resource content.',
          },
        },
      ],
    }),
  );
  server.registerTool(
    'test_multiple_content_types',
    { description: 'Returns text, image and resource content together.', inputSchema: NO_ARGS },
    () => ({
      content: [
        { type: 'text', text: 'Multiple content types test:' },
        { type: 'image', data: PNG_BASE64, mimeType: 'image/png' },
        {
          type: 'resource',
          resource: {
            uri: 'test://mixed-content-resource',
            mimeType: 'application/json',
            text: JSON.stringify({ test: 'data', value: 123 }),
          },
        },
      ],
    }),
  );
  server.registerTool(
    'test_tool_with_logging',
    { description: 'Sends three info log notifications while it runs.', inputSchema: NO_ARGS },
    async (_args, ctx) => {
      await ctx.mcpReq.log('info', 'Tool execution started');
      await sleep(50, ctx.mcpReq.signal);
      await ctx.mcpReq.log('info', 'Tool processing data');
      await sleep(50, ctx.mcpReq.signal);
      await ctx.mcpReq.log('info', 'Tool execution completed');
      return text('Tool with logging executed successfully');
    },
  );
  server.registerTool(
    'test_error_handling',
    { description: 'Always fails, to test error reporting.', inputSchema: NO_ARGS },
    () => {
      throw new Error('This tool intentionally returns an error for testing');
    },
  );
  server.registerTool(
    'test_tool_with_progress',
    { description: 'Reports progress 0, 50 and 100 of 100.', inputSchema: NO_ARGS },
    async (_args, ctx) => {
      await progress(ctx, 0, 100);
      await sleep(50, ctx.mcpReq.signal);
      await progress(ctx, 50, 100);
      await sleep(50, ctx.mcpReq.signal);
      await progress(ctx, 100, 100);
      return text('Tool with progress executed successfully');
    },
  );
  server.registerTool(
    'test_sampling',
    {
      description: "Asks the client's model to answer a prompt.",
      inputSchema: z.object({ prompt: z.string().describe('The prompt to send to the LLM') }),
    },
    async ({ prompt }, ctx): Promise<CallToolResult> => {
      const request = {
        messages: [{ role: 'user' as const, content: { type: 'text' as const, text: prompt } }],
        maxTokens: 100,
      };
      let content: unknown;
      if (isModern(ctx)) {
        const answer = inputResponse(ctx.mcpReq.inputResponses, 'llm');
        if (answer.kind !== 'sampling')
          return inputRequired({
            inputRequests: { llm: inputRequired.createMessage(request) },
          }) as unknown as CallToolResult;
        content = answer.result.content;
      } else {
        try {
          content = (await ctx.mcpReq.requestSampling(request)).content;
        } catch (error) {
          return {
            content: [{ type: 'text', text: `Sampling failed: ${(error as Error).message}` }],
            isError: true,
          };
        }
      }
      const first = (Array.isArray(content) ? content[0] : content) as {
        type?: string;
        text?: string;
      };
      return text(`LLM response: ${first?.type === 'text' ? String(first.text) : '(no text)'}`);
    },
  );
  server.registerTool(
    'json_schema_2020_12_tool',
    {
      description: 'Tool with JSON Schema 2020-12 features',
      inputSchema: fromJsonSchema({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        $defs: {
          address: {
            type: 'object',
            properties: { street: { type: 'string' }, city: { type: 'string' } },
          },
        },
        properties: { name: { type: 'string' }, address: { $ref: '#/$defs/address' } },
        additionalProperties: false,
      }),
    },
    (args) => text(`Received: ${JSON.stringify(args)}`),
  );
  server.registerTool(
    'test_reconnection',
    {
      description: 'Answers after a short wait (the suite reconnects on a 2025 stream).',
      inputSchema: NO_ARGS,
    },
    async (_args, ctx) => {
      // A 2025 server with an event store may close the stream mid-call; this one answers on it.
      await sleep(100, ctx.mcpReq.signal);
      return text('Reconnection test completed successfully');
    },
  );
  elicitTool(
    server,
    'test_elicitation',
    'Asks the user for a username and email (elicitation).',
    z.object({ message: z.string().describe('The message to show the user') }),
    (args) => ({ message: String(args.message), requestedSchema: USER_SCHEMA }),
    'User response',
  );
  elicitTool(
    server,
    'test_elicitation_sep1034_defaults',
    'Elicitation whose fields carry default values (SEP-1034).',
    NO_ARGS,
    () => ({
      message: 'Please review and update the form fields with defaults',
      requestedSchema: SEP1034_SCHEMA,
    }),
    'Elicitation completed',
  );
  elicitTool(
    server,
    'test_elicitation_sep1330_enums',
    'Elicitation with every enum form (SEP-1330).',
    NO_ARGS,
    () => ({
      message: 'Please select options from the enum fields',
      requestedSchema: SEP1330_SCHEMA,
    }),
    'Elicitation completed',
  );
}

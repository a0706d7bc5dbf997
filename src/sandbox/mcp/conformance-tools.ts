import { PNG_BASE64, WAV_BASE64 } from './media';
import { argString, sampledText, sleep, text, toolError } from './tool-kit';
import type { SandboxTool } from './tool-kit';
import { elicitationTools } from './conformance-elicitation-tools';

// The tools the @modelcontextprotocol/conformance server suite calls, by the names and shapes
// its scenarios expect. A faithful vendor sandbox passes that suite, so the proxy can be held
// to "passes whatever the upstream passes".

const NO_ARGS = { type: 'object' as const, properties: {} };

export const conformanceTools: SandboxTool[] = [
  {
    name: 'test_simple_text',
    description: 'Returns a simple text response.',
    inputSchema: NO_ARGS,
    run: () => Promise.resolve(text('This is a simple text response for testing.')),
  },
  {
    name: 'test_image_content',
    description: 'Returns a 1x1 red PNG image.',
    inputSchema: NO_ARGS,
    run: () =>
      Promise.resolve({ content: [{ type: 'image', data: PNG_BASE64, mimeType: 'image/png' }] }),
  },
  {
    name: 'test_audio_content',
    description: 'Returns a short WAV tone.',
    inputSchema: NO_ARGS,
    run: () =>
      Promise.resolve({ content: [{ type: 'audio', data: WAV_BASE64, mimeType: 'audio/wav' }] }),
  },
  {
    name: 'test_embedded_resource',
    description: 'Returns an embedded text resource.',
    inputSchema: NO_ARGS,
    run: () =>
      Promise.resolve({
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
  },
  {
    name: 'test_multiple_content_types',
    description: 'Returns text, image and resource content together.',
    inputSchema: NO_ARGS,
    run: () =>
      Promise.resolve({
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
  },
  {
    name: 'test_tool_with_logging',
    description: 'Sends three info log notifications while it runs.',
    inputSchema: NO_ARGS,
    run: async (_args, ctx) => {
      await ctx.log('info', 'Tool execution started');
      await sleep(50, ctx.extra.signal);
      await ctx.log('info', 'Tool processing data');
      await sleep(50, ctx.extra.signal);
      await ctx.log('info', 'Tool execution completed');
      return text('Tool with logging executed successfully');
    },
  },
  {
    name: 'test_error_handling',
    description: 'Always fails, to test error reporting.',
    inputSchema: NO_ARGS,
    run: () => Promise.reject(new Error('This tool intentionally returns an error for testing')),
  },
  {
    name: 'test_tool_with_progress',
    description: 'Reports progress 0, 50 and 100 of 100.',
    inputSchema: NO_ARGS,
    run: async (_args, ctx) => {
      await ctx.progress(0, 100);
      await sleep(50, ctx.extra.signal);
      await ctx.progress(50, 100);
      await sleep(50, ctx.extra.signal);
      await ctx.progress(100, 100);
      return text('Tool with progress executed successfully');
    },
  },
  {
    name: 'test_sampling',
    description: "Asks the client's model to answer a prompt.",
    inputSchema: {
      type: 'object',
      properties: { prompt: { type: 'string', description: 'The prompt to send to the LLM' } },
      required: ['prompt'],
    },
    run: async (args, ctx) => {
      const prompt = argString(args, 'prompt');
      try {
        const result = await ctx.server.createMessage(
          { messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 100 },
          { relatedRequestId: ctx.extra.requestId, signal: ctx.extra.signal },
        );
        return text(`LLM response: ${sampledText(result.content) ?? '(no text)'}`);
      } catch (error) {
        return toolError(`Sampling failed: ${(error as Error).message}`);
      }
    },
  },
  {
    name: 'json_schema_2020_12_tool',
    description: 'Tool with JSON Schema 2020-12 features',
    inputSchema: {
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
    },
    run: (args) => Promise.resolve(text(`Received: ${JSON.stringify(args)}`)),
  },
  {
    name: 'test_reconnection',
    description:
      'Closes its SSE stream mid-call (when the client can resume) and answers after the client reconnects.',
    inputSchema: NO_ARGS,
    run: async (_args, ctx) => {
      // Only offered by the SDK when an event store is set and the client can resume
      // (protocol >= 2025-11-25); otherwise the answer simply arrives on the open stream.
      if (ctx.extra.closeSSEStream) {
        await sleep(50, ctx.extra.signal);
        ctx.extra.closeSSEStream();
      }
      await sleep(100, ctx.extra.signal);
      return text('Reconnection test completed successfully');
    },
  },
  ...elicitationTools,
];

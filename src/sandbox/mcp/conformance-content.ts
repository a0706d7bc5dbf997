// What the conformance server suite's tools say and return, by the names and shapes its
// scenarios expect, with no MCP SDK in it: the SDK v1 sandbox (conformance-tools.ts) and the
// SDK v2 one (modern/modern-conformance-tools.ts) attach their own behaviour to these, so the two
// servers cannot drift apart in what the suite checks.
import { PNG_BASE64, WAV_BASE64 } from './media';

/** A JSON Schema object, as a tool lists it (both SDKs take this shape). */
export interface ToolInputSchema {
  type: 'object';
  properties?: Record<string, object>;
  required?: string[];
  [key: string]: unknown;
}

export interface ConformanceToolInfo {
  name: string;
  description: string;
  inputSchema: ToolInputSchema;
}

const NO_ARGS: ToolInputSchema = { type: 'object', properties: {} };

type StaticResult = {
  content: Array<
    | { type: 'text'; text: string }
    | { type: 'image' | 'audio'; data: string; mimeType: string }
    | { type: 'resource'; resource: { uri: string; mimeType: string; text: string } }
  >;
};

/** The tools whose answer is always the same. */
export const STATIC_TOOLS: Array<ConformanceToolInfo & { result: StaticResult }> = [
  {
    name: 'test_simple_text',
    description: 'Returns a simple text response.',
    inputSchema: NO_ARGS,
    result: { content: [{ type: 'text', text: 'This is a simple text response for testing.' }] },
  },
  {
    name: 'test_image_content',
    description: 'Returns a 1x1 red PNG image.',
    inputSchema: NO_ARGS,
    result: { content: [{ type: 'image', data: PNG_BASE64, mimeType: 'image/png' }] },
  },
  {
    name: 'test_audio_content',
    description: 'Returns a short WAV tone.',
    inputSchema: NO_ARGS,
    result: { content: [{ type: 'audio', data: WAV_BASE64, mimeType: 'audio/wav' }] },
  },
  {
    name: 'test_embedded_resource',
    description: 'Returns an embedded text resource.',
    inputSchema: NO_ARGS,
    result: {
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
    },
  },
  {
    name: 'test_multiple_content_types',
    description: 'Returns text, image and resource content together.',
    inputSchema: NO_ARGS,
    result: {
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
    },
  },
];

/** The tools that run over time or ask the client; each SDK side supplies the behaviour. */
export const TOOL_INFO = {
  logging: {
    name: 'test_tool_with_logging',
    description: 'Sends three info log notifications while it runs.',
    inputSchema: NO_ARGS,
  },
  error: {
    name: 'test_error_handling',
    description: 'Always fails, to test error reporting.',
    inputSchema: NO_ARGS,
  },
  progress: {
    name: 'test_tool_with_progress',
    description: 'Reports progress 0, 50 and 100 of 100.',
    inputSchema: NO_ARGS,
  },
  sampling: {
    name: 'test_sampling',
    description: "Asks the client's model to answer a prompt.",
    inputSchema: {
      type: 'object',
      properties: { prompt: { type: 'string', description: 'The prompt to send to the LLM' } },
      required: ['prompt'],
    },
  },
  jsonSchema2020: {
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
  },
  reconnection: {
    name: 'test_reconnection',
    description:
      'Closes its SSE stream mid-call (when the client can resume) and answers after the client reconnects.',
    inputSchema: NO_ARGS,
  },
} satisfies Record<string, ConformanceToolInfo>;

/** What the tools say, in the order they say it. */
export const TOOL_TEXT = {
  logging: ['Tool execution started', 'Tool processing data', 'Tool execution completed'],
  loggingDone: 'Tool with logging executed successfully',
  error: 'This tool intentionally returns an error for testing',
  progressDone: 'Tool with progress executed successfully',
  reconnectionDone: 'Reconnection test completed successfully',
  /** The pause between two notifications of the logging and progress tools. */
  stepMs: 50,
  sampledPrompt: (prompt: string) => ({
    messages: [{ role: 'user' as const, content: { type: 'text' as const, text: prompt } }],
    maxTokens: 100,
  }),
  sampled: (answer: string | undefined) => `LLM response: ${answer ?? '(no text)'}`,
  received: (args: unknown) => `Received: ${JSON.stringify(args)}`,
};

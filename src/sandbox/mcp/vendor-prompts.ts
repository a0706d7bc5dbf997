import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import type { GetPromptResult, Prompt } from '@modelcontextprotocol/sdk/types.js';
import type { VendorActivity } from './activity';
import { PNG_BASE64 } from './media';

type Args = Record<string, string>;

interface SandboxPrompt extends Prompt {
  render: (args: Args, activity: VendorActivity) => GetPromptResult;
}

const PROMPTS: SandboxPrompt[] = [
  {
    name: 'test_simple_prompt',
    description: 'A simple prompt without arguments',
    render: () => ({
      messages: [
        { role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } },
      ],
    }),
  },
  {
    name: 'test_prompt_with_arguments',
    description: 'A prompt with two required arguments',
    arguments: [
      { name: 'arg1', description: 'First test argument', required: true },
      { name: 'arg2', description: 'Second test argument', required: true },
    ],
    render: (args) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text: `Prompt with arguments: arg1='${args['arg1']}', arg2='${args['arg2']}'`,
          },
        },
      ],
    }),
  },
  {
    name: 'test_prompt_with_embedded_resource',
    description: 'A prompt that embeds a resource',
    arguments: [
      { name: 'resourceUri', description: 'URI of the resource to embed', required: true },
    ],
    render: (args) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'resource',
            resource: {
              uri: args['resourceUri'] ?? '',
              mimeType: 'text/plain',
              text: 'Embedded resource content for testing.',
            },
          },
        },
        {
          role: 'user',
          content: { type: 'text', text: 'Please process the embedded resource above.' },
        },
      ],
    }),
  },
  {
    name: 'test_prompt_with_image',
    description: 'A prompt with an image',
    render: () => ({
      messages: [
        { role: 'user', content: { type: 'image', data: PNG_BASE64, mimeType: 'image/png' } },
        { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
      ],
    }),
  },
  {
    name: 'key_usage_report',
    title: 'Key usage report',
    description: 'Asks the model to summarise how one vendor key was used',
    arguments: [
      { name: 'keyId', description: 'Id of the vendor key', required: true },
      { name: 'days', description: 'How many days back (default 7)', required: false },
    ],
    render: (args, activity) => ({
      description: `Usage of key ${args['keyId']} at ${activity.vendor}`,
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text:
              `Summarise how the ${activity.vendor} key ${args['keyId']} was used over the last ` +
              `${args['days'] ?? '7'} days, from this activity log:\n` +
              JSON.stringify(activity.snapshot().recent.filter((e) => e.keyId === args['keyId'])),
          },
        },
      ],
    }),
  },
];

const WORDS = ['paris', 'park', 'party', 'test', 'testValue1', 'testValue2'];

function candidates(ref: string, argument: string, activity: VendorActivity): string[] {
  if (ref === 'prompt:test_prompt_with_arguments') return WORDS;
  if (ref === 'prompt:key_usage_report' && argument === 'keyId') return activity.seenKeyIds();
  if (ref === 'prompt:key_usage_report' && argument === 'days') return ['1', '7', '30'];
  if (ref === 'resource:test://template/{id}/data') return ['1', '2', '3', '123'];
  return [];
}

export function servePrompts(server: Server, activity: VendorActivity): void {
  server.setRequestHandler(ListPromptsRequestSchema, () => ({
    prompts: PROMPTS.map(({ render: _render, ...prompt }) => prompt),
  }));
  server.setRequestHandler(GetPromptRequestSchema, (request) => {
    const prompt = PROMPTS.find((p) => p.name === request.params.name);
    if (!prompt) {
      throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${request.params.name}`);
    }
    const args = request.params.arguments ?? {};
    const missing = (prompt.arguments ?? []).filter((a) => a.required && !(a.name in args));
    if (missing.length > 0) {
      const names = missing.map((a) => a.name).join(', ');
      throw new McpError(ErrorCode.InvalidParams, `Prompt ${prompt.name} needs: ${names}`);
    }
    return prompt.render(args, activity);
  });
  server.setRequestHandler(CompleteRequestSchema, (request) => {
    const { ref, argument } = request.params;
    const key = ref.type === 'ref/prompt' ? `prompt:${ref.name}` : `resource:${ref.uri}`;
    const values = candidates(key, argument.name, activity).filter((v) =>
      v.toLowerCase().startsWith(argument.value.toLowerCase()),
    );
    return { completion: { values: values.slice(0, 100), total: values.length, hasMore: false } };
  });
}

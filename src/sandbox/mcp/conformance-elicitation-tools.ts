import type { ElicitRequestFormParams } from '@modelcontextprotocol/sdk/types.js';
import { argString, text, toolError } from './tool-kit';
import type { SandboxTool, ToolContext } from './tool-kit';

// The conformance suite's elicitation tools: plain form input, defaults (SEP-1034) and every
// enum form (SEP-1330).

const NO_ARGS = { type: 'object' as const, properties: {} };

type RequestedSchema = ElicitRequestFormParams['requestedSchema'];

async function elicit(
  ctx: ToolContext,
  message: string,
  requestedSchema: RequestedSchema,
): Promise<{ action: string; content: unknown } | string> {
  try {
    const result = await ctx.server.elicitInput(
      { message, requestedSchema },
      { relatedRequestId: ctx.extra.requestId, signal: ctx.extra.signal },
    );
    return { action: result.action, content: result.content ?? {} };
  } catch (error) {
    return `Elicitation failed: ${(error as Error).message}`;
  }
}

function elicitationResult(
  outcome: { action: string; content: unknown } | string,
  prefix: string,
): ReturnType<typeof text> {
  if (typeof outcome === 'string') return toolError(outcome);
  return text(`${prefix}: action=${outcome.action}, content=${JSON.stringify(outcome.content)}`);
}

const SEP1034_SCHEMA: RequestedSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', description: 'User name', default: 'John Doe' },
    age: { type: 'integer', description: 'User age', default: 30 },
    score: { type: 'number', description: 'User score', default: 95.5 },
    status: {
      type: 'string',
      description: 'User status',
      enum: ['active', 'inactive', 'pending'],
      default: 'active',
    },
    verified: { type: 'boolean', description: 'Verification status', default: true },
  },
  required: [],
};

const SEP1330_SCHEMA = {
  type: 'object',
  properties: {
    untitledSingle: { type: 'string', enum: ['option1', 'option2', 'option3'] },
    titledSingle: {
      type: 'string',
      oneOf: [
        { const: 'value1', title: 'First Option' },
        { const: 'value2', title: 'Second Option' },
        { const: 'value3', title: 'Third Option' },
      ],
    },
    legacyEnum: {
      type: 'string',
      enum: ['opt1', 'opt2', 'opt3'],
      enumNames: ['Option One', 'Option Two', 'Option Three'],
    },
    untitledMulti: {
      type: 'array',
      items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
    },
    titledMulti: {
      type: 'array',
      items: {
        anyOf: [
          { const: 'value1', title: 'First Choice' },
          { const: 'value2', title: 'Second Choice' },
          { const: 'value3', title: 'Third Choice' },
        ],
      },
    },
  },
  required: [],
} as RequestedSchema;

export const elicitationTools: SandboxTool[] = [
  {
    name: 'test_elicitation',
    description: 'Asks the user for a username and email (elicitation).',
    inputSchema: {
      type: 'object',
      properties: { message: { type: 'string', description: 'The message to show the user' } },
      required: ['message'],
    },
    run: async (args, ctx) =>
      elicitationResult(
        await elicit(ctx, argString(args, 'message'), {
          type: 'object',
          properties: {
            username: { type: 'string', description: "User's response" },
            email: { type: 'string', description: "User's email address" },
          },
          required: ['username', 'email'],
        }),
        'User response',
      ),
  },
  {
    name: 'test_elicitation_sep1034_defaults',
    description: 'Elicitation whose fields carry default values (SEP-1034).',
    inputSchema: NO_ARGS,
    run: async (_args, ctx) =>
      elicitationResult(
        await elicit(ctx, 'Please review and update the form fields with defaults', SEP1034_SCHEMA),
        'Elicitation completed',
      ),
  },
  {
    name: 'test_elicitation_sep1330_enums',
    description: 'Elicitation with every enum form (SEP-1330).',
    inputSchema: NO_ARGS,
    run: async (_args, ctx) =>
      elicitationResult(
        await elicit(ctx, 'Please select options from the enum fields', SEP1330_SCHEMA),
        'Elicitation completed',
      ),
  },
];

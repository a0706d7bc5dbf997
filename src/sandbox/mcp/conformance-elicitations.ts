// The conformance suite's elicitation tools: plain form input, defaults (SEP-1034) and every
// enum form (SEP-1330), as data both SDK sandboxes ask from (conformance-elicitation-tools.ts on
// the SDK v1, modern/modern-conformance-tools.ts on the SDK v2).
import type { ElicitRequestFormParams } from '@modelcontextprotocol/sdk/types.js';
import type { ConformanceToolInfo } from './conformance-content';

export type RequestedSchema = ElicitRequestFormParams['requestedSchema'];

const USER_SCHEMA: RequestedSchema = {
  type: 'object',
  properties: {
    username: { type: 'string', description: "User's response" },
    email: { type: 'string', description: "User's email address" },
  },
  required: ['username', 'email'],
};

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

export interface ConformanceElicitation extends ConformanceToolInfo {
  /** What the tool asks the user, from the call's arguments. */
  ask(args: Record<string, unknown>): { message: string; requestedSchema: RequestedSchema };
  /** The answer's first words: `<prefix>: action=…, content=…`. */
  prefix: string;
}

const NO_ARGS = { type: 'object' as const, properties: {} };

export const ELICITATIONS: ConformanceElicitation[] = [
  {
    name: 'test_elicitation',
    description: 'Asks the user for a username and email (elicitation).',
    inputSchema: {
      type: 'object',
      properties: { message: { type: 'string', description: 'The message to show the user' } },
      required: ['message'],
    },
    ask: (args) => ({ message: String(args.message), requestedSchema: USER_SCHEMA }),
    prefix: 'User response',
  },
  {
    name: 'test_elicitation_sep1034_defaults',
    description: 'Elicitation whose fields carry default values (SEP-1034).',
    inputSchema: NO_ARGS,
    ask: () => ({
      message: 'Please review and update the form fields with defaults',
      requestedSchema: SEP1034_SCHEMA,
    }),
    prefix: 'Elicitation completed',
  },
  {
    name: 'test_elicitation_sep1330_enums',
    description: 'Elicitation with every enum form (SEP-1330).',
    inputSchema: NO_ARGS,
    ask: () => ({
      message: 'Please select options from the enum fields',
      requestedSchema: SEP1330_SCHEMA,
    }),
    prefix: 'Elicitation completed',
  },
];

/** The tool's answer once the user has answered. */
export function elicitationText(
  prefix: string,
  outcome: { action: string; content?: unknown },
): string {
  return `${prefix}: action=${outcome.action}, content=${JSON.stringify(outcome.content ?? {})}`;
}

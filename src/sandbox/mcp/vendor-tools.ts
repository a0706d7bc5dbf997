import { abortReason, argInt, argString, sampledText, sleep, text, toolError } from './tool-kit';
import type { SandboxTool } from './tool-kit';

const NO_ARGS = { type: 'object' as const, properties: {} };
export const MAX_BIG_BYTES = 16 * 1024 * 1024;

/**
 * `bytes` bytes of numbered 10-byte lines ("000000001\n", "000000002\n", …), so a reader can
 * tell a dropped, duplicated or reordered chunk from an intact stream.
 */
export function numberedLines(bytes: number): string {
  const lines: string[] = [];
  for (let i = 1; i * 10 <= bytes + 9; i++) lines.push(`${String(i).padStart(9, '0')}\n`);
  return lines.join('').slice(0, bytes);
}

/** The tools a sandbox vendor offers its agents, with a little realism. */
export const vendorTools: SandboxTool[] = [
  {
    name: 'whoami',
    description: 'Which vendor key and MCP session served this call.',
    inputSchema: NO_ARGS,
    run: (_args, ctx) =>
      Promise.resolve(
        text(
          JSON.stringify({
            vendor: ctx.vendor,
            keyId: ctx.caller?.keyId ?? null,
            label: ctx.caller?.label ?? null,
            sessionId: ctx.sessionId ?? null,
          }),
        ),
      ),
  },
  {
    name: 'echo',
    description: 'Returns the given text unchanged.',
    inputSchema: {
      type: 'object',
      properties: { text: { type: 'string', description: 'Text to return' } },
      required: ['text'],
    },
    run: (args) => Promise.resolve(text(argString(args, 'text'))),
  },
  {
    name: 'slow',
    description:
      'Works through `steps` steps of `delayMs` each, reporting progress per step when asked; stops early when cancelled.',
    inputSchema: {
      type: 'object',
      properties: {
        steps: { type: 'integer', minimum: 1, maximum: 1000, default: 5 },
        delayMs: { type: 'integer', minimum: 0, maximum: 10000, default: 100 },
      },
    },
    run: async (args, ctx) => {
      const steps = argInt(args, 'steps', { min: 1, max: 1000, fallback: 5 });
      const delayMs = argInt(args, 'delayMs', { min: 0, max: 10_000, fallback: 100 });
      for (let step = 1; step <= steps; step++) {
        try {
          await sleep(delayMs, ctx.extra.signal);
        } catch {
          const reason = abortReason(ctx.extra.signal).message;
          throw new Error(`stopped after ${step - 1} of ${steps} steps: ${reason}`);
        }
        await ctx.progress(step, steps, `step ${step} of ${steps}`);
        await ctx.log('debug', `slow: step ${step} of ${steps} done`);
      }
      return text(`completed ${steps} steps`);
    },
  },
  {
    name: 'ask',
    description:
      'Asks the user a question through the client (elicitation) and returns the answer.',
    inputSchema: {
      type: 'object',
      properties: { question: { type: 'string', description: 'What to ask the user' } },
    },
    run: async (args, ctx) => {
      const question = argString(args, 'question', 'Which environment is this key for?');
      let result;
      try {
        result = await ctx.server.elicitInput(
          {
            message: question,
            requestedSchema: {
              type: 'object',
              properties: { answer: { type: 'string', title: 'Answer', description: question } },
              required: ['answer'],
            },
          },
          { relatedRequestId: ctx.extra.requestId, signal: ctx.extra.signal },
        );
      } catch (error) {
        return toolError(`Could not ask the user: ${(error as Error).message}`);
      }
      return text(JSON.stringify({ action: result.action, answer: result.content?.['answer'] }));
    },
  },
  {
    name: 'sample',
    description: "Asks the client's model to answer a prompt (sampling) and returns the answer.",
    inputSchema: {
      type: 'object',
      properties: { prompt: { type: 'string', description: 'Prompt for the model' } },
      required: ['prompt'],
    },
    run: async (args, ctx) => {
      const prompt = argString(args, 'prompt');
      let result;
      try {
        result = await ctx.server.createMessage(
          { messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 200 },
          { relatedRequestId: ctx.extra.requestId, signal: ctx.extra.signal },
        );
      } catch (error) {
        return toolError(`Could not sample the client's model: ${(error as Error).message}`);
      }
      const answer = sampledText(result.content);
      if (answer === undefined) return toolError('The model answered with no text');
      return text(answer);
    },
  },
  {
    name: 'big',
    description: 'Returns a text result of exactly `bytes` bytes (numbered 10-byte lines).',
    inputSchema: {
      type: 'object',
      properties: { bytes: { type: 'integer', minimum: 0, maximum: MAX_BIG_BYTES } },
      required: ['bytes'],
    },
    run: (args) => {
      const bytes = argInt(args, 'bytes', { min: 0, max: MAX_BIG_BYTES });
      return Promise.resolve(text(numberedLines(bytes)));
    },
  },
];

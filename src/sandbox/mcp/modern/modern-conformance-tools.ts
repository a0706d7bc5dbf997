// The conformance server suite's tools on the MCP SDK v2, for both protocol eras from one
// factory: a tool that needs the client (sampling, elicitation) asks with a server-initiated
// request on a 2025 request and with an `input_required` result on a 2026-07-28 request (where
// the push-style request no longer exists). Names, schemas and texts are the SDK v1 sandbox's
// (../conformance-content.ts, ../conformance-elicitations.ts); only the behaviour is here.
import type { CallToolResult, McpServer, ServerContext } from '@modelcontextprotocol/server';
import { fromJsonSchema, inputRequired, inputResponse } from '@modelcontextprotocol/server';
import { STATIC_TOOLS, TOOL_INFO, TOOL_TEXT } from '../conformance-content';
import type { ConformanceToolInfo } from '../conformance-content';
import { ELICITATIONS, elicitationText } from '../conformance-elicitations';
import type { ConformanceElicitation } from '../conformance-elicitations';
import { sampledText, sleep } from '../tool-kit';

type Handler = (args: Record<string, unknown>, ctx: ServerContext) => unknown;

function text(value: string): CallToolResult {
  return { content: [{ type: 'text', text: value }] };
}

function failed(what: string, error: unknown): CallToolResult {
  return {
    content: [{ type: 'text', text: `${what} failed: ${(error as Error).message}` }],
    isError: true,
  };
}

/** A 2026-07-28 request carries the per-request envelope; a 2025 one never does. */
function isModern(ctx: ServerContext): boolean {
  return ctx.mcpReq.envelope !== undefined;
}

/** Registers a tool by its shared name, description and JSON Schema. */
function register(server: McpServer, info: ConformanceToolInfo, run: Handler): void {
  server.registerTool(
    info.name,
    {
      description: info.description,
      inputSchema: fromJsonSchema<Record<string, unknown>>(info.inputSchema),
    },
    (args, ctx) => run(args, ctx) as CallToolResult | Promise<CallToolResult>,
  );
}

async function progress(ctx: ServerContext, value: number, total: number): Promise<void> {
  const progressToken = ctx.mcpReq._meta?.progressToken;
  if (progressToken === undefined) return;
  await ctx.mcpReq.notify({
    method: 'notifications/progress',
    params: { progressToken, progress: value, total },
  });
}

function elicitation(server: McpServer, spec: ConformanceElicitation): void {
  register(server, spec, async (args, ctx) => {
    const asked = spec.ask(args);
    if (!isModern(ctx)) {
      try {
        return text(elicitationText(spec.prefix, await ctx.mcpReq.elicitInput(asked)));
      } catch (error) {
        return failed('Elicitation', error);
      }
    }
    const answer = inputResponse(ctx.mcpReq.inputResponses, 'form');
    if (answer.kind !== 'elicit')
      return inputRequired({
        inputRequests: { form: { method: 'elicitation/create', params: asked } },
      });
    return text(elicitationText(spec.prefix, answer));
  });
}

export function registerConformanceTools(server: McpServer): void {
  for (const { result, ...info } of STATIC_TOOLS) register(server, info, () => result);
  register(server, TOOL_INFO.logging, async (_args, ctx) => {
    for (const [i, message] of TOOL_TEXT.logging.entries()) {
      if (i > 0) await sleep(TOOL_TEXT.stepMs, ctx.mcpReq.signal);
      await ctx.mcpReq.log('info', message);
    }
    return text(TOOL_TEXT.loggingDone);
  });
  register(server, TOOL_INFO.error, () => {
    throw new Error(TOOL_TEXT.error);
  });
  register(server, TOOL_INFO.progress, async (_args, ctx) => {
    for (const [i, value] of [0, 50, 100].entries()) {
      if (i > 0) await sleep(TOOL_TEXT.stepMs, ctx.mcpReq.signal);
      await progress(ctx, value, 100);
    }
    return text(TOOL_TEXT.progressDone);
  });
  register(server, TOOL_INFO.sampling, async (args, ctx) => {
    const request = TOOL_TEXT.sampledPrompt(String(args.prompt));
    if (!isModern(ctx)) {
      try {
        return text(
          TOOL_TEXT.sampled(sampledText((await ctx.mcpReq.requestSampling(request)).content)),
        );
      } catch (error) {
        return failed('Sampling', error);
      }
    }
    const answer = inputResponse(ctx.mcpReq.inputResponses, 'llm');
    if (answer.kind !== 'sampling')
      return inputRequired({ inputRequests: { llm: inputRequired.createMessage(request) } });
    return text(TOOL_TEXT.sampled(sampledText(answer.result.content)));
  });
  register(server, TOOL_INFO.jsonSchema2020, (args) => text(TOOL_TEXT.received(args)));
  register(server, TOOL_INFO.reconnection, async (_args, ctx) => {
    // A 2025 server with an event store may close the stream mid-call; this one answers on it.
    await sleep(100, ctx.mcpReq.signal);
    return text(TOOL_TEXT.reconnectionDone);
  });
  for (const spec of ELICITATIONS) elicitation(server, spec);
}

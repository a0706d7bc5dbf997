import { argString, sampledText, sleep, text, toolError } from './tool-kit';
import type { SandboxTool } from './tool-kit';
import { STATIC_TOOLS, TOOL_INFO, TOOL_TEXT } from './conformance-content';
import { elicitationTools } from './conformance-elicitation-tools';

// The tools the @modelcontextprotocol/conformance server suite calls, on the SDK v1, by the
// names and shapes its scenarios expect (conformance-content.ts). A faithful vendor sandbox
// passes that suite, so the proxy can be held to "passes whatever the upstream passes".

export const conformanceTools: SandboxTool[] = [
  ...STATIC_TOOLS.map(({ result, ...info }): SandboxTool => ({
    ...info,
    run: () => Promise.resolve(result),
  })),
  {
    ...TOOL_INFO.logging,
    run: async (_args, ctx) => {
      for (const [i, message] of TOOL_TEXT.logging.entries()) {
        if (i > 0) await sleep(TOOL_TEXT.stepMs, ctx.extra.signal);
        await ctx.log('info', message);
      }
      return text(TOOL_TEXT.loggingDone);
    },
  },
  {
    ...TOOL_INFO.error,
    run: () => Promise.reject(new Error(TOOL_TEXT.error)),
  },
  {
    ...TOOL_INFO.progress,
    run: async (_args, ctx) => {
      for (const [i, value] of [0, 50, 100].entries()) {
        if (i > 0) await sleep(TOOL_TEXT.stepMs, ctx.extra.signal);
        await ctx.progress(value, 100);
      }
      return text(TOOL_TEXT.progressDone);
    },
  },
  {
    ...TOOL_INFO.sampling,
    run: async (args, ctx) => {
      const prompt = argString(args, 'prompt');
      try {
        const result = await ctx.server.createMessage(TOOL_TEXT.sampledPrompt(prompt), {
          relatedRequestId: ctx.extra.requestId,
          signal: ctx.extra.signal,
        });
        return text(TOOL_TEXT.sampled(sampledText(result.content)));
      } catch (error) {
        return toolError(`Sampling failed: ${(error as Error).message}`);
      }
    },
  },
  {
    ...TOOL_INFO.jsonSchema2020,
    run: (args) => Promise.resolve(text(TOOL_TEXT.received(args))),
  },
  {
    ...TOOL_INFO.reconnection,
    run: async (_args, ctx) => {
      // Only offered by the SDK when an event store is set and the client can resume
      // (protocol >= 2025-11-25); otherwise the answer simply arrives on the open stream.
      if (ctx.extra.closeSSEStream) {
        await sleep(50, ctx.extra.signal);
        ctx.extra.closeSSEStream();
      }
      await sleep(100, ctx.extra.signal);
      return text(TOOL_TEXT.reconnectionDone);
    },
  },
  ...elicitationTools,
];

import { argString, text, toolError } from './tool-kit';
import type { SandboxTool } from './tool-kit';
import { ELICITATIONS, elicitationText } from './conformance-elicitations';

// The conformance suite's elicitation tools on the SDK v1: each asks with a server-initiated
// `elicitation/create` request on the call's stream.

export const elicitationTools: SandboxTool[] = ELICITATIONS.map((spec) => ({
  name: spec.name,
  description: spec.description,
  inputSchema: spec.inputSchema,
  run: async (args, ctx) => {
    // A missing or non-string argument is a tool error the model can read and correct.
    for (const name of spec.inputSchema.required ?? []) argString(args, name);
    try {
      const result = await ctx.server.elicitInput(spec.ask(args), {
        relatedRequestId: ctx.extra.requestId,
        signal: ctx.extra.signal,
      });
      return text(elicitationText(spec.prefix, result));
    } catch (error) {
      return toolError(`Elicitation failed: ${(error as Error).message}`);
    }
  },
}));

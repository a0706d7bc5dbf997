import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  LoggingLevelSchema,
  McpError,
  SetLevelRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult, LoggingLevel } from '@modelcontextprotocol/sdk/types.js';
import type { VendorActivity } from './activity';
import { conformanceTools } from './conformance-tools';
import { callerFromAuthInfo } from './http-guard';
import { toolError } from './tool-kit';
import type { HandlerExtra, SandboxTool, ToolContext } from './tool-kit';
import { vendorTools } from './vendor-tools';
import { servePrompts } from './vendor-prompts';
import { serveResources } from './vendor-resources';

const TOOLS = new Map<string, SandboxTool>(
  [...vendorTools, ...conformanceTools].map((tool) => [tool.name, tool]),
);
const SEVERITY = LoggingLevelSchema.options;

export interface VendorServer {
  server: Server;
  /** Stop sending this session resource updates; the session is over. */
  dispose(): void;
}

/**
 * One MCP server per session (the SDK binds a Server to one transport). The low-level Server is
 * used on purpose: tool input schemas are served exactly as written (JSON Schema 2020-12 keywords
 * included), which the zod-based McpServer cannot do.
 */
export function createVendorServer(activity: VendorActivity): VendorServer {
  const vendor = activity.vendor;
  const server = new Server(
    { name: `${vendor.toLowerCase()}-sandbox`, title: `${vendor} (sandbox)`, version: '1.0.0' },
    {
      capabilities: {
        tools: { listChanged: false },
        resources: { subscribe: true, listChanged: false },
        prompts: { listChanged: false },
        logging: {},
        completions: {},
      },
      instructions: `Local sandbox of ${vendor}'s MCP server. Call whoami to see which key served you.`,
    },
  );

  // The level is per session, as logging/setLevel is; unset means every level is sent.
  let minLevel: LoggingLevel | undefined;
  server.setRequestHandler(SetLevelRequestSchema, (request) => {
    minLevel = request.params.level;
    return {};
  });

  const contextFor = (extra: HandlerExtra): ToolContext => ({
    vendor,
    caller: callerFromAuthInfo(extra.authInfo),
    sessionId: extra.sessionId,
    server,
    extra,
    log: async (level, data) => {
      if (minLevel && SEVERITY.indexOf(level) < SEVERITY.indexOf(minLevel)) return;
      await extra.sendNotification({
        method: 'notifications/message',
        params: { level, logger: vendor, data },
      });
    },
    progress: async (progress, total, message) => {
      const progressToken = extra._meta?.progressToken;
      if (progressToken === undefined) return;
      await extra.sendNotification({
        method: 'notifications/progress',
        params: { progressToken, progress, total, ...(message ? { message } : {}) },
      });
    },
  });

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: [...TOOLS.values()].map(({ name, title, description, inputSchema }) => ({
      name,
      ...(title ? { title } : {}),
      description,
      inputSchema,
    })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = TOOLS.get(request.params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    const ctx = contextFor(extra);
    let result: CallToolResult;
    try {
      result = await tool.run(request.params.arguments ?? {}, ctx);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (extra.signal.aborted) {
        activity.record(tool.name, ctx.caller, ctx.sessionId, 'cancelled', message);
        throw error;
      }
      // A failing tool (bad arguments included) is a result the model can read, not a protocol error.
      result = toolError(message);
    }
    activity.record(tool.name, ctx.caller, ctx.sessionId, result.isError ? 'error' : 'ok');
    return result;
  });

  const stopResources = serveResources(server, activity);
  servePrompts(server, activity);
  return { server, dispose: stopResources };
}

import type { SandboxVendorDef } from '../sandbox-vendor';
import { createModernEndpoint } from '../modern/modern-endpoint';
import { modernVendorServer } from '../modern/modern-vendor';
import { customSandbox } from './custom';

/**
 * An MCP server that speaks only MCP 2026-07-28 (the SDK v2 server of modern/modern-vendor.ts):
 * no `initialize`, no session. To Keyway it is a custom server (`--vendor custom`) reading a
 * bearer key, so it is the custom sandbox (keys made on its dashboard page, `/admin/keys`) with
 * this server at `/mcp` and no legacy HTTP+SSE endpoint. A revoked key is refused at once and
 * cut from the streams it holds open.
 */
export const modernSandbox: SandboxVendorDef = {
  ...customSandbox({ header: 'Authorization', prefix: 'Bearer ' }),
  legacySsePath: undefined,
  createMcpEndpoint: (opts) =>
    createModernEndpoint({
      era: 'modern',
      factory: () => modernVendorServer(() => 0),
      authenticate: (req) => opts.authenticate(req),
      keepAliveMs: 0,
    }),
};

import type { SandboxVendor } from './sandbox-vendor';

/**
 * Where the sandbox runs a vendor: each vendor Keyway knows, and `modern`, a server that speaks
 * only MCP 2026-07-28 (to Keyway a custom server; vendors/modern.ts).
 */
export type SandboxSite = SandboxVendor | 'modern';

/** The MCP revisions each site's server speaks (the SDK v1 ones: 2025-11-25 and earlier). */
export const SANDBOX_ERAS: Record<SandboxSite, string> = {
  qyvo: '2025-11-25',
  quave: '2025-11-25',
  qwoty: '2025-11-25',
  specivo: '2025-11-25',
  custom: '2025-11-25',
  modern: '2026-07-28 only',
};

import type { AuthScheme } from '../../../shared/domain';

/**
 * What the service needs from a vendor adapter. The adapters in `../vendors` satisfy it
 * structurally; keeping the seam narrow lets the service be tested against any of them.
 */
export interface VendorFacts {
  displayName: string;
  defaults: { apiUrl: string; mcpUrl: string };
  defaultAuth: AuthScheme;
  checkFormat(secret: string): { ok: true; warnings: string[] } | { ok: false; reason: string };
}

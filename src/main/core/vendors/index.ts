import type { VendorId } from '../../../shared/domain';
import type { VendorAdapter } from './vendor-adapter';
import { customAdapter } from './custom';
import { quaveAdapter } from './quave';
import { qwotyAdapter } from './qwoty';
import { qyvoAdapter } from './qyvo';
import { specivoAdapter } from './specivo';

export const VENDOR_ADAPTERS: Readonly<Record<VendorId, VendorAdapter>> = {
  qyvo: qyvoAdapter,
  quave: quaveAdapter,
  qwoty: qwotyAdapter,
  specivo: specivoAdapter,
  custom: customAdapter,
};

export function vendorAdapter(id: VendorId): VendorAdapter {
  const adapter = VENDOR_ADAPTERS[id];
  if (!adapter) throw new Error(`Unknown vendor "${String(id)}"`);
  return adapter;
}

export type * from './vendor-adapter';
export { VendorError, isVendorError } from './vendor-error';
export type { VendorErrorKind } from './vendor-error';
export { probeMcp } from './mcp-probe';
export type { McpProbeResult } from './mcp-probe';
export { VENDOR_HTTP_DEFAULTS } from './vendor-http';
export { placedVendors } from './vendor-places';
export type { VendorPlace, VendorPlaces } from './vendor-places';

import type { AuthScheme, VendorId } from '../../../shared/domain';
import type { GuidedSteps, VendorAdapter, VendorEndpoint } from './vendor-adapter';

/**
 * Where this instance runs a vendor itself: `keyway serve --sandbox` (and so `npm run demo`)
 * starts a local sandbox of each vendor, and everything that names the vendor's host or pages
 * should name the sandbox's instead — the wizard's defaults, the account.add defaults, every
 * "open the dashboard" link — since the real vendor is not what the demo talks to.
 */
export interface VendorPlace {
  apiUrl: string;
  mcpUrl: string;
  /** The sandbox's key page; null when this sandbox vendor serves none (the UI then says so). */
  dashboardUrl: string | null;
  /** How the sandbox reads a key (the sandbox Custom server's header is not the adapter's default). */
  auth: AuthScheme;
}

export type VendorPlaces = Partial<Record<VendorId, VendorPlace>>;

/**
 * The adapters as this instance sees them: a vendor with a place gets the place's URLs as its
 * defaults, and its guided steps name the place's page for an account on the place's server. An
 * account elsewhere (the real vendor, a self-hosted one) keeps the adapter's own answer.
 */
export function placedVendors(
  base: (id: VendorId) => VendorAdapter,
  places: VendorPlaces,
): (id: VendorId) => VendorAdapter {
  const placed = new Map<VendorId, VendorAdapter>();
  for (const [id, place] of Object.entries(places) as Array<[VendorId, VendorPlace]>)
    placed.set(id, atPlace(base(id), place));
  return (id) => placed.get(id) ?? base(id);
}

function atPlace(adapter: VendorAdapter, place: VendorPlace): VendorAdapter {
  // The server the account talks to decides (a Custom account's API URL means nothing).
  const origin = new URL(place.mcpUrl).origin;
  const there = adapter.guided && {
    ...adapter.guided,
    dashboardUrl: place.dashboardUrl,
    sandbox: true,
  };
  const elsewhere = (ep: VendorEndpoint): GuidedSteps | null =>
    adapter.guidedFor ? adapter.guidedFor(ep) : adapter.guided;
  return {
    ...adapter,
    defaults: { apiUrl: place.apiUrl, mcpUrl: place.mcpUrl },
    guided: there,
    guidedFor: (ep) => (sameOrigin(ep.mcpUrl, origin) ? there : elsewhere(ep)),
    sandbox: { auth: { ...place.auth } },
  };
}

function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

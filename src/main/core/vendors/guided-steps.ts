import type { GuidedSteps, VendorEndpoint } from './vendor-adapter';

/**
 * The documented dashboard lives on the vendor's own host; an account pointed at another host (the
 * sandbox, a self-hosted install) has its dashboard at the same path there.
 */
export function guidedOnHost(guided: GuidedSteps, ep: VendorEndpoint): GuidedSteps {
  const doc = new URL(guided.dashboardUrl);
  const host = new URL(ep.apiUrl);
  if (doc.origin === host.origin) return guided;
  return { ...guided, dashboardUrl: new URL(doc.pathname + doc.search, host.origin).href };
}

import type { GuidedSteps, VendorEndpoint } from './vendor-adapter';

/**
 * The documented dashboard lives on the vendor's own host; an account pointed at another host (the
 * sandbox, a self-hosted install) has its dashboard at the same path there.
 */
export function guidedOnHost(guided: GuidedSteps, ep: VendorEndpoint): GuidedSteps {
  if (guided.dashboardUrl === null) return guided;
  const doc = new URL(guided.dashboardUrl);
  const host = new URL(ep.apiUrl);
  if (doc.origin === host.origin) return guided;
  return { ...guided, dashboardUrl: new URL(doc.pathname + doc.search, host.origin).href };
}

/** The steps as one sentence for a message, with the page to do them on when Keyway knows it. */
export function stepsWithPage(guided: GuidedSteps, which: 'createSteps' | 'revokeSteps'): string {
  const steps = guided[which].join(' ');
  return guided.dashboardUrl ? `${steps} (${guided.dashboardUrl})` : steps;
}

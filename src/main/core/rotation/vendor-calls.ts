import { KeywayError } from '../../../shared/errors';
import type { Account } from '../../../shared/domain';
import { secretNames } from '../keychain/secret-store';
import { isVendorError } from '../vendors/vendor-error';
import type { GuidedSteps, VendorEndpoint } from '../vendors/vendor-adapter';
import type { RotationContext } from './rotation-context';

/** Where and how this account talks to its vendor (URLs are account settings). */
export function endpointFor(ctx: RotationContext, account: Account): VendorEndpoint {
  return {
    apiUrl: account.apiUrl,
    mcpUrl: account.mcpUrl,
    auth: account.auth ?? ctx.vendor(account.vendor).defaultAuth,
  };
}

/** The vendor's dashboard steps, on the account's own host (a sandbox, a self-hosted vendor). */
export function guidedSteps(ctx: RotationContext, account: Account): GuidedSteps | null {
  const adapter = ctx.vendor(account.vendor);
  return adapter.guidedFor ? adapter.guidedFor(endpointFor(ctx, account)) : adapter.guided;
}

/** The account's management credential, read from the keychain only when a call needs it. */
export async function credentialFor(
  ctx: RotationContext,
  account: Account,
  purpose: string,
): Promise<string> {
  const credential = account.hasCredential
    ? await ctx.secrets.get(secretNames.credential(ctx.secretScope, account.name))
    : undefined;
  if (!credential) {
    throw new KeywayError(
      'unsupported',
      `account "${account.name}" has no management credential to ${purpose}; add one with ` +
        `\`keyway account add ${account.name} --vendor ${account.vendor} --credential-stdin\` on a new account`,
    );
  }
  return credential;
}

/**
 * Runs a vendor call and turns its failure into the service's error: a refusal stays a refusal
 * (422, in the vendor's terms), while 5xx, timeouts and network errors say the vendor is
 * unavailable — never "invalid key".
 */
export async function vendorCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw serviceError(err);
  }
}

/** A vendor's failure as the service reports it; anything else passes through unchanged. */
export function serviceError(err: unknown): unknown {
  if (!isVendorError(err)) return err;
  const unavailable =
    err.kind === 'unavailable' || err.kind === 'timeout' || err.kind === 'network';
  return new KeywayError(unavailable ? 'vendor_unavailable' : 'vendor_refused', err.message);
}

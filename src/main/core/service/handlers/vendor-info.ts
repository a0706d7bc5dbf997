import { KeywayError } from '../../../../shared/errors';
import { VENDOR_IDS, type VendorId } from '../../../../shared/domain';
import type { VendorInfo } from '../../../../shared/contract';
import { findAccount } from '../../store/lookups';
import { guidedSteps } from '../../rotation/vendor-calls';
import type { Handlers, ServiceContext } from '../service-context';

/** What a service account is at each vendor, from its document (issue: say the limitation). */
const SERVICE_ACCOUNT_NOTES: Record<VendorId, string> = {
  qyvo: 'Qyvo has no service accounts or organization tokens: every token belongs to a person. Keyway uses a dedicated, clearly named token per agent.',
  quave:
    "A Quave service account is a dedicated MCP key with reduced scopes, minted with the team's management credential; it can never hold more scopes than that credential.",
  qwoty:
    'Qwoty has no separate service users: a service account is a dedicated API token with minimal permissions, scoped to one workspace.',
  specivo:
    'Specivo recommends a dedicated user (e.g. "agent") with the Agent role on the right projects; make an mcp-scoped key from that account.',
  custom: 'Whatever the vendor offers; Keyway records it as a dedicated key for one agent.',
};

export function vendorHandlers(
  ctx: ServiceContext,
): Pick<Handlers, 'vendor.list' | 'scope.check' | 'key.checkFormat'> {
  return {
    async 'vendor.list'() {
      return VENDOR_IDS.map((id): VendorInfo => {
        const a = ctx.vendor(id);
        return {
          id,
          displayName: a.displayName,
          defaults: { ...a.defaults, auth: { ...(a.sandbox?.auth ?? a.defaultAuth) } },
          sandbox: a.sandbox !== undefined,
          scopes: a.scopes.map((s) => ({ ...s })),
          defaultScopes: [...a.defaultScopes],
          capabilities: { ...a.capabilities },
          guided: a.guided,
          serviceAccountNote: SERVICE_ACCOUNT_NOTES[id],
        };
      });
    },

    async 'scope.check'({ account: name, scopes }) {
      const account = findAccount(ctx.store.current, name);
      const a = ctx.vendor(account.vendor);
      const normalized = a.normalizeScopes(scopes);
      const guided = guidedSteps(ctx, account);
      return {
        normalized,
        checks: a.checkScopes(normalized, account.credentialScopes),
        warnings: a.scopeWarnings(normalized),
        credentialProblems: a.capabilities.mint
          ? account.hasCredential
            ? (a.checkCredential?.(account.credentialScopes) ?? [])
            : ['this account has no management credential, so Keyway cannot mint keys with it']
          : [],
        guided,
      };
    },

    async 'key.checkFormat'({ vendor, secret }) {
      if (!secret) return { ok: false, warnings: [], reason: 'paste the key' };
      const check = ctx.vendor(vendor).checkFormat(secret);
      return check.ok
        ? { ok: true, warnings: check.warnings }
        : { ok: false, warnings: [], reason: check.reason };
    },
  };
}

export function assertScopesGrantable(
  ctx: ServiceContext,
  accountName: string,
  scopes: string[],
): string[] {
  const account = findAccount(ctx.store.current, accountName);
  const a = ctx.vendor(account.vendor);
  const normalized = a.normalizeScopes(scopes);
  const refused = a.checkScopes(normalized, account.credentialScopes).filter((c) => !c.grantable);
  if (refused.length > 0) {
    const why = refused.map((c) => `${c.scope}: ${c.reason ?? 'not grantable'}`).join('; ');
    throw new KeywayError('bad_input', why, 'scopes');
  }
  return normalized;
}

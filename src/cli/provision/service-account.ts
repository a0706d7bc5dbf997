import type { GuidedSteps, VendorInfo } from '../../shared/contract';
import type { Account } from '../../shared/domain';

/**
 * The steps that make an account a proper service account at its vendor, in the vendor's own
 * terms (Specivo's "Use a dedicated service account"; Quave's scoped MCP keys; for Qyvo and
 * Qwoty, which have no service users, a dedicated token with a clear name).
 */
export function serviceAccountChecklist(
  account: Pick<Account, 'name' | 'vendor' | 'serviceAccountInfo'>,
  vendor: VendorInfo,
  guided: GuidedSteps | null,
): string[] {
  const role = account.serviceAccountInfo?.role;
  const projects = account.serviceAccountInfo?.projects ?? [];
  const where = guided?.dashboardUrl ?? vendor.guided?.dashboardUrl ?? '';
  switch (vendor.id) {
    case 'specivo':
      return [
        'Create a separate Specivo user for the agent (for example "agent" or "claude"), so its actions and access stay apart from any person’s.',
        `Add that user to ${projects.length ? `the projects ${projects.join(', ')}` : 'the relevant projects'} with the ${role ?? 'Agent'} role${role && role !== 'Agent' ? '' : ' (built for API and automation accounts)'}; give it a read-only role where it should only look.`,
        `Sign in as that user, open Your profile → API keys (${where}) and create a key with the mcp scope; copy it, it is shown once.`,
        `Paste it into Keyway: pbpaste | keyway key add ${account.name}/agent --secret-stdin --scope mcp`,
      ];
    case 'quave':
      return [
        `Give Keyway the team's management credential (a user token, or an MCP key with quave:manage:mcp-keys and quave:read:secrets): keyway account add ${account.name} --vendor quave --credential-stdin`,
        `Mint a dedicated key with only the scopes the agent needs: keyway key create ${account.name}/agent --scope quave:read`,
        'Quave never lets a key hold more scopes than the credential that made it; Keyway checks that before any call.',
      ];
    case 'qyvo':
    case 'qwoty':
      return [
        `${vendor.displayName} has no separate service users: use a dedicated token per agent, with a name that says which (for example "keyway-claude-desktop").`,
        `Create it in ${where || `${vendor.displayName}'s dashboard`}${vendor.id === 'qwoty' ? ' with the fewest permissions the agent needs (one workspace per token)' : ''}; copy it, it is shown once.`,
        `Paste it into Keyway: pbpaste | keyway key add ${account.name}/agent --secret-stdin`,
      ];
    case 'custom':
      return [vendor.serviceAccountNote];
  }
}

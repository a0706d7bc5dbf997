import { useEffect, useState } from 'react';
import type { GuidedSteps } from '../../../shared/contract';
import { useStores } from '../../stores/hooks';

/**
 * The dashboard steps on this account's own host, as the instance answers them (scope.check:
 * the account's URL, the local sandbox's page, or none known). Null while it answers; the
 * vendor's steps from vendor.list only if it cannot (the account is gone, the instance is down).
 */
export function useGuidedSteps(
  account: string,
  scopes: string[],
  fallback: GuidedSteps | null,
): GuidedSteps | null {
  const { client } = useStores();
  const [guided, setGuided] = useState<{ for: string; steps: GuidedSteps | null } | null>(null);
  const scopeKey = scopes.join(' ');
  useEffect(() => {
    let live = true;
    client['scope.check']({ account, scopes: scopeKey ? scopeKey.split(' ') : [] }).then(
      (report) => {
        if (live) setGuided({ for: account, steps: report.guided ?? fallback });
      },
      () => {
        if (live) setGuided({ for: account, steps: fallback });
      },
    );
    return () => {
      live = false;
    };
  }, [client, account, scopeKey, fallback]);
  return guided?.for === account ? guided.steps : null;
}

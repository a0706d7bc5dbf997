import { useEffect, useState } from 'react';
import type { GuidedSteps } from '../../../shared/contract';
import { useStores } from '../../stores/hooks';

/**
 * The dashboard steps on this account's own host (scope.check answers them with the account's
 * URL, e.g. the sandbox or a self-hosted vendor); the vendor's documented ones until then.
 */
export function useGuidedSteps(
  account: string,
  scopes: string[],
  fallback: GuidedSteps | null,
): GuidedSteps | null {
  const { client } = useStores();
  const [guided, setGuided] = useState<GuidedSteps | null>(null);
  const scopeKey = scopes.join(' ');
  useEffect(() => {
    let live = true;
    client['scope.check']({ account, scopes: scopeKey ? scopeKey.split(' ') : [] }).then(
      (report) => {
        if (live && report.guided) setGuided(report.guided);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, account, scopeKey]);
  return guided ?? fallback;
}

import type { RotationService } from '../../rotation/rotation-service';
import { KeywayError } from '../../../../shared/errors';
import { lookupKey, lookupKeyAccount } from '../../store/lookups';
import type { Handlers, ServiceContext } from '../service-context';

/**
 * An OAuth account's key is its access token: Keyway replaces it at every refresh, and only a
 * new login replaces the grant behind it. Rotating it like an API key would take the guided
 * (paste a key) path of a custom vendor, which means nothing here.
 */
function refuseOAuthRotation(ctx: ServiceContext, ref: string): void {
  const account = lookupKeyAccount(ctx.store.current, ref);
  if (!account?.oauth) return;
  throw new KeywayError(
    'unsupported',
    `${ref} is an OAuth access token: Keyway refreshes it on its own. To start over with a new grant, run \`keyway account login ${account.name}\`.`,
  );
}

export function rotationHandlers(
  ctx: ServiceContext,
  rotation: RotationService,
): Pick<
  Handlers,
  'key.rotate' | 'rotation.list' | 'rotation.confirmRevoked' | 'rotation.retryRevoke'
> {
  const { engine } = rotation;
  return {
    'key.rotate': ({ ref, secret }) => {
      refuseOAuthRotation(ctx, ref);
      return engine.rotate(ref, secret);
    },
    'rotation.list': async () =>
      engine.journal
        .all()
        .filter((r) => r.kind === 'rotate' && lookupKey(ctx.store.current, r.key))
        .map((r) => rotation.view(r)),
    'rotation.confirmRevoked': async ({ ref }) => {
      await engine.confirmRevoked(ref);
      return rotation.pending(ref);
    },
    'rotation.retryRevoke': async ({ ref }) => {
      await engine.retryRevoke(ref);
      return rotation.pending(ref);
    },
  };
}

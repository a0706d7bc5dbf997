import type { RotationService } from '../rotation/rotation-service';
import type { Handlers, ServiceContext } from './service-context';

export function rotationHandlers(
  ctx: ServiceContext,
  rotation: RotationService,
): Pick<
  Handlers,
  'key.rotate' | 'rotation.list' | 'rotation.confirmRevoked' | 'rotation.retryRevoke'
> {
  const { engine } = rotation;
  return {
    'key.rotate': ({ ref, secret }) => engine.rotate(ref, secret),
    'rotation.list': async () =>
      engine.journal
        .all()
        .filter((r) => r.kind === 'rotate' && ctx.store.current.keys.some((k) => k.ref === r.key))
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

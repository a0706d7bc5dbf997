import { KeywayError } from '../../../../shared/errors';
import type { Account, Key } from '../../../../shared/domain';
import { newKeyTarget } from '../../store/lookups';
import type { RotationEngine } from '../../rotation/rotation-engine';
import { assertScopesGrantable } from './vendor-info';
import { guidedSteps } from '../../rotation/vendor-calls';
import { stepsWithPage } from '../../vendors/guided-steps';
import type { Handlers, ServiceContext } from '../service-context';

function requireMinting(ctx: ServiceContext, account: Account): void {
  const adapter = ctx.vendor(account.vendor);
  if (!adapter.capabilities.mint || !adapter.mint) {
    const guided = guidedSteps(ctx, account);
    const steps = guided
      ? ` ${stepsWithPage(guided, 'createSteps')}; then \`keyway key add\`.`
      : '';
    throw new KeywayError(
      'unsupported',
      `${adapter.displayName} has no API to create keys.${steps}`,
    );
  }
}

/**
 * `key.create`: checks what can be checked before any vendor call (the account can mint, the
 * credential can grant the scopes), then hands the new key to the rotation engine, which mints,
 * stores and verifies it with the same journaled steps as a rotation.
 */
export function keyCreateHandler(
  ctx: ServiceContext,
  engine: RotationEngine,
): Pick<Handlers, 'key.create'> {
  return {
    async 'key.create'(args) {
      const { account, name } = newKeyTarget(ctx.store.current, args.ref);
      requireMinting(ctx, account);
      const adapter = ctx.vendor(account.vendor);
      const scopes = assertScopesGrantable(
        ctx,
        account.name,
        args.scopes.length ? args.scopes : adapter.defaultScopes,
      );
      const draft: Key = {
        ref: args.ref,
        account: account.name,
        name,
        vendor: account.vendor,
        scopes,
        options: {
          ...(args.securityLevel !== undefined ? { securityLevel: args.securityLevel } : {}),
          ...(args.sessionDuration !== undefined ? { sessionDuration: args.sessionDuration } : {}),
        },
        // New keys start with the policy set in Settings unless the caller chose one.
        rotateEvery:
          args.rotateEvery === undefined
            ? ctx.store.current.settings.defaultRotateEvery
            : args.rotateEvery,
        createdAt: ctx.now().toISOString(),
        versions: [],
        refusedAt: null,
      };
      return engine.create(draft, account);
    },
  };
}

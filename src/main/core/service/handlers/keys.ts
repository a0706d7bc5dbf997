import { KeywayError } from '../../../../shared/errors';
import type { KeyChange } from '../../../../shared/contract';
import type { Key } from '../../../../shared/domain';
import { secretNames } from '../../keychain/secret-store';
import { newVersion } from '../../secret-facts';
import { verifyKey } from '../../rotation/key-verification';
import { StepRunner } from '../../rotation/rotation-steps';
import { keyView } from '../views/key-view';
import { findKey, lookupAccount, newKeyTarget } from '../../store/lookups';
import { announce, type Handlers, type ServiceContext } from '../service-context';

export function keyHandlers(
  ctx: ServiceContext,
): Pick<Handlers, 'key.add' | 'key.list' | 'key.remove'> {
  return {
    async 'key.add'(args) {
      const { account, name } = newKeyTarget(ctx.store.current, args.ref);
      const accountName = account.name;
      const runner = new StepRunner(ctx, args.ref, null);
      const vendor = ctx.vendor(account.vendor);
      const warnings = await runner.run('check', () => {
        const format = vendor.checkFormat(args.secret);
        if (!format.ok)
          return Promise.reject(
            new KeywayError('bad_input', format.reason ?? 'not a key of this vendor', 'secret'),
          );
        return Promise.resolve(format.warnings);
      });
      // A key the vendor refuses is never stored; the vendor's reason is the error.
      const verified = await verifyKey(ctx, account, args.secret, runner);
      warnings.push(...verified.warnings);
      // What the vendor just proved is recorded, and never warned about as missing.
      const scopes = [...new Set([...(args.scopes ?? []), ...verified.proven])];
      warnings.push(...vendor.scopeWarnings(scopes));
      const version = newVersion(args.secret, ctx.now(), null, args.expires);
      // Keychain first: metadata never points at a secret that is not stored.
      await runner.run('store', () =>
        ctx.secrets.set(secretNames.keyVersion(version.id), args.secret),
      );
      const key: Key = {
        ref: args.ref,
        account: accountName,
        name,
        vendor: account.vendor,
        scopes,
        options: {},
        // New keys start with the policy set in Settings unless the caller chose one.
        rotateEvery:
          args.rotateEvery === undefined
            ? ctx.store.current.settings.defaultRotateEvery
            : args.rotateEvery,
        createdAt: version.created,
        versions: [version],
        refusedAt: null,
      };
      try {
        await ctx.store.update((doc) => {
          doc.keys.push(key);
        });
      } catch (err) {
        await ctx.secrets.delete(secretNames.keyVersion(version.id));
        throw err;
      }
      await announce(
        ctx,
        {
          event: 'key.added',
          key: key.ref,
          client: null,
          account: accountName,
          detail: { fingerprint: version.fingerprint },
        },
        'keys',
      );
      const change: KeyChange = {
        ref: key.ref,
        version,
        retired: null,
        steps: runner.steps,
        warnings,
      };
      return change;
    },

    async 'key.list'() {
      const doc = ctx.store.current;
      return doc.keys.map((k) =>
        keyView(k, lookupAccount(doc, k.account)?.serviceAccount ?? false),
      );
    },

    async 'key.remove'({ ref }) {
      const key = findKey(ctx.store.current, ref);
      const used = ctx.store.current.connections.filter((c) => c.key === ref).map((c) => c.slug);
      if (used.length > 0) {
        throw new KeywayError(
          'conflict',
          `key "${ref}" is used by connection(s) ${used.join(', ')}; remove them first`,
        );
      }
      await ctx.store.update((doc) => {
        doc.keys = doc.keys.filter((k) => k.ref !== ref);
      });
      for (const v of key.versions) await ctx.secrets.delete(secretNames.keyVersion(v.id));
      await announce(
        ctx,
        { event: 'key.removed', key: ref, client: null, account: key.account },
        'keys',
      );
      return { removed: ref };
    },
  };
}

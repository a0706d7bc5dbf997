import { KeywayError } from '../../../shared/errors';
import type { KeyChange, StepResult } from '../../../shared/contract';
import type { Account, Key } from '../../../shared/domain';
import { secretNames } from '../keychain/secret-store';
import { newKeyTarget } from './lookups';
import { newVersion, timed } from './key-versions';
import { verifyKey } from './key-verification';
import { credentialFor, endpointFor, vendorCall } from './vendor-calls';
import { assertScopesGrantable } from './vendor-info';
import { record, type Handlers, type ServiceContext } from './service-context';
import { RotationJournal } from '../rotation/rotation-journal';
import { isVendorError } from '../vendors/vendor-error';

/** The name a minted key carries at the vendor: says who made it, for what, and when. */
export function vendorKeyName(ref: string, now: Date, purpose: 'create' | 'rotate'): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return `keyway-${ref.replace('/', '-')}-${purpose === 'rotate' ? 'rot-' : ''}${stamp}`.slice(
    0,
    64,
  );
}

export function requireMinting(ctx: ServiceContext, account: Account): void {
  const adapter = ctx.vendor(account.vendor);
  if (!adapter.capabilities.mint || !adapter.mint) {
    const steps = adapter.guided
      ? ` Create it in the dashboard (${adapter.guided.dashboardUrl}), then \`keyway key add\`.`
      : '';
    throw new KeywayError(
      'unsupported',
      `${adapter.displayName} has no API to create keys.${steps}`,
    );
  }
}

export function keyCreateHandler(ctx: ServiceContext): Pick<Handlers, 'key.create'> {
  return {
    async 'key.create'(args) {
      const { account, name } = newKeyTarget(ctx.store.current, args.ref);
      const accountName = account.name;
      requireMinting(ctx, account);
      const adapter = ctx.vendor(account.vendor);
      const scopes = assertScopesGrantable(
        ctx,
        accountName,
        args.scopes.length ? args.scopes : adapter.defaultScopes,
      );
      const credential = await credentialFor(ctx, account, 'create keys');
      const ep = endpointFor(ctx, account);
      const options = {
        ...(args.securityLevel !== undefined ? { securityLevel: args.securityLevel } : {}),
        ...(args.sessionDuration !== undefined ? { sessionDuration: args.sessionDuration } : {}),
      };
      const steps: StepResult[] = [];
      const vendorName = vendorKeyName(args.ref, ctx.now(), 'create');
      // Journal before minting: if Keyway dies between the vendor's answer and the keychain
      // write, recovery finds the orphan at the vendor by this name and deletes it.
      const journal = new RotationJournal(ctx);
      const entry = await journal.begin(args.ref, 'create', 'mint', {
        vendorName,
        oldVersionId: null,
      });
      let raw: unknown;
      const minted = await timed(steps, 'mint', () =>
        vendorCall(() =>
          adapter.mint!(ep, credential, account.credentialScopes, {
            name: vendorName,
            scopes,
            options,
          }).catch((err: unknown) => {
            raw = err;
            throw err;
          }),
        ),
      ).catch(async (err: unknown) => {
        // No answer says nothing about whether Quave made the key: hand the entry to the
        // scheduler, which looks for a key under this name and withdraws it.
        if (isVendorError(raw) && (raw.kind === 'timeout' || raw.kind === 'network')) {
          await journal.advance(entry.id, {
            step: 'rolling-back',
            message: (err as Error).message,
          });
          throw new KeywayError(
            'vendor_unavailable',
            `${(err as Error).message}; no key was created in Keyway, and it checks ${adapter.displayName} for a half-made key to withdraw`,
          );
        }
        await journal.drop(entry.id);
        throw err;
      });
      const version = {
        ...newVersion(minted.secret, ctx.now(), minted.vendorKeyId, minted.expires),
        id: entry.newVersionId,
      };
      await timed(steps, 'store', () =>
        ctx.secrets.set(secretNames.keyVersion(version.id), minted.secret),
      );
      await journal.advance(entry.id, { step: 'stored', newVersion: version });
      let warnings: string[];
      try {
        warnings = await verifyKey(ctx, account, minted.secret, steps);
      } catch (err) {
        // A key that cannot be proven is not kept live at the vendor, nor in the keychain; its
        // secret goes only once the vendor revoked it, else the scheduler withdraws it later.
        const revoked = await vendorCall(() =>
          adapter.revoke!(ep, credential, minted.vendorKeyId),
        ).then(
          () => true,
          () => false,
        );
        if (revoked) {
          await ctx.secrets.delete(secretNames.keyVersion(version.id));
          await journal.drop(entry.id);
        } else {
          await journal.advance(entry.id, {
            step: 'rolling-back',
            nextRetryAt: ctx.now().toISOString(),
            message: 'the unproven new key could not be revoked yet',
          });
        }
        throw err;
      }
      const key: Key = {
        ref: args.ref,
        account: accountName,
        name,
        vendor: account.vendor,
        scopes: minted.scopes,
        options,
        rotateEvery: args.rotateEvery,
        createdAt: version.created,
        versions: [version],
        refusedAt: null,
      };
      await ctx.store.update((doc) => {
        doc.keys.push(key);
        doc.rotations = doc.rotations.filter((r) => r.id !== entry.id);
      });
      await record(ctx, {
        event: 'key.created',
        key: key.ref,
        client: null,
        account: accountName,
        detail: { fingerprint: version.fingerprint, scopes: key.scopes },
      });
      ctx.events.emit('state.changed', { what: 'keys' });
      const change: KeyChange = {
        ref: key.ref,
        version,
        retired: null,
        steps,
        warnings: [...adapter.scopeWarnings(key.scopes), ...warnings],
      };
      return change;
    },
  };
}

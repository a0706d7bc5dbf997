import { randomUUID } from 'node:crypto';
import { KeywayError } from '../../../shared/errors';
import type { KeyChange, KeyView, StepResult } from '../../../shared/contract';
import { currentVersion, type Key, type KeyVersion } from '../../../shared/domain';
import { secretNames } from '../keychain/secret-store';
import { fingerprint, last4 } from '../secret-facts';
import { findAccount, findKey, splitRef } from './lookups';
import { record, type Handlers, type ServiceContext } from './service-context';

export function keyView(key: Key, serviceAccount: boolean): KeyView {
  const { versions, ...rest } = key;
  return {
    ...rest,
    version: currentVersion(key) ?? null,
    versions: versions.map((v) => ({ ...v })),
    serviceAccount,
  };
}

/** Times one step of a key change so the CLI's `--json` and the UI can show where time went. */
export async function timed<T>(
  steps: StepResult[],
  step: string,
  run: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  try {
    const result = await run();
    steps.push({ step, ok: true, ms: Math.round(performance.now() - started) });
    return result;
  } catch (err) {
    steps.push({
      step,
      ok: false,
      ms: Math.round(performance.now() - started),
      message: (err as Error).message,
    });
    throw err;
  }
}

export function newVersion(
  secret: string,
  now: Date,
  vendorKeyId: string | null,
  expires: string | null,
): KeyVersion {
  return {
    id: randomUUID(),
    vendorKeyId,
    fingerprint: fingerprint(secret),
    last4: last4(secret),
    created: now.toISOString(),
    expires,
    state: 'active',
  };
}

export function keyHandlers(
  ctx: ServiceContext,
): Pick<Handlers, 'key.add' | 'key.list' | 'key.remove'> {
  return {
    async 'key.add'(args) {
      const { account: accountName, name } = splitRef(args.ref);
      const account = findAccount(ctx.store.current, accountName);
      if (ctx.store.current.keys.some((k) => k.ref === args.ref)) {
        throw new KeywayError(
          'conflict',
          `key "${args.ref}" already exists; rotate it to replace its secret`,
          'ref',
        );
      }
      const steps: StepResult[] = [];
      const vendor = ctx.vendor(account.vendor);
      const warnings = await timed(steps, 'check', () => {
        const format = vendor.checkFormat(args.secret);
        if (!format.ok)
          return Promise.reject(
            new KeywayError('bad_input', `key.add: field "secret": ${format.reason}`, 'secret'),
          );
        return Promise.resolve(format.warnings);
      });
      const version = newVersion(args.secret, ctx.now(), null, args.expires);
      // Keychain first: metadata never points at a secret that is not stored.
      await timed(steps, 'store', () =>
        ctx.secrets.set(secretNames.keyVersion(version.id), args.secret),
      );
      const key: Key = {
        ref: args.ref,
        account: accountName,
        name,
        vendor: account.vendor,
        scopes: args.scopes ?? [],
        options: {},
        rotateEvery: args.rotateEvery,
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
      await record(ctx, {
        event: 'key.added',
        key: key.ref,
        client: null,
        account: accountName,
        detail: { fingerprint: version.fingerprint },
      });
      ctx.events.emit('state.changed', { what: 'keys' });
      const change: KeyChange = { ref: key.ref, version, retired: null, steps, warnings };
      return change;
    },

    async 'key.list'() {
      const doc = ctx.store.current;
      return doc.keys.map((k) =>
        keyView(k, doc.accounts.find((a) => a.name === k.account)?.serviceAccount ?? false),
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
      await record(ctx, { event: 'key.removed', key: ref, client: null, account: key.account });
      ctx.events.emit('state.changed', { what: 'keys' });
      return { removed: ref };
    },
  };
}

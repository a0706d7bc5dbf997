import { KeywayError } from '../../../shared/errors';
import type { Key, KeyVersion } from '../../../shared/domain';
import { announce } from '../audit/audit-record';
import { secretNames } from '../keychain/secret-store';
import { lookupKey } from '../store/lookups';
import type { RotationCore, Rotating, Working } from './rotation-core';
import { crashPoint } from './rotation-crash';
import { rollBack } from './rotation-rollback';

/** swap → drain for a rotation; for a create, the proven key goes into use. */

/** Longest a swap waits for the proxy to open new-key vendor sessions; later ones still help. */
const PREPARE_SWAP_MS = 2000;

/**
 * A create's last step: the key, with its proven first version, and the end of its journal
 * entry in one atomic store write. Until this write recovery withdraws the key; after it there
 * is nothing to recover.
 */
export async function goLive(core: RotationCore, w: Working): Promise<Key> {
  const { ctx } = core;
  const version: KeyVersion = { ...w.entry.newVersion!, state: 'active' };
  const key: Key = { ...w.key, createdAt: version.created, versions: [version] };
  try {
    await ctx.store.update((doc) => {
      if (lookupKey(doc, key.ref))
        throw new KeywayError('conflict', `key "${key.ref}" was added meanwhile`, 'ref');
      doc.keys.push(key);
      doc.rotations = doc.rotations.filter((r) => r.id !== w.entry.id);
    });
  } catch (err) {
    await rollBack(core, w.entry, 'the new key could not be saved');
    throw err;
  }
  await announce(
    ctx,
    {
      event: 'key.created',
      key: key.ref,
      client: null,
      account: key.account,
      detail: { fingerprint: version.fingerprint, scopes: key.scopes },
    },
    'keys',
  );
  crashPoint('swapped');
  return key;
}

/** A rotation's swap: the new version becomes current and the old one retiring, atomically. */
export async function swapIn(core: RotationCore, w: Rotating): Promise<void> {
  const { ctx } = core;
  const newV = w.entry.newVersion!;
  const oldId = w.old.id;
  // The proxy gets the secret now, so the first requests after the swap wait on no keychain.
  const secret = w.secret ?? (await ctx.secrets.get(secretNames.keyVersion(newV.id)));
  if (secret !== undefined) {
    ctx.versions.prime(newV.id, secret);
    await prepareSwap(core, w.key.ref, newV.id, secret);
  }
  await w.runner.run('swap', () =>
    // One atomic store write: the new version becomes current, the old one retiring, and the
    // journal says so — the proxy reads the current version on its very next request.
    ctx.store.update((doc) => {
      const key = lookupKey(doc, w.key.ref);
      if (!key)
        throw new KeywayError('not_found', `key ${w.key.ref} was removed during its rotation`);
      if (!key.versions.some((v) => v.id === newV.id))
        key.versions.push({ ...newV, state: 'active' });
      const old = key.versions.find((v) => v.id === oldId);
      if (old && old.state === 'active') old.state = 'retiring';
      key.refusedAt = null;
      const r = doc.rotations.find((x) => x.id === w.entry.id);
      if (r) Object.assign(r, { step: 'swapped', updatedAt: ctx.now().toISOString() });
    }),
  );
  w.entry = { ...w.entry, step: 'swapped' };
  // The swap itself is audited when the rotation ends (`key.rotated`).
  await announce(ctx, null, 'keys');
  crashPoint('swapped');
}

/** Best effort and bounded: a slow or failing proxy never holds up or fails the rotation. */
async function prepareSwap(
  core: RotationCore,
  ref: string,
  versionId: string,
  secret: string,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, PREPARE_SWAP_MS);
  });
  try {
    const prepared = core.proxy.prepare(ref, versionId, secret).catch((err: unknown) => {
      core.ctx.log.debug(`could not prepare the vendor sessions of ${ref} for the swap`, err);
    });
    await Promise.race([prepared, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The drain: requests that started with the old key finish (bounded wait) before it is revoked,
 * and every other holder of the old key (`keyway run` programs) lets go of it, within the same
 * bound. Not drained in time is said on the step, and the rotation goes on.
 */
export async function drainOld(core: RotationCore, w: Rotating): Promise<void> {
  const drainMs = core.opts.drainMs;
  const oldId = w.old.id;
  await w.runner.run(
    'drain',
    async () => {
      const holders = [core.proxy, ...core.holders];
      const all = await Promise.all(holders.map((h) => h.drain(oldId, drainMs)));
      return {
        drained: all.every((r) => r.drained),
        inFlight: all.reduce((n, r) => n + r.inFlight, 0),
      };
    },
    (r) =>
      r.drained
        ? undefined
        : `${r.inFlight} request(s) with the old key were still running after ${drainMs} ms`,
  );
  w.entry = await core.journal.advance(w.entry.id, { step: 'drained' });
  crashPoint('drained');
}

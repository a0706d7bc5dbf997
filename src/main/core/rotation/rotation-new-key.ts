import { KeywayError } from '../../../shared/errors';
import type { Account, Key, KeyVersion } from '../../../shared/domain';
import { secretNames } from '../keychain/secret-store';
import { newVersion } from '../secret-facts';
import { isVendorError } from '../vendors/vendor-error';
import type { MintedKey } from '../vendors/vendor-adapter';
import { verifyKey } from './key-verification';
import type { RotationContext } from './rotation-context';
import type { RotationCore, Working } from './rotation-core';
import { crashPoint } from './rotation-crash';
import { rollBack } from './rotation-rollback';
import { endpointFor, vendorCall } from './vendor-calls';

/**
 * mint → store → verify: the new key, up to the point where it is proven and may be swapped in
 * (a rotation) or go into use (a create). The same steps, journal writes and crash points for
 * both, so recovery treats them alike.
 */

/** A pasted key must be well-formed and must not be the key already in use. */
export async function checkPasted(
  ctx: RotationContext,
  key: Key,
  old: KeyVersion,
  account: Account,
  secret: string,
): Promise<void> {
  const check = ctx.vendor(account.vendor).checkFormat(secret);
  if (!check.ok)
    throw new KeywayError('bad_input', check.reason ?? 'not a key of this vendor', 'secret');
  // Rotating to the key in use would later have the user revoke the only key the agent has.
  if ((await ctx.secrets.get(secretNames.keyVersion(old.id))) === secret)
    throw new KeywayError(
      'bad_input',
      `this is the key ${key.ref} already uses (…${old.last4}); create a new one in the dashboard`,
      'secret',
    );
}

/** What stays true for the user when a new key fails: the old key in use, or nothing created. */
function kept(w: Working): string {
  return w.old ? `the old key (…${w.old.last4}) stays in use` : 'no key was created in Keyway';
}

export async function mintNewKey(core: RotationCore, w: Working): Promise<void> {
  const { ctx } = core;
  const adapter = ctx.vendor(w.account.vendor);
  let raw: unknown;
  let minted: MintedKey;
  try {
    const credential = await core.credentialOf(w, w.old ? 'mint the new key' : 'create keys');
    const spec = { name: w.entry.vendorName!, scopes: w.key.scopes, options: w.key.options };
    minted = await w.runner.run('mint', () =>
      vendorCall(() =>
        adapter.mint!(
          endpointFor(ctx, w.account),
          credential,
          w.account.credentialScopes,
          spec,
        ).catch((err: unknown) => {
          raw = err;
          throw err;
        }),
      ),
    );
  } catch (err) {
    // A timeout or a lost connection says nothing about whether the vendor made the key.
    if (isVendorError(raw) && (raw.kind === 'timeout' || raw.kind === 'network')) {
      const clean = await rollBack(core, w.entry, 'the mint got no answer');
      const name = adapter.displayName;
      const fate = w.old
        ? `${clean ? 'no new key was left at the vendor' : 'Keyway keeps checking the vendor for a half-made key and withdraws it'}; ${kept(w)}`
        : `${kept(w)}, and ${clean ? `no half-made key was left at ${name}` : `it checks ${name} for a half-made key to withdraw`}`;
      throw new KeywayError('vendor_unavailable', `${(err as Error).message}; ${fate}`);
    }
    // The vendor answered no (or was never asked): nothing exists to undo.
    await core.journal.drop(w.entry.id);
    core.changed(w.key.ref);
    throw err;
  }
  crashPoint('minted');
  const version = newVersion(minted.secret, ctx.now(), minted.vendorKeyId, minted.expires);
  // The vendor may add scopes (Quave always adds quave:read): the key records what it holds.
  w.key = { ...w.key, scopes: minted.scopes };
  await storeNewKey(core, w, version, minted.secret);
}

/** The new secret reaches the keychain before anything else happens, then the journal says so. */
export async function storeNewKey(
  core: RotationCore,
  w: Working,
  fresh: KeyVersion,
  secret: string,
): Promise<void> {
  const version: KeyVersion = { ...fresh, id: w.entry.newVersionId };
  try {
    await w.runner.run('store', () =>
      core.ctx.secrets.set(secretNames.keyVersion(version.id), secret),
    );
  } catch (err) {
    // Live at the vendor but not storable: a key nobody can use must not stay live.
    await rollBack(core, { ...w.entry, newVersion: version }, 'the keychain refused the new key');
    throw err;
  }
  w.secret = secret;
  w.entry = await core.journal.advance(w.entry.id, { step: 'stored', newVersion: version });
  crashPoint('stored');
}

/** The vendor's verify call and an MCP initialize; a key that fails them is withdrawn. */
export async function verifyNewKey(core: RotationCore, w: Working): Promise<void> {
  const { ctx } = core;
  const secret = w.secret ?? (await ctx.secrets.get(secretNames.keyVersion(w.entry.newVersionId)));
  if (secret === undefined) {
    await rollBack(core, w.entry, 'the new key vanished from the keychain');
    throw new KeywayError('internal', `the new key is missing from the keychain; ${kept(w)}`);
  }
  try {
    // A create reports the MCP initialize as a step of its own ("mcp"), as `key add` does; a
    // rotation reports both calls as its one "verify" step.
    const { warnings } = w.old
      ? await w.runner.run('verify', () => verifyKey(ctx, w.account, secret, null))
      : await verifyKey(ctx, w.account, secret, w.runner);
    w.warnings.push(...warnings);
  } catch (err) {
    const code = err instanceof KeywayError ? err.code : 'internal';
    const why = (err as Error).message;
    const pasted = w.entry.vendorName === null;
    if (code === 'vendor_unavailable' && pasted) {
      // A pasted key is the user's; a vendor hiccup must not make Keyway lose it.
      throw new KeywayError(
        code,
        `could not verify the new key: ${why}; Keyway keeps it and tries again; ${kept(w)}`,
      );
    }
    const withdrawn = await rollBack(core, w.entry, 'the new key failed verification');
    const fate = pasted
      ? "Keyway did not keep it (delete it in the vendor's dashboard if it is listed there)"
      : withdrawn
        ? 'it was revoked at the vendor and forgotten'
        : 'Keyway keeps trying to revoke it at the vendor';
    throw new KeywayError(code, `the new key failed verification: ${why}; ${fate}; ${kept(w)}`);
  }
  w.entry = await core.journal.advance(w.entry.id, { step: 'verified' });
  crashPoint('verified');
}

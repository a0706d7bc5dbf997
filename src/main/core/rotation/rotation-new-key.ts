import { KeywayError } from '../../../shared/errors';
import type { Account, Key, KeyVersion } from '../../../shared/domain';
import { secretNames } from '../keychain/secret-store';
import { newVersion } from '../service/key-versions';
import { verifyKey } from '../service/key-verification';
import { endpointFor, vendorCall } from '../service/vendor-calls';
import type { ServiceContext } from '../service/service-context';
import { isVendorError } from '../vendors/vendor-error';
import type { MintedKey } from '../vendors/vendor-adapter';
import { crashPoint } from './rotation-crash';
import type { RotationEngine, Working } from './rotation-engine';

/** mint → store → verify: the new key, up to the point where it is proven and may be swapped in. */

export async function checkPasted(
  ctx: ServiceContext,
  key: Key,
  old: KeyVersion,
  account: Account,
  secret: string,
): Promise<void> {
  const check = ctx.vendor(account.vendor).checkFormat(secret);
  if (!check.ok)
    throw new KeywayError('bad_input', `key.rotate: field "secret": ${check.reason}`, 'secret');
  // Rotating to the key in use would later have the user revoke the only key the agent has.
  if ((await ctx.secrets.get(secretNames.keyVersion(old.id))) === secret)
    throw new KeywayError(
      'bad_input',
      `key.rotate: field "secret": this is the key ${key.ref} already uses (…${old.last4}); create a new one in the dashboard`,
      'secret',
    );
}

export async function mintNewKey(engine: RotationEngine, w: Working): Promise<void> {
  const { ctx } = engine;
  const adapter = ctx.vendor(w.account.vendor);
  let raw: unknown;
  let minted: MintedKey;
  try {
    const credential = await engine.credentialOf(w, 'mint the new key');
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
      const clean = await engine.rollBack(w.entry, 'the mint got no answer');
      throw new KeywayError(
        'vendor_unavailable',
        `${(err as Error).message}; ${clean ? 'no new key was left at the vendor' : 'Keyway keeps checking the vendor for a half-made key and withdraws it'}; the old key stays in use`,
      );
    }
    // The vendor answered no (or was never asked): nothing exists to undo.
    await engine.journal.drop(w.entry.id);
    engine.changed(w.key.ref);
    throw err;
  }
  crashPoint('minted');
  const version = newVersion(minted.secret, ctx.now(), minted.vendorKeyId, minted.expires);
  await storeNewKey(engine, w, version, minted.secret);
}

/** The new secret reaches the keychain before anything else happens, then the journal says so. */
export async function storeNewKey(
  engine: RotationEngine,
  w: Working,
  fresh: KeyVersion,
  secret: string,
): Promise<void> {
  const version: KeyVersion = { ...fresh, id: w.entry.newVersionId };
  try {
    await w.runner.run('store', () =>
      engine.ctx.secrets.set(secretNames.keyVersion(version.id), secret),
    );
  } catch (err) {
    // Live at the vendor but not storable: a key nobody can use must not stay live.
    await engine.rollBack({ ...w.entry, newVersion: version }, 'the keychain refused the new key');
    throw err;
  }
  w.secret = secret;
  w.entry = await engine.journal.advance(w.entry.id, { step: 'stored', newVersion: version });
  crashPoint('stored');
}

/** The vendor's verify call and an MCP initialize; a key that fails them is withdrawn. */
export async function verifyNewKey(engine: RotationEngine, w: Working): Promise<void> {
  const { ctx } = engine;
  const secret = w.secret ?? (await ctx.secrets.get(secretNames.keyVersion(w.entry.newVersionId)));
  const kept = `the old key (…${w.old.last4}) stays in use`;
  if (secret === undefined) {
    await engine.rollBack(w.entry, 'the new key vanished from the keychain');
    throw new KeywayError('internal', `the new key is missing from the keychain; ${kept}`);
  }
  try {
    w.warnings.push(...(await w.runner.run('verify', () => verifyKey(ctx, w.account, secret, []))));
  } catch (err) {
    const code = err instanceof KeywayError ? err.code : 'internal';
    const why = (err as Error).message;
    const pasted = w.entry.vendorName === null;
    if (code === 'vendor_unavailable' && pasted) {
      // A pasted key is the user's; a vendor hiccup must not make Keyway lose it.
      throw new KeywayError(
        code,
        `could not verify the new key: ${why}; Keyway keeps it and tries again; ${kept}`,
      );
    }
    const withdrawn = await engine.rollBack(w.entry, 'the new key failed verification');
    const fate = pasted
      ? "Keyway did not keep it (delete it in the vendor's dashboard if it is listed there)"
      : withdrawn
        ? 'it was revoked at the vendor and forgotten'
        : 'Keyway keeps trying to revoke it at the vendor';
    throw new KeywayError(code, `the new key failed verification: ${why}; ${fate}; ${kept}`);
  }
  w.entry = await engine.journal.advance(w.entry.id, { step: 'verified' });
  crashPoint('verified');
}

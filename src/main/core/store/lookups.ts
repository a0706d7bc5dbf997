import { KeywayError } from '../../../shared/errors';
import type { Account, KeyVersion } from '../../../shared/domain';
import type { StoreDocument } from './store-document';

/**
 * The one place accounts, keys, connections and clients are found: in the store's document, or
 * in the lists the control API answers with (the same names and fields), so that every "not
 * found" reads the same wherever it is said. `findX` fails with what a user needs: what was not
 * found and how to list them. `lookupX` answers undefined where a missing one is no error (a
 * route that went away, a background step that meets a removal, a draft inside a store write).
 */

type Named = { name: string };
type Referenced = { ref: string };
type Slugged = { slug: string };

export function lookupAccount<A extends Named>(
  from: { readonly accounts: readonly A[] },
  name: string,
): A | undefined {
  return from.accounts.find((a) => a.name === name);
}

export function lookupKey<K extends Referenced>(
  from: { readonly keys: readonly K[] },
  ref: string,
): K | undefined {
  return from.keys.find((k) => k.ref === ref);
}

export function lookupConnection<C extends Slugged>(
  from: { readonly connections: readonly C[] },
  slug: string,
): C | undefined {
  return from.connections.find((c) => c.slug === slug);
}

export function lookupClient<C extends Named>(
  from: { readonly clients: readonly C[] },
  name: string,
): C | undefined {
  return from.clients.find((c) => c.name === name);
}

/** The account a key belongs to. */
export function lookupKeyAccount(doc: Readonly<StoreDocument>, ref: string): Account | undefined {
  const key = lookupKey(doc, ref);
  return key && lookupAccount(doc, key.account);
}

/** One version of a key, by its id. */
export function lookupVersion(
  doc: Readonly<StoreDocument>,
  ref: string,
  versionId: string,
): KeyVersion | undefined {
  return lookupKey(doc, ref)?.versions.find((v) => v.id === versionId);
}

export function findAccount<A extends Named>(
  from: { readonly accounts: readonly A[] },
  name: string,
): A {
  const account = lookupAccount(from, name);
  if (!account)
    throw new KeywayError('not_found', `no account named "${name}" (see \`keyway account ls\`)`);
  return account;
}

export function findKey<K extends Referenced>(
  from: { readonly keys: readonly K[] },
  ref: string,
): K {
  const key = lookupKey(from, ref);
  if (!key) throw new KeywayError('not_found', `no key "${ref}" (see \`keyway key ls\`)`);
  return key;
}

export function findConnection<C extends Slugged>(
  from: { readonly connections: readonly C[] },
  slug: string,
): C {
  const connection = lookupConnection(from, slug);
  if (!connection)
    throw new KeywayError('not_found', `no connection "${slug}" (see \`keyway connection ls\`)`);
  return connection;
}

export function findClient<C extends Named>(
  from: { readonly clients: readonly C[] },
  name: string,
): C {
  const client = lookupClient(from, name);
  if (!client) throw new KeywayError('not_found', `no client "${name}" (see \`keyway client ls\`)`);
  return client;
}

/** A new account's name must be free. */
export function assertNewAccount(doc: Readonly<StoreDocument>, name: string): void {
  if (lookupAccount(doc, name))
    throw new KeywayError('conflict', `an account named "${name}" already exists`, 'name');
}

/** A new connection's slug must be free. */
export function assertNewConnection(doc: Readonly<StoreDocument>, slug: string): void {
  if (lookupConnection(doc, slug))
    throw new KeywayError('conflict', `a connection "${slug}" already exists`, 'slug');
}

/** A new client's name must be free. */
export function assertNewClient(doc: Readonly<StoreDocument>, name: string): void {
  if (lookupClient(doc, name))
    throw new KeywayError('conflict', `a client named "${name}" already exists`, 'name');
}

export function splitRef(ref: string): { account: string; name: string } {
  const slash = ref.indexOf('/');
  return { account: ref.slice(0, slash), name: ref.slice(slash + 1) };
}

/** Where a new key goes: its account must exist and its name must be free. */
export function newKeyTarget(
  doc: Readonly<StoreDocument>,
  ref: string,
): { account: Account; name: string } {
  const { account: accountName, name } = splitRef(ref);
  const account = findAccount(doc, accountName);
  if (lookupKey(doc, ref)) {
    throw new KeywayError(
      'conflict',
      `key "${ref}" already exists; rotate it to replace its secret`,
      'ref',
    );
  }
  return { account, name };
}

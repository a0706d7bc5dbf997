import { KeywayError } from '../../../shared/errors';
import type { Account, Connection, Key } from '../../../shared/domain';
import type { StoreDocument, StoredClient } from '../store/store-document';

/** Finders that fail with the message a user needs: what was not found and how to list them. */
export function findAccount(doc: Readonly<StoreDocument>, name: string): Account {
  const account = doc.accounts.find((a) => a.name === name);
  if (!account)
    throw new KeywayError('not_found', `no account named "${name}" (see \`keyway account ls\`)`);
  return account;
}

export function findKey(doc: Readonly<StoreDocument>, ref: string): Key {
  const key = doc.keys.find((k) => k.ref === ref);
  if (!key) throw new KeywayError('not_found', `no key "${ref}" (see \`keyway key ls\`)`);
  return key;
}

export function findConnection(doc: Readonly<StoreDocument>, slug: string): Connection {
  const connection = doc.connections.find((c) => c.slug === slug);
  if (!connection)
    throw new KeywayError('not_found', `no connection "${slug}" (see \`keyway connection ls\`)`);
  return connection;
}

export function findClient(doc: Readonly<StoreDocument>, name: string): StoredClient {
  const client = doc.clients.find((c) => c.name === name);
  if (!client) throw new KeywayError('not_found', `no client "${name}" (see \`keyway client ls\`)`);
  return client;
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
  if (doc.keys.some((k) => k.ref === ref)) {
    throw new KeywayError(
      'conflict',
      `key "${ref}" already exists; rotate it to replace its secret`,
      'ref',
    );
  }
  return { account, name };
}

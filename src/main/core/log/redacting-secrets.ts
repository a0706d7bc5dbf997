import type { KeychainStatus } from '../../../shared/contract';
import type { SecretStore } from '../keychain/secret-store';
import type { Redactor } from './redactor';

/** The keychain, registering with the redactor every secret that passes through it. */
export function redactingSecrets(store: SecretStore, redactor: Redactor): SecretStore {
  return {
    backend: store.backend,
    async get(name: string): Promise<string | undefined> {
      const value = await store.get(name);
      redactor.register(value);
      return value;
    },
    async set(name: string, value: string): Promise<void> {
      redactor.register(value);
      await store.set(name, value);
    },
    delete: (name: string) => store.delete(name),
    status: (): Promise<KeychainStatus> => store.status(),
  };
}

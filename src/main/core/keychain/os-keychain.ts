import { createRequire } from 'node:module';
import type { AsyncEntry as AsyncEntryType } from '@napi-rs/keyring';
import { KeywayError } from '../../../shared/errors';
import type { KeychainStatus } from '../../../shared/contract';
import { KEYCHAIN_SERVICE, type SecretStore } from './secret-store';
import { keychainBackendName, keychainFix } from './keychain-help';

// Loaded with require, not import: Node's ESM loader takes ~8 MiB more to load this CommonJS
// native package than require does, and the keychain is loaded by every `keyway serve` at start
// and by most CLI commands (issue 24: an idle instance's footprint).
const { AsyncEntry } = createRequire(import.meta.url)('@napi-rs/keyring') as {
  AsyncEntry: typeof AsyncEntryType;
};

/** A keychain that answers nothing within this long is treated as unavailable, not waited on. */
const KEYCHAIN_TIMEOUT_MS = 10_000;

export class OsKeychain implements SecretStore {
  readonly backend = keychainBackendName();

  constructor(private readonly service = KEYCHAIN_SERVICE) {}

  async get(name: string): Promise<string | undefined> {
    const value = await this.guard('read', () => this.entry(name).getPassword(signal()));
    return value ?? undefined;
  }

  async set(name: string, value: string): Promise<void> {
    await this.guard('write', () => this.entry(name).setPassword(value, signal()));
  }

  async delete(name: string): Promise<boolean> {
    return this.guard('delete', () => this.entry(name).deletePassword(signal()));
  }

  async status(): Promise<KeychainStatus> {
    try {
      // A read of an entry that never exists proves the service answers and is unlocked.
      await Promise.resolve().then(() => this.entry('status-probe').getPassword(signal()));
      return {
        backend: this.backend,
        reachable: true,
        message: `${this.backend} is reachable and unlocked`,
      };
    } catch (err) {
      return {
        backend: this.backend,
        reachable: false,
        message: `${this.backend} cannot be reached: ${reason(err)}`,
        fix: keychainFix(reason(err)),
      };
    }
  }

  private entry(name: string): AsyncEntryType {
    // Pinned to the Secret Service on Linux: the library would otherwise fall back silently to
    // the kernel keyring, which forgets every key at reboot. Ignored on macOS and Windows.
    return new AsyncEntry(this.service, name, { linux: { store: 'secret-service' } });
  }

  private async guard<T>(action: string, run: () => Promise<T>): Promise<T> {
    try {
      // The entry constructor itself throws when the pinned store is missing.
      return await Promise.resolve().then(run);
    } catch (err) {
      throw new KeywayError(
        'keychain_unavailable',
        `The OS keychain (${this.backend}) could not ${action} a Keyway entry: ${reason(err)}. ${keychainFix(reason(err))}`,
      );
    }
  }
}

function signal(): AbortSignal {
  return AbortSignal.timeout(KEYCHAIN_TIMEOUT_MS);
}

/** The keychain library's message, which names the platform failure and never the secret. */
function reason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (
    message.replace(/^Couldn't access platform storage: /, '').slice(0, 200) || 'unknown error'
  );
}

import { secretNames, type SecretStore } from './secret-store';

/**
 * The secrets of key versions in use, held in memory so the proxy reads the keychain once per
 * version, not once per request (a keychain round trip costs more than the proxy hop itself).
 * A rotation or an OAuth refresh primes the new version before it becomes current and forgets
 * the old one once it is gone; concurrent first reads of one version share one keychain read.
 */
export class VersionSecrets {
  private readonly held = new Map<string, string>();
  private readonly reading = new Map<string, Promise<string | undefined>>();

  constructor(private readonly keychain: SecretStore) {}

  /** Holds a version's secret ahead of its first request (rotation, refresh: before the swap). */
  prime(versionId: string, secret: string): void {
    this.held.set(versionId, secret);
  }

  /** The version's key material changed or is gone: drop the in-memory copy. */
  forget(versionId: string): void {
    this.held.delete(versionId);
  }

  /** The version's secret; undefined when the keychain has none. */
  async read(versionId: string): Promise<string | undefined> {
    const held = this.held.get(versionId);
    if (held !== undefined) return held;
    let reading = this.reading.get(versionId);
    if (!reading) {
      reading = this.keychain
        .get(secretNames.keyVersion(versionId))
        .finally(() => this.reading.delete(versionId));
      this.reading.set(versionId, reading);
    }
    const secret = await reading;
    if (secret !== undefined) this.held.set(versionId, secret);
    return secret;
  }
}

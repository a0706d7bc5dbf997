import { KeywayError } from '../shared/errors';
import { controlCaller } from '../shared/control-http';
import type { KeywayApi } from '../shared/contract';
import { OP_NAMES, type OpName } from '../shared/contract/names';
import { readDiscovery } from '../main/core/discovery';
import { dataDirId } from '../main/core/data-dir';
import { OsKeychain } from '../main/core/keychain/os-keychain';
import { secretNames } from '../main/core/keychain/secret-store';
import { UsageError } from './cli-errors';
import { processAlive } from '../main/core/process-alive';
import { loopbackFetch } from './loopback-fetch';

/**
 * The CLI's view of the contract over HTTP: one method per operation, derived from the
 * contract. Inputs are validated here first, so a malformed argument is a usage error (exit 2)
 * that never reaches the service. An empty input (`ls`, `audit` without filters) has nothing to
 * check, and the schemas' library is the largest thing a listing would load: it is loaded
 * only for inputs with fields (the service validates every input again anyway).
 */
export function controlClient(url: string, token: string): KeywayApi {
  const http = controlCaller({
    baseUrl: url,
    token,
    fetch: loopbackFetch,
    timeoutMs: 120_000,
    unreachable: (base, err) =>
      new KeywayError('vendor_unavailable', `cannot reach Keyway at ${base}: ${err.message}`),
  });
  const call = async (name: OpName, input: unknown): Promise<unknown> => {
    if (hasFields(input)) {
      const { InputError, validateInput } = await import('../shared/validate');
      try {
        validateInput(name, input);
      } catch (err) {
        if (err instanceof InputError && err.field)
          throw new UsageError(err.what, undefined, err.field);
        throw new UsageError((err as Error).message);
      }
    }
    return http(name, input);
  };
  return Object.fromEntries(
    OP_NAMES.map((n) => [n, (input: unknown) => call(n, input)]),
  ) as KeywayApi;
}

function hasFields(input: unknown): boolean {
  if (typeof input !== 'object' || input === null) return true;
  return Object.values(input).some((v) => v !== undefined);
}

/** Finds the running instance for a data directory, with the next step spelled out if none. */
export async function connectToRunning(dataDir: string): Promise<{ api: KeywayApi; url: string }> {
  const discovery = await readDiscovery(dataDir);
  if (!discovery || !processAlive(discovery.pid)) {
    throw new KeywayError(
      'not_found',
      `Keyway is not running for ${dataDir}: start it with \`keyway serve\` (or open the desktop app), or pass --data-dir`,
    );
  }
  const token = await new OsKeychain().get(secretNames.controlToken(dataDirId(dataDir)));
  if (!token) {
    throw new KeywayError(
      'unauthorized',
      `the control token of the Keyway at ${discovery.url} is not in this user's keychain`,
    );
  }
  return { api: controlClient(discovery.url, token), url: discovery.url };
}

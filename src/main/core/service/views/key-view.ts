import type { KeyView } from '../../../../shared/contract';
import { currentVersion, type Key } from '../../../../shared/domain';

export function keyView(key: Key, serviceAccount: boolean): KeyView {
  const { versions, ...rest } = key;
  return {
    ...rest,
    version: currentVersion(key) ?? null,
    versions: versions.map((v) => ({ ...v })),
    serviceAccount,
  };
}

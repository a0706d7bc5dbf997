import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt: number | null;
}

/**
 * The sandbox's storage for oidc-provider: in memory, one map per sandbox (so two sandboxes in
 * one process never share grants), with expiry. Passing it also keeps the library from warning
 * about its own development adapter at every start.
 */
export function memoryAdapter(): AdapterFactory {
  const entries = new Map<string, Entry>();
  const live = (key: string): AdapterPayload | undefined => {
    const e = entries.get(key);
    if (e?.expiresAt && e.expiresAt < Date.now()) entries.delete(key);
    else return e?.payload;
    return undefined;
  };
  return (name: string): Adapter => {
    const key = (id: string) => `${name}:${id}`;
    return {
      upsert(id, payload, expiresIn) {
        entries.set(key(id), {
          payload,
          expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : null,
        });
        return Promise.resolve();
      },
      find: (id) => Promise.resolve(live(key(id))),
      findByUid(uid) {
        for (const [k, e] of entries)
          if (k.startsWith(`${name}:`) && e.payload.uid === uid) return Promise.resolve(live(k));
        return Promise.resolve(undefined);
      },
      findByUserCode(userCode) {
        for (const [k, e] of entries)
          if (k.startsWith(`${name}:`) && e.payload.userCode === userCode)
            return Promise.resolve(live(k));
        return Promise.resolve(undefined);
      },
      consume(id) {
        const e = entries.get(key(id));
        if (e) e.payload.consumed = Math.floor(Date.now() / 1000);
        return Promise.resolve();
      },
      destroy(id) {
        entries.delete(key(id));
        return Promise.resolve();
      },
      revokeByGrantId(grantId) {
        for (const [k, e] of entries) if (e.payload.grantId === grantId) entries.delete(k);
        return Promise.resolve();
      },
    };
  };
}

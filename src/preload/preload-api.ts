import { KeywayError } from '../shared/errors';
import type { KeywayApi, KeywayEvent } from '../shared/contract';
import { OP_NAMES } from '../shared/contract/names';
import { EVENT_CHANNEL, opChannel, type IpcResult } from '../shared/ipc-channels';

export interface PreloadIpc {
  invoke(channel: string, input: unknown): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: KeywayEvent) => void): void;
  removeListener(channel: string, listener: (event: unknown, payload: KeywayEvent) => void): void;
}

export type KeywayBridge = KeywayApi & {
  /** Subscribes to service events; returns the unsubscribe function. */
  onEvent(listener: (event: KeywayEvent) => void): () => void;
};

/** Exactly the contract's methods and one subscription — never a raw ipcRenderer. */
export function buildPreloadApi(ipc: PreloadIpc): KeywayBridge {
  const api = Object.fromEntries(
    OP_NAMES.map((name) => [
      name,
      async (input: unknown) => {
        const res = (await ipc.invoke(opChannel(name), input ?? {})) as IpcResult;
        if (res.ok) return res.result;
        throw KeywayError.fromBody(res.error);
      },
    ]),
  ) as KeywayApi;
  return {
    ...api,
    onEvent(listener) {
      const wrapped = (_e: unknown, payload: KeywayEvent) => listener(payload);
      ipc.on(EVENT_CHANNEL, wrapped);
      return () => ipc.removeListener(EVENT_CHANNEL, wrapped);
    },
  };
}

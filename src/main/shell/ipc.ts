import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { KeywayError } from '../../shared/errors';
import { OP_NAMES } from '../../shared/contract';
import { opChannel, type IpcResult } from '../../shared/ipc-channels';

export interface IpcService {
  call(name: string, input: unknown): Promise<unknown>;
}

export type { IpcResult };

/**
 * Registers one handler per contract operation. The sender must be one of our own windows
 * (a frame we loaded), and the input is validated by `service.call` before any handler runs.
 */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  service: IpcService,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
): string[] {
  const channels: string[] = [];
  for (const name of OP_NAMES) {
    const channel = opChannel(name);
    ipcMain.handle(channel, async (event, input: unknown): Promise<IpcResult> => {
      if (!isTrustedSender(event)) {
        return {
          ok: false,
          error: { code: 'forbidden', message: 'IPC from an untrusted frame was refused' },
        };
      }
      try {
        return { ok: true, result: await service.call(name, input) };
      } catch (err) {
        const body =
          err instanceof KeywayError
            ? err.toBody()
            : ({ code: 'internal', message: 'internal error; see the Keyway log' } as const);
        return { ok: false, error: body };
      }
    });
    channels.push(channel);
  }
  return channels;
}

/** Trusted: the top frame of a window whose URL is our bundled renderer (file:) or dev server. */
export function trustedUrl(url: string, devServerUrl: string | undefined): boolean {
  if (url.startsWith('file://')) return true;
  return devServerUrl !== undefined && url.startsWith(devServerUrl);
}

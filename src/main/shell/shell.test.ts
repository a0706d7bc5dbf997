import { describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { OP_NAMES } from '../../shared/contract';
import { opChannel } from '../../shared/ipc-channels';
import { KeywayError } from '../../shared/errors';
import { validateInput } from '../../shared/validate';
import { buildPreloadApi, type PreloadIpc } from '../../preload/preload-api';
import { fromBridged, mapRejections, toBridged } from '../../shared/bridge-errors';
import { registerIpc, trustedUrl, type IpcResult } from './ipc';
import { windowOptions } from './window-options';

type Listener = (event: IpcMainInvokeEvent, input: unknown) => Promise<IpcResult>;

function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  return { handlers, handle: (channel: string, fn: Listener) => void handlers.set(channel, fn) };
}

const event = (url: string) => ({ senderFrame: { url } }) as unknown as IpcMainInvokeEvent;

describe('Electron shell against the contract (Electron itself cannot run here)', () => {
  it('registers exactly one IPC handler per contract operation', () => {
    const ipc = fakeIpcMain();
    const channels = registerIpc(ipc, { call: () => Promise.resolve(null) }, () => true);
    expect(channels.sort()).toEqual(OP_NAMES.map(opChannel).sort());
    expect([...ipc.handlers.keys()].sort()).toEqual(channels);
  });

  it('validates input before the handler runs and returns the error as data', async () => {
    const ipc = fakeIpcMain();
    const call = vi.fn((name: string, input: unknown) => {
      validateInput(name as 'key.add', input);
      return Promise.resolve('ran');
    });
    registerIpc(ipc, { call }, () => true);
    const res = await ipc.handlers.get(opChannel('key.add'))!(event('file:///app/index.html'), {
      ref: 'bad',
      secret: 'x',
    });
    expect(res).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'bad_input', field: 'ref' }) as unknown,
    });
  });

  it('refuses IPC from an untrusted frame without calling the service', async () => {
    const ipc = fakeIpcMain();
    const call = vi.fn(() => Promise.resolve(null));
    registerIpc(ipc, { call }, (e) => trustedUrl(e.senderFrame?.url ?? '', undefined));
    const res = await ipc.handlers.get(opChannel('status'))!(event('https://evil.example/'), {});
    expect(res).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(call).not.toHaveBeenCalled();
    expect(trustedUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
  });

  it('the preload exposes only the contract methods and an unsubscribable event hook', async () => {
    const listeners: Array<(e: unknown, p: never) => void> = [];
    const ipc: PreloadIpc = {
      invoke: (channel) =>
        Promise.resolve(
          channel === opChannel('account.remove')
            ? { ok: false, error: { code: 'not_found', message: 'no account named "x"' } }
            : { ok: true, result: channel },
        ),
      on: (_c, l) => void listeners.push(l),
      removeListener: (_c, l) => void listeners.splice(listeners.indexOf(l), 1),
    };
    const api = buildPreloadApi(ipc);
    expect(Object.keys(api).sort()).toEqual([...OP_NAMES, 'onEvent'].sort());
    expect(await api['key.list']({})).toBe(opChannel('key.list'));
    await expect(api['account.remove']({ name: 'x' })).rejects.toBeInstanceOf(KeywayError);
    const off = api.onEvent(() => undefined);
    expect(listeners).toHaveLength(1);
    off();
    expect(listeners).toHaveLength(0);
  });

  it('windows are isolated, sandboxed and without Node', () => {
    const prefs = windowOptions('/app/preload.cjs').webPreferences!;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      preload: '/app/preload.cjs',
    });
  });
});

describe('errors across the context bridge', () => {
  // contextBridge copies what crosses it like structuredClone: an Error keeps its message only.
  const crossBridge = <T>(value: T): T => structuredClone(value);

  it('a KeywayError thrown as is would lose its code (why failures travel as data)', () => {
    const copied = crossBridge(new KeywayError('conflict', 'account "demo" still has keys'));
    expect((copied as unknown as { code?: string }).code).toBeUndefined();
  });

  it('reaches the page as a KeywayError with its code, field and message', async () => {
    const ipc: PreloadIpc = {
      invoke: () =>
        Promise.resolve({
          ok: false,
          error: { code: 'bad_input', message: 'ref: a key is named ACCOUNT/KEY', field: 'ref' },
        }),
      on: () => undefined,
      removeListener: () => undefined,
    };
    const exposed = mapRejections(buildPreloadApi(ipc), toBridged);
    // What the page receives: the rejection value copied across, then rebuilt on its side.
    const page = mapRejections(
      mapRejections(exposed, (err) => crossBridge(err)),
      fromBridged,
    );
    const err = await page['key.list']({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeywayError);
    expect(err).toMatchObject({
      code: 'bad_input',
      field: 'ref',
      message: 'ref: a key is named ACCOUNT/KEY',
    });
    // Events are not wrapped: they never reject.
    expect(typeof page.onEvent).toBe('function');
  });
});

import { describe, expect, it } from 'vitest';
import type { KeyView, KeywayEvent, RotationView } from '../../shared/contract';
import { KeywayError } from '../../shared/errors';
import { TrayController, type TrayControllerDeps } from './tray-controller';
import { buildTrayMenu, type TrayState } from './tray-menu';
import { externalUrlAllowed, permissionAllowed, rendererCsp } from './csp';
import { keyMarker } from './tray-state';

const DAY = 86_400_000;
const now = new Date('2026-11-20T00:00:00Z');

function keyView(ref: string, ageDays: number, patch: Partial<KeyView> = {}): KeyView {
  const created = new Date(now.getTime() - ageDays * DAY).toISOString();
  const version = {
    id: ref,
    vendorKeyId: null,
    fingerprint: 'f',
    last4: 'l',
    created,
    expires: null,
    state: 'active' as const,
  };
  return {
    ref,
    account: ref.split('/')[0] ?? '',
    name: ref.split('/')[1] ?? '',
    vendor: 'quave',
    scopes: [],
    options: {},
    rotateEvery: 30,
    createdAt: created,
    refusedAt: null,
    version,
    versions: [version],
    serviceAccount: false,
    ...patch,
  };
}

describe('keyMarker', () => {
  it('refused > overdue > retiring > waiting > due > nothing', () => {
    const waiting = { waitingFor: 'user-revoke' } as RotationView;
    const retry = { waitingFor: 'revoke-retry' } as RotationView;
    expect(keyMarker(keyView('a/b', 40, { refusedAt: 'x' }), retry, true, now)).toBe('refused');
    expect(keyMarker(keyView('a/b', 40), retry, true, now)).toBe('overdue');
    expect(keyMarker(keyView('a/b', 1), retry, true, now)).toBe('retiring');
    expect(keyMarker(keyView('a/b', 1), waiting, true, now)).toBe('waiting');
    expect(keyMarker(keyView('a/b', 25), undefined, false, now)).toBe('due');
    expect(keyMarker(keyView('a/b', 1), undefined, true, now)).toBe('due');
    expect(keyMarker(keyView('a/b', 1), undefined, false, now)).toBeNull();
    expect(keyMarker(keyView('a/b', 400, { rotateEvery: null }), undefined, false, now)).toBeNull();
  });
});

function harness(rotate: TrayControllerDeps['api']['key.rotate']) {
  const listeners: Array<(e: KeywayEvent) => void> = [];
  const states: TrayState[] = [];
  const errors: string[] = [];
  const keys = [keyView('team/agent', 1), keyView('me/spv', 1, { vendor: 'specivo' })];
  const proxy = { running: true, paused: false, port: 8931 };
  const controller = new TrayController({
    api: {
      status: async () => ({ proxy: { ...proxy } }) as never,
      'proxy.setPaused': async ({ paused }) => {
        Object.assign(proxy, { paused, running: !paused });
        return { proxy: { ...proxy } } as never;
      },
      'key.list': async () => keys,
      'rotation.list': async () => [],
      'connection.list': async () => [],
      'vendor.list': async () =>
        [
          {
            id: 'quave',
            displayName: 'Quave',
            capabilities: { mint: true, revoke: true, list: true },
          },
          {
            id: 'specivo',
            displayName: 'Specivo',
            capabilities: { mint: false, revoke: false, list: false },
          },
        ] as never,
      'key.rotate': rotate,
    },
    subscribe: (l) => {
      listeners.push(l);
      return () => listeners.splice(listeners.indexOf(l), 1);
    },
    view: { update: (s) => states.push(s) },
    onRotateError: (ref, message) => errors.push(`${ref}: ${message}`),
    canPauseProxy: true,
    now: () => now,
    debounceMs: 5,
  });
  return { controller, listeners, states, errors };
}

describe('TrayController', () => {
  it('builds the menu from the service and rebuilds it after events', async () => {
    const h = harness(async () => ({}) as never);
    const stop = h.controller.start();
    await new Promise((r) => setTimeout(r, 20));
    expect(h.states.at(-1)?.keys.map((k) => [k.ref, k.oneClickRotate])).toEqual([
      ['team/agent', true],
      ['me/spv', false],
    ]);
    h.listeners[0]?.({
      type: 'key.due',
      payload: { key: 'team/agent', dueAt: 'x', guided: false },
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(h.states.at(-1)?.keys[0]?.marker).toBe('due');
    stop();
    expect(h.listeners).toHaveLength(0);
  });

  it('marks a key as rotating while a one-click rotation runs, and reports a refusal', async () => {
    let finish: () => void = () => undefined;
    const h = harness(
      () =>
        new Promise(
          (_, reject) =>
            (finish = () =>
              reject(new KeywayError('busy', 'a rotation of team/agent is already running'))),
        ),
    );
    const running = h.controller.rotate('team/agent');
    await new Promise((r) => setTimeout(r, 10));
    expect(h.states.at(-1)?.keys.find((k) => k.ref === 'team/agent')?.rotating).toBe(true);
    const menu = buildTrayMenu(h.states.at(-1)!);
    expect(
      menu.find((i) => i.label === 'Rotate')?.submenu?.find((i) => i.label === 'team/agent')
        ?.enabled,
    ).toBe(false);
    finish();
    await running;
    expect(h.errors).toEqual(['team/agent: a rotation of team/agent is already running']);
    expect(h.states.at(-1)?.keys.find((k) => k.ref === 'team/agent')?.rotating).toBe(false);
  });
});

describe('window hardening rules', () => {
  it('the renderer CSP forbids inline and eval’d scripts and needs no network in production', () => {
    const csp = rendererCsp();
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(rendererCsp('http://localhost:5173/')).toContain(
      "connect-src 'self' http://localhost:5173 ws://localhost:5173",
    );
  });

  it('opens only http(s) links outside, and grants only clipboard writes', () => {
    expect(externalUrlAllowed('https://specivo.example/my/api-keys/')).toBe(true);
    expect(externalUrlAllowed('file:///etc/passwd')).toBe(false);
    expect(externalUrlAllowed('javascript:alert(1)')).toBe(false);
    expect(permissionAllowed('clipboard-sanitized-write')).toBe(true);
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal'])
      expect(permissionAllowed(p), p).toBe(false);
  });

  it('pauses and resumes the proxy from the tray, and the menu says which', async () => {
    const h = harness(async () => ({}) as never);
    await h.controller.toggleProxy();
    expect(h.states.at(-1)?.proxy).toMatchObject({ paused: true, running: false });
    await h.controller.toggleProxy();
    expect(h.states.at(-1)?.proxy).toMatchObject({ paused: false, running: true });
  });
});

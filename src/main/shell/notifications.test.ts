import { describe, expect, it } from 'vitest';
import type { KeywayEvent, RotationView } from '../../shared/contract';
import { createNotifier } from './notifier';
import { notificationFor, NotificationGate, type NotificationSpec } from './notifications';

const step = (s: string, ok: boolean, message?: string): KeywayEvent => ({
  type: 'rotation.step',
  payload: {
    key: 'team/agent',
    rotationId: 'r1',
    step: s,
    ok,
    ms: 5,
    ...(message ? { message } : {}),
  },
});

describe('notificationFor', () => {
  it('rotation done: from the key.rotated audit entry', () => {
    const spec = notificationFor({
      type: 'audit.appended',
      payload: {
        at: 'x',
        event: 'key.rotated',
        key: 'team/agent',
        client: null,
        detail: { from: '0a0b0c0d', to: '1a2b3c4d' },
      },
    });
    expect(spec).toMatchObject({
      title: 'Rotated team/agent',
      urgency: 'normal',
      openKey: 'team/agent',
    });
    expect(spec?.body).toContain('(fingerprint 1a2b3c4d)');
  });

  it('other audit entries and successful steps notify nobody', () => {
    expect(
      notificationFor({
        type: 'audit.appended',
        payload: { at: 'x', event: 'client.added', key: 'a/b', client: 'c' },
      }),
    ).toBeNull();
    expect(notificationFor(step('mint', true))).toBeNull();
    expect(notificationFor({ type: 'state.changed', payload: { what: 'keys' } })).toBeNull();
  });

  it('rotation failed before the swap: the old key was kept, in the vendor’s words', () => {
    const spec = notificationFor(step('verify', false, 'Quave answered 401: the key is disabled'));
    expect(spec).toMatchObject({ title: 'Rotation of team/agent failed', urgency: 'critical' });
    expect(spec?.body).toBe(
      'Failed verifying the new key: Quave answered 401: the key is disabled. Keyway kept the old key; nothing changed for your clients.',
    );
  });

  it('a failed revoke after the swap is not a failed rotation: the new key is in use', () => {
    const spec = notificationFor(step('revoke', false, 'Quave is unavailable (503)'));
    expect(spec).toMatchObject({
      title: 'Old key of team/agent not revoked yet',
      urgency: 'normal',
    });
    expect(spec?.body).toContain('The new key is in use; Keyway will retry.');
  });

  it('key due: one click for API vendors, the dashboard for guided ones', () => {
    const api = notificationFor({
      type: 'key.due',
      payload: { key: 'team/agent', dueAt: 'x', guided: false },
    });
    const guided = notificationFor({
      type: 'key.due',
      payload: { key: 'me/spv', dueAt: 'x', guided: true },
    });
    expect(api?.title).toBe('team/agent is due for rotation');
    expect(api?.body).toContain('one click');
    expect(guided?.body).toContain('vendor dashboard');
  });

  it('key refused: critical, with the HTTP status', () => {
    expect(
      notificationFor({
        type: 'key.refused',
        payload: { key: 'team/agent', versionId: 'v1', status: 401 },
      }),
    ).toMatchObject({
      title: 'The vendor refused team/agent',
      urgency: 'critical',
      tag: 'refused:team/agent:v1',
    });
  });

  it('a guided rotation waiting for the user to revoke the old key', () => {
    const rotation = { id: 'r2', waitingFor: 'user-revoke' } as RotationView;
    expect(
      notificationFor({ type: 'rotation.changed', payload: { key: 'me/spv', rotation } }),
    ).toMatchObject({ title: 'Finish rotating me/spv' });
    expect(
      notificationFor({ type: 'rotation.changed', payload: { key: 'me/spv', rotation: null } }),
    ).toBeNull();
  });
});

describe('notification gate', () => {
  it('drops the same situation within the window and lets it through after', () => {
    let t = 0;
    const gate = new NotificationGate(1000, () => t);
    const spec = { tag: 'refused:a' } as NotificationSpec;
    expect(gate.admit(spec)).toBe(true);
    t = 999;
    expect(gate.admit(spec)).toBe(false);
    expect(gate.admit({ tag: 'refused:b' } as NotificationSpec)).toBe(true);
    t = 1000;
    expect(gate.admit(spec)).toBe(true);
  });

  it('the notifier shows one notification per refused key however many requests fail', () => {
    const shown: NotificationSpec[] = [];
    const notify = createNotifier(
      (s) => shown.push(s),
      60_000,
      () => 0,
    );
    for (let i = 0; i < 50; i++)
      notify({ type: 'key.refused', payload: { key: 'team/agent', versionId: 'v1', status: 401 } });
    notify({ type: 'state.changed', payload: { what: 'keys' } });
    expect(shown).toHaveLength(1);
  });
});

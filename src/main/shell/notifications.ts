import type { KeywayEvent } from '../../shared/contract';

/** What to show, as data; `index.ts` hands it to Electron's Notification. */
export interface NotificationSpec {
  /** Same tag = same situation; the gate drops repeats within its window. */
  tag: string;
  title: string;
  body: string;
  urgency: 'normal' | 'critical';
  /** What a click does: open the window (at a key when given). */
  openKey: string | null;
}

const STEP_WORDS: Record<string, string> = {
  mint: 'minting the new key',
  minted: 'minting the new key',
  store: 'storing the new key in the keychain',
  verify: 'verifying the new key',
  verified: 'verifying the new key',
  swap: 'swapping the new key in',
  drain: 'draining requests on the old key',
  revoke: 'revoking the old key',
  revoked: 'revoking the old key',
  forget: 'forgetting the old key',
  check: 'checking the pasted key',
  'confirm-revoked': 'checking that the vendor refuses the old key',
};

/**
 * Rotation done or failed, key due, key refused, and a guided rotation waiting on the user.
 * Everything else (state changes, other audit entries) is for the window, not a notification.
 */
export function notificationFor(event: KeywayEvent): NotificationSpec | null {
  switch (event.type) {
    case 'audit.appended': {
      const e = event.payload;
      if (e.event !== 'key.rotated' || !e.key) return null;
      const to = e.detail?.to;
      const last4 = typeof to === 'string' ? ` (fingerprint ${to})` : '';
      return {
        tag: `rotated:${e.key}`,
        title: `Rotated ${e.key}`,
        body: `The new key${last4} is in use and the old one is retired. Connected clients kept working.`,
        urgency: 'normal',
        openKey: e.key,
      };
    }
    case 'rotation.step': {
      const s = event.payload;
      if (s.ok) return null;
      const step = s.step.toLowerCase();
      const doing = STEP_WORDS[step] ?? s.step;
      const why = s.message ? `: ${s.message}` : '';
      const revoking = step === 'revoke' || step === 'revoked' || step === 'forget';
      return {
        tag: `rotation-failed:${s.key}:${s.rotationId}:${step}`,
        title: revoking ? `Old key of ${s.key} not revoked yet` : `Rotation of ${s.key} failed`,
        body: revoking
          ? `Failed ${doing}${why}. The new key is in use; Keyway will retry.`
          : `Failed ${doing}${why}. Keyway kept the old key; nothing changed for your clients.`,
        urgency: revoking ? 'normal' : 'critical',
        openKey: s.key,
      };
    }
    case 'key.due': {
      const d = event.payload;
      return {
        tag: `due:${d.key}`,
        title: `${d.key} is due for rotation`,
        body: d.guided
          ? 'Open Keyway to rotate it: make the new key in the vendor dashboard and paste it.'
          : 'Rotate it in one click from the tray or in Keyway.',
        urgency: 'normal',
        openKey: d.key,
      };
    }
    case 'key.refused': {
      const r = event.payload;
      return {
        tag: `refused:${r.key}:${r.versionId}`,
        title: `The vendor refused ${r.key}`,
        body: `HTTP ${r.status}: agents using this key get errors. Rotate it, or check it in the vendor dashboard.`,
        urgency: 'critical',
        openKey: r.key,
      };
    }
    case 'account.needsLogin': {
      const { account, reason } = event.payload;
      return {
        tag: `needs-login:${account}`,
        title: `Log in to ${account} again`,
        body: `${reason}. Agents using ${account}/oauth get errors until you log in (Keyway → Accounts → Log in, or \`keyway account login ${account}\`).`,
        urgency: 'critical',
        openKey: `${account}/oauth`,
      };
    }
    case 'rotation.changed': {
      const { key, rotation } = event.payload;
      if (rotation?.waitingFor !== 'user-revoke') return null;
      return {
        tag: `user-revoke:${rotation.id}`,
        title: `Finish rotating ${key}`,
        body: 'The new key is in use. Revoke the old key in the vendor dashboard, then confirm in Keyway.',
        urgency: 'normal',
        openKey: key,
      };
    }
    default:
      return null;
  }
}

/**
 * Drops a notification whose tag was shown within `windowMs`: a refused key is reported on
 * every proxied request, and nobody wants a notification per request.
 */
export class NotificationGate {
  private readonly shown = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  admit(spec: NotificationSpec): boolean {
    const t = this.now();
    for (const [tag, at] of this.shown) if (t - at >= this.windowMs) this.shown.delete(tag);
    if (this.shown.has(spec.tag)) return false;
    this.shown.set(spec.tag, t);
    return true;
  }
}

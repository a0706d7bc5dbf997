import type {
  ConnectionView,
  KeyView,
  RotationView,
  ServiceStatus,
  VendorInfo,
} from '../../shared/contract';
import type { Account } from '../../shared/domain';
import type { KeyMarker, TrayKey, TrayState } from './tray-menu';

const DAY = 86_400_000;
/** A key is "due soon" this long before its rotation date. */
export const DUE_SOON_MS = 7 * DAY;

export interface TraySources {
  status: Pick<ServiceStatus, 'proxy'>;
  keys: KeyView[];
  rotations: RotationView[];
  connections: ConnectionView[];
  vendors: Pick<VendorInfo, 'id' | 'displayName' | 'capabilities'>[];
  /** Keys the service said are due (`key.due` events) since the app started. */
  dueRefs: ReadonlySet<string>;
  /** Refs whose rotation this app is running right now. */
  rotating: ReadonlySet<string>;
  paused: boolean;
  canPauseProxy: boolean;
  now: Date;
  /** For OAuth accounts' state ("needs login"); absent in builds that do not list accounts. */
  accounts?: Pick<Account, 'name' | 'oauth'>[];
}

/** The worst thing about a key, for the tray's marker. */
export function keyMarker(
  key: KeyView,
  rotation: RotationView | undefined,
  dueEvent: boolean,
  now: Date,
): KeyMarker {
  if (key.refusedAt) return 'refused';
  const created = key.version ? Date.parse(key.version.created) : NaN;
  const dueAt = key.rotateEvery && !Number.isNaN(created) ? created + key.rotateEvery * DAY : null;
  if (dueAt !== null && dueAt <= now.getTime()) return 'overdue';
  if (rotation?.waitingFor === 'revoke-retry' || key.versions.some((v) => v.state === 'retiring'))
    return 'retiring';
  if (rotation?.waitingFor === 'user-revoke' || rotation?.waitingFor === 'paste') return 'waiting';
  if (dueEvent || (dueAt !== null && dueAt - now.getTime() <= DUE_SOON_MS)) return 'due';
  return null;
}

export function trayStateFrom(src: TraySources): TrayState {
  const keys: TrayKey[] = src.keys.map((k) => {
    const vendor = src.vendors.find((v) => v.id === k.vendor);
    const oauth = src.accounts?.find((a) => a.name === k.account && a.oauth)?.oauth;
    const isOAuthKey = oauth !== undefined && k.ref === `${k.account}/oauth`;
    return {
      ref: k.ref,
      vendorName: vendor?.displayName ?? k.vendor,
      marker:
        isOAuthKey && oauth.state === 'needs-login'
          ? 'needs-login'
          : keyMarker(
              k,
              src.rotations.find((r) => r.key === k.ref),
              src.dueRefs.has(k.ref),
              src.now,
            ),
      oneClickRotate: !isOAuthKey && (vendor?.capabilities.mint ?? false),
      rotating: src.rotating.has(k.ref),
      ...(isOAuthKey ? { oauth: true } : {}),
    };
  });
  return {
    proxy: { running: src.status.proxy.running, paused: src.paused, port: src.status.proxy.port },
    canPauseProxy: src.canPauseProxy,
    keys,
    connections: src.connections.map((c) => ({ slug: c.slug, url: c.url })),
  };
}

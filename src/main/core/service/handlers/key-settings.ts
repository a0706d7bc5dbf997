import { KeywayError } from '../../../../shared/errors';
import { currentVersion } from '../../../../shared/domain';
import { secretNames } from '../../keychain/secret-store';
import { findAccount, findKey } from '../../store/lookups';
import { keyView } from '../views/key-view';
import {
  commit,
  record,
  type Handlers,
  type ProxyPort,
  type ServiceContext,
  type ShellPort,
} from '../service-context';
import { settingsView } from '../views/settings-view';

const CLIPBOARD_CLEAR_MS = 30_000;

export function keySettingsHandlers(
  ctx: ServiceContext,
  shell: ShellPort,
  proxy: ProxyPort,
): Pick<
  Handlers,
  'key.setPolicy' | 'key.copy' | 'settings.get' | 'settings.update' | 'connection.stats'
> {
  return {
    async 'key.setPolicy'({ ref, rotateEvery }) {
      findKey(ctx.store.current, ref);
      const key = await commit(
        ctx,
        (doc) => {
          const k = findKey(doc, ref);
          k.rotateEvery = rotateEvery;
          return k;
        },
        { event: 'key.policy', key: ref, client: null, detail: { rotateEvery } },
        'keys',
      );
      return keyView(key, findAccount(ctx.store.current, key.account).serviceAccount);
    },

    async 'key.copy'({ ref }) {
      const copy = shell.copyToClipboard;
      if (!copy) {
        throw new KeywayError(
          'unsupported',
          'Copy key works in the desktop app, which writes the clipboard itself; the web UI never receives a key. Point clients at the proxy URL instead.',
        );
      }
      const key = findKey(ctx.store.current, ref);
      const version = currentVersion(key);
      const secret = version
        ? await ctx.secrets.get(secretNames.keyVersion(version.id))
        : undefined;
      if (!secret) throw new KeywayError('not_found', `key "${ref}" has no active version to copy`);
      copy(secret, CLIPBOARD_CLEAR_MS);
      await record(ctx, { event: 'key.copied', key: ref, client: null });
      return { copied: true, clearAfterSeconds: CLIPBOARD_CLEAR_MS / 1000 };
    },

    async 'settings.get'() {
      return settingsView(ctx, shell);
    },

    async 'settings.update'(patch) {
      if (patch.launchAtLogin !== undefined) {
        if (!shell.setLaunchAtLogin) {
          throw new KeywayError(
            'unsupported',
            'launch at login is a desktop-app setting; `keyway serve` is started by your service manager',
            'launchAtLogin',
          );
        }
        shell.setLaunchAtLogin(patch.launchAtLogin);
      }
      // Settings are not audited; the change is still announced.
      await commit(
        ctx,
        (doc) => {
          if (patch.proxyPort !== undefined) doc.settings.proxyPort = patch.proxyPort;
          if (patch.defaultRotateEvery !== undefined)
            doc.settings.defaultRotateEvery = patch.defaultRotateEvery;
          if (patch.launchAtLogin !== undefined) doc.settings.launchAtLogin = patch.launchAtLogin;
        },
        null,
        'settings',
      );
      return settingsView(ctx, shell);
    },

    async 'connection.stats'() {
      return proxy.stats();
    },
  };
}

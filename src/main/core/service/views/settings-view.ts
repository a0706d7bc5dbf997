import type { SettingsView } from '../../../../shared/contract';
import type { ServiceContext, ShellPort } from '../service-context';

/** The settings, and whether this shell can change launch at login. */
export function settingsView(ctx: ServiceContext, shell: ShellPort): SettingsView {
  const s = ctx.store.current.settings;
  return { ...s, launchAtLoginSupported: shell.setLaunchAtLogin !== null };
}

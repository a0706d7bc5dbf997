import { platform } from 'node:os';

/** What to install or unlock on this OS when the keychain cannot be reached. */
export function keychainFix(): string {
  switch (platform()) {
    case 'darwin':
      return 'Unlock your login keychain (Keychain Access → File → Unlock Keychain "login") and allow Keyway access when macOS asks.';
    case 'win32':
      return 'Windows Credential Manager must be available: sign in to a normal user session (not a service account without a profile).';
    default:
      return (
        'Keyway needs a Secret Service on D-Bus: install and unlock one, e.g. `sudo apt-get install gnome-keyring` ' +
        '(or KeePassXC with Secret Service enabled), log in to a desktop session or run inside `dbus-run-session`, ' +
        'and unlock the "login" keyring. Keyway never falls back to storing keys in plain files.'
      );
  }
}

export function keychainBackendName(): string {
  switch (platform()) {
    case 'darwin':
      return 'macOS Keychain';
    case 'win32':
      return 'Windows Credential Manager';
    default:
      return 'Secret Service (D-Bus)';
  }
}

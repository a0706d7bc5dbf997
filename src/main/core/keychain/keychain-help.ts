import { platform } from 'node:os';

/**
 * A Secret Service that answers but whose "login" collection is locked (a headless session with
 * no prompter: gnome-keyring answers "unlock prompt was dismissed"). Installing anything would
 * not help; unlocking does.
 */
export function isLockedKeyring(reason: string): boolean {
  return /\block(ed)?\b|unlock prompt|prompt was dismissed/i.test(reason);
}

const UNLOCK_FIX =
  'The "login" keyring is locked and there is no desktop session to ask for its password: unlock it with ' +
  '`printf %s "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --replace --components=secrets` in this ' +
  'D-Bus session (README: "Headless Linux"), or log in to a desktop session. Keyway never falls back to storing keys in plain files.';

/** What to install or unlock on this OS when the keychain cannot be reached. */
export function keychainFix(reason = ''): string {
  if (platform() === 'linux' && isLockedKeyring(reason)) return UNLOCK_FIX;
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

/**
 * Why the desktop app could not start, and what the dialog says and offers. Pure decisions over
 * the error `startKeyway` rejected with and a few facts about the machine; `index.ts` only
 * shows the dialog and carries out the chosen action.
 */

export type StartupCause =
  | 'no-secret-service'
  | 'keychain-locked'
  | 'data-dir-in-use'
  | 'port-in-use'
  | 'corrupt-store'
  | 'unknown';

export type StartupAction =
  | { id: 'quit'; label: string }
  | { id: 'retry'; label: string }
  | { id: 'use-port'; label: string; port: number }
  | { id: 'show-file'; label: string; file: string };

export interface StartupDialog {
  cause: StartupCause;
  title: string;
  message: string;
  detail: string;
  /** In button order; the first is the default, `quit` is always there (and Escape). */
  actions: StartupAction[];
}

export interface StartupFacts {
  platform: NodeJS.Platform;
  /** `ID` and `ID_LIKE` from /etc/os-release on Linux (e.g. "ubuntu debian"), else "". */
  linuxIds: string;
  port: number;
  /** The Keyway instance announced on that port, if any (from the discovery file it wrote). */
  portOwner: { pid: number; dataDir: string } | null;
}

const QUIT: StartupAction = { id: 'quit', label: 'Quit' };
const RETRY: StartupAction = { id: 'retry', label: 'Try again' };

export function startupDialog(err: unknown, facts: StartupFacts): StartupDialog {
  const code = typeof err === 'object' && err && 'code' in err ? String(err.code) : '';
  const text = err instanceof Error ? err.message : String(err);

  if (code === 'keychain_unavailable') {
    const why = keychainReason(text);
    if (/locked|interaction is not allowed|unlock|dismissed|cancell?ed/i.test(why))
      return {
        cause: 'keychain-locked',
        title: 'Keyway cannot start',
        message: 'Your keychain is locked.',
        detail: `${unlockHelp(facts.platform)} Then choose Try again. (${why})`,
        actions: [RETRY, QUIT],
      };
    return {
      cause: 'no-secret-service',
      title: 'Keyway cannot start',
      message: 'Keyway found no keychain to keep your keys in.',
      detail: `${installHelp(facts)} Keyway never falls back to storing keys in plain files. (${why})`,
      actions: [RETRY, QUIT],
    };
  }

  const holder =
    /Another Keyway \(([^,]+), pid (\d+)\) is already using the data directory (.+?)\. /.exec(text);
  if (holder)
    return {
      cause: 'data-dir-in-use',
      title: 'Keyway is already running',
      message: `${holder[1]} (pid ${holder[2]}) is already using your Keyway data.`,
      detail: `Only one Keyway can own ${holder[3]} at a time. Stop that one (for \`keyway serve\`, Ctrl+C in its terminal), then choose Try again; or keep using it: the CLI and its web UI work as usual.`,
      actions: [RETRY, QUIT],
    };

  const port = /127\.0\.0\.1:(\d+) is already in use/.exec(text);
  if (port) {
    const n = Number(port[1]);
    const owner = facts.portOwner;
    return {
      cause: 'port-in-use',
      title: 'Keyway cannot start its proxy',
      message: owner
        ? `Port ${n} is taken by another Keyway (pid ${owner.pid}, data in ${owner.dataDir}).`
        : `Port ${n} is taken by another program.`,
      detail:
        `Keyway can start on a free port instead; AI clients set up with port ${n} then need their URL updated ` +
        '(Connections shows the new one). To keep this port, stop what uses it and choose Try again.',
      actions: [{ id: 'use-port', label: 'Start on a free port', port: 0 }, RETRY, QUIT],
    };
  }

  const store = /cannot read its store (.+?): (.+?)\. The file was left untouched/.exec(text);
  if (store)
    return {
      cause: 'corrupt-store',
      title: 'Keyway cannot read its data',
      message: `The store ${store[1]} cannot be read: ${store[2]}.`,
      detail:
        'Keyway left the file untouched. Restore it from a backup, or move it away to start with an ' +
        'empty store (your keys stay in the keychain, but Keyway will no longer know them).',
      actions: [{ id: 'show-file', label: 'Show in file manager', file: store[1] ?? '' }, QUIT],
    };

  return {
    cause: 'unknown',
    title: 'Keyway cannot start',
    message: 'Something went wrong while starting Keyway.',
    detail: text.slice(0, 500),
    actions: [RETRY, QUIT],
  };
}

/** The platform's own words for why the keychain failed, without Keyway's fix text around it. */
function keychainReason(text: string): string {
  const m = /(?:cannot be reached|could not \w+ a Keyway entry): (.*?)\.(?: [A-Z]|$)/.exec(text);
  return (m?.[1] ?? text).trim();
}

function unlockHelp(platform: NodeJS.Platform): string {
  if (platform === 'darwin')
    return 'Open Keychain Access, choose File → Unlock Keychain "login", and allow Keyway when macOS asks.';
  if (platform === 'win32')
    return 'Sign in to your Windows session again to unlock Credential Manager.';
  return 'Unlock the "login" keyring (Passwords and Keys / Seahorse, or log out and in again).';
}

/** Which package gives this machine a Secret Service. */
export function installHelp(facts: Pick<StartupFacts, 'platform' | 'linuxIds'>): string {
  if (facts.platform === 'darwin')
    return 'The macOS Keychain did not answer: log in to a normal macOS user session.';
  if (facts.platform === 'win32')
    return 'Windows Credential Manager did not answer: sign in to a normal user session with a profile.';
  const ids = facts.linuxIds.toLowerCase().split(/\s+/);
  const has = (id: string) => ids.includes(id);
  const cmd =
    has('debian') || has('ubuntu')
      ? 'sudo apt install gnome-keyring'
      : has('fedora') || has('rhel') || has('centos')
        ? 'sudo dnf install gnome-keyring'
        : has('arch')
          ? 'sudo pacman -S gnome-keyring'
          : has('opensuse') || has('suse')
            ? 'sudo zypper install gnome-keyring'
            : null;
  const install = cmd
    ? `Install a Secret Service: \`${cmd}\` (or KeePassXC with Secret Service enabled)`
    : 'Install a Secret Service such as gnome-keyring or KeePassXC (with Secret Service enabled)';
  return `${install}, then log out and in again so it starts with your session.`;
}

import type { Shell } from '../api/keyway-client';

/** A browser tab opened for an OAuth sign-in before its URL is known. */
export interface SignInTab {
  navigate(url: string): void;
  close(): void;
}

/**
 * The web UI opens the authorization page in the user's own browser, as a new tab: opened
 * blank in the click itself (a tab opened later, after a round trip to Keyway, is a popup the
 * browser blocks), then sent to the URL. The page gets no handle on this one (`opener` cut).
 * Null on the desktop, where Keyway opens the system browser itself; a blocked tab is a tab
 * that goes nowhere (the "open the sign-in page" link is then the way).
 */
export function openSignInTab(shell: Shell, win: Window = window): SignInTab | null {
  if (shell !== 'browser') return null;
  const tab = win.open('', '_blank');
  if (!tab) return { navigate: () => undefined, close: () => undefined };
  tab.opener = null;
  return {
    navigate(url) {
      const u = new URL(url);
      // Only a web page: never a javascript: or data: URL from a misbehaving server.
      if (u.protocol === 'https:' || u.protocol === 'http:') tab.location.href = u.href;
      else tab.close();
    },
    close: () => tab.close(),
  };
}

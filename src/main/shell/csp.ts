/**
 * The Electron renderer's Content Security Policy: our own scripts only, no eval, no inline
 * scripts (inline styles are allowed: React sets `style`), no plugins, no framing. The renderer
 * talks to main over IPC only, so it needs no network — except the dev server's hot reload.
 */
export function rendererCsp(devServerUrl?: string): string {
  const connect = devServerUrl
    ? `'self' ${new URL(devServerUrl).origin} ${new URL(devServerUrl).origin.replace(/^http/, 'ws')}`
    : "'none'";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Links the renderer may open outside the app (vendor dashboards): http(s) only. */
export function externalUrlAllowed(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/** The one permission the renderer uses: writing a proxy URL or a config snippet to the clipboard. */
export function permissionAllowed(permission: string): boolean {
  return permission === 'clipboard-sanitized-write';
}

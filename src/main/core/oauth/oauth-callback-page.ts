import type { ServerResponse } from 'node:http';

/** Where the authorization server sends the browser back to Keyway. */
export const CALLBACK_PATH = '/oauth/callback';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** The page the browser lands on after the authorization server sends it back to Keyway. */
export function sendCallbackPage(
  res: ServerResponse,
  status: number,
  title: string,
  message: string,
): void {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Keyway — ${escapeHtml(title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    'Referrer-Policy': 'no-referrer',
  });
  res.end(body);
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { readText, sendText } from './sandbox-http';
import type { SandboxVendorHost } from './sandbox-vendor';

const VENDOR_TITLES: Record<string, string> = {
  qyvo: 'Qyvo — Settings → API Tokens',
  quave: 'Quave — MCP keys',
  qwoty: 'Qwoty — Settings → Developer → API Tokens',
  specivo: 'Specivo — Your profile → API keys',
  custom: 'Custom MCP server — keys',
};

/**
 * The vendor's key page as a person sees it, for guided flows in end-to-end tests: a list of keys
 * (never their secrets), a create form that shows the new key's plaintext once, and revoke buttons.
 */
export async function handleDashboardPage(
  server: SandboxVendorHost,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  let notice = '';
  if (req.method === 'POST') {
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== server.origin) {
      sendText(res, 403, 'Forbidden');
      return;
    }
    const form = new URLSearchParams(await readText(req));
    try {
      if (form.get('action') === 'create') {
        const scopes = (form.get('scopes') ?? '').split(/[\s,]+/).filter(Boolean);
        const { secret } = server.createKey({ name: form.get('name') || 'key', scopes });
        notice = `<p role="status">Copy your new key now, it will not be shown again:
          <output data-testid="new-secret">${esc(secret)}</output></p>`;
      } else if (form.get('action') === 'revoke') {
        const ok = server.ctx.keys.revoke(form.get('id') ?? '');
        notice = `<p role="status">${ok ? 'Key revoked.' : 'No such key.'}</p>`;
      }
    } catch (e) {
      notice = `<p role="alert">${esc(e instanceof Error ? e.message : 'Failed')}</p>`;
    }
  } else if (req.method !== 'GET') {
    sendText(res, 405, 'Method Not Allowed');
    return;
  }
  const rows = server.ctx.keys
    .all()
    .map(
      (k) => `<tr><td>${esc(k.name)}</td><td>${esc(k.scopes.join(' '))}</td>
        <td>${k.revoked ? 'revoked' : k.enabled ? 'active' : 'disabled'}</td><td>${esc(k.createdAt)}</td>
        <td>${k.revoked ? '' : revokeForm(k.id, k.name)}</td></tr>`,
    )
    .join('\n');
  const title = VENDOR_TITLES[server.def.id] ?? server.def.id;
  sendText(
    res,
    200,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head>
<body><h1>${esc(title)}</h1>${notice}
<form method="post"><input type="hidden" name="action" value="create">
<label>Name <input name="name" required></label>
<label>Scopes <input name="scopes"></label>
<button type="submit">Create token</button></form>
<table><thead><tr><th>Name</th><th>Scopes</th><th>State</th><th>Created</th><th></th></tr></thead>
<tbody>${rows}</tbody></table></body></html>`,
    'text/html; charset=utf-8',
  );
}

function revokeForm(id: string, name: string): string {
  return `<form method="post"><input type="hidden" name="action" value="revoke">
    <input type="hidden" name="id" value="${esc(id)}">
    <button type="submit" aria-label="Revoke ${esc(name)}">Revoke</button></form>`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

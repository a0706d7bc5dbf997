import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { VendorId } from '../../../shared/domain';
import type { VendorEndpoint } from './vendor-adapter';
import { VENDOR_NAMES, VendorError, bodyMessage, scrub, statusError } from './vendor-error';
import { authHeaderValue, httpOptions, networkError } from './vendor-http';
import type { DiscoverOutcome, McpProbeResult } from './mcp-discover';
import { discover } from './mcp-discover';
import { qyvoError } from './qyvo';

export type { McpProbeResult } from './mcp-discover';

/** What each vendor's MCP server means by a refusal, from its document. */
const REFUSAL_HINTS: Record<VendorId, { 401: string; 403: string }> = {
  qyvo: {
    401: 'the token is wrong, revoked, or lacks the mcp scope',
    403: 'the token authenticates but lacks the mcp scope the MCP server requires',
  },
  quave: {
    401: 'the MCP key is wrong, deleted, regenerated or disabled',
    403: 'the MCP key authenticates but lacks a scope the MCP server requires',
  },
  qwoty: {
    401: 'the token is missing, invalid or revoked',
    403: "the token is valid but doesn't have permission for MCP",
  },
  specivo: {
    401: 'the key is wrong or revoked',
    403: 'the key authenticates, but it lacks the mcp scope, so the MCP server refuses it; create a key with the mcp scope',
  },
  custom: {
    401: 'the key is wrong or revoked, or the header name or prefix is not what the server expects',
    403: 'the key authenticates but the server forbids MCP with it',
  },
};

/**
 * Proves a key works for MCP, in the era the server speaks: `server/discover` (2026-07-28) first,
 * then, when the answer says the server is not modern (the spec's backward-compatibility rule),
 * a real MCP `initialize` against ep.mcpUrl with the key on the account's auth header, then a
 * clean close (the session is terminated so the vendor does not keep it). Proves the key works for
 * MCP, which a REST verify call cannot. Throws VendorError: `refused` on 401/403.
 */
/**
 * The SDK's client side (with its schema validator) is loaded at the first probe, not with the
 * service: an idle `keyway serve` never needs it, and it is several MiB of memory.
 */
async function loadSdk() {
  const [{ Client }, { SSEClientTransport }, { StreamableHTTPClientTransport }, types] =
    await Promise.all([
      import('@modelcontextprotocol/sdk/client/index.js'),
      import('@modelcontextprotocol/sdk/client/sse.js'),
      import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
      import('@modelcontextprotocol/sdk/types.js'),
    ]);
  const isTimeout = (e: unknown): boolean =>
    e instanceof types.McpError && e.code === (types.ErrorCode.RequestTimeout as number);
  return { Client, SSEClientTransport, StreamableHTTPClientTransport, isTimeout };
}

export async function probeMcp(
  ep: VendorEndpoint,
  secret: string,
  signal?: AbortSignal,
  vendor: VendorId = 'custom',
): Promise<McpProbeResult> {
  // Before the deadline starts: loading the SDK is not the vendor's time.
  const { Client, SSEClientTransport, StreamableHTTPClientTransport, isTimeout } = await loadSdk();
  const url = new URL(ep.mcpUrl);
  const { timeoutMs } = httpOptions(ep.http);
  const deadline = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
  const refusal: { status?: number; detail?: string } = {};

  const probeFetch = async (input: string | URL, init?: RequestInit): Promise<Response> => {
    const own = init?.signal ? AbortSignal.any([init.signal, combined]) : combined;
    const res = await fetch(input, { ...init, signal: own });
    if (!res.ok && refusal.status === undefined) {
      refusal.status = res.status;
      refusal.detail = detailOf(await res.clone().text(), secret);
    }
    return res;
  };
  const requestInit: RequestInit = {
    headers: { [ep.auth.header]: authHeaderValue(ep.auth, secret) },
  };
  if (ep.transport !== 'sse') {
    let found: DiscoverOutcome;
    try {
      found = await discover(url, requestInit.headers as Record<string, string>, combined);
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      throw probeError(vendor, url, e, refusal, deadline.aborted, timeoutMs, secret);
    }
    if (found.kind === 'modern') return found.result;
    if (found.kind === 'refused') {
      const said = { status: found.status, detail: detailOf(found.body, secret) };
      throw probeError(vendor, url, new Error('refused'), said, false, timeoutMs, secret);
    }
    if (found.kind === 'unsupported') {
      throw new VendorError(
        vendor,
        'bad-request',
        `${VENDOR_NAMES[vendor]}'s MCP server at ${url.pathname} speaks MCP ${found.supported.join(', ') || 'versions it did not name'}; Keyway speaks 2026-07-28 and 2025-11-25 or earlier`,
      );
    }
  }
  const transport: Transport =
    ep.transport === 'sse'
      ? new SSEClientTransport(url, { requestInit, fetch: probeFetch })
      : new StreamableHTTPClientTransport(url, { requestInit, fetch: probeFetch });
  const client = new Client({ name: 'keyway-probe', version: '1.0.0' });

  try {
    // The SDK's own request timeout is a backstop; the fetch deadline fires first with a clear cause.
    await client.connect(transport, { signal: combined, timeout: timeoutMs + 1000 });
    const server = client.getServerVersion();
    const protocolVersion =
      transport instanceof StreamableHTTPClientTransport
        ? (transport.protocolVersion ?? null)
        : null;
    return {
      serverName: server?.name ?? 'unknown',
      serverVersion: server?.version ?? 'unknown',
      protocolVersion,
    };
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    throw probeError(vendor, url, e, refusal, deadline.aborted || isTimeout(e), timeoutMs, secret);
  } finally {
    if (transport instanceof StreamableHTTPClientTransport && transport.sessionId) {
      // The probe's answer is decided; a vendor that will not end the session expires it.
      await transport.terminateSession().catch(() => undefined);
    }
    // Only local clean-up of a client whose answer is already decided; nothing to tell.
    await client.close().catch(() => undefined);
  }
}

function detailOf(text: string, secret: string): string {
  try {
    const said = bodyMessage(JSON.parse(text), [secret]);
    if (said) return said;
  } catch {
    // Not JSON: a short plain-text body is still the vendor's own words.
  }
  const plain = text.trim();
  return plain && plain.length <= 200 && !plain.startsWith('<') ? scrub(plain, [secret]) : '';
}

function probeError(
  vendor: VendorId,
  url: URL,
  e: unknown,
  refusal: { status?: number; detail?: string },
  timedOut: boolean,
  timeoutMs: number,
  secret: string,
): VendorError {
  const name = VENDOR_NAMES[vendor];
  const what = `MCP initialize at ${url.pathname}`;
  const said = refusal.detail ? ` “${refusal.detail}”` : '';
  if (timedOut) {
    return networkError(vendor, what, url, e, true, timeoutMs);
  }
  const status = refusal.status;
  if (status === 401) {
    return new VendorError(
      vendor,
      'refused',
      `${name}'s MCP server refused the key (401${said}): ${REFUSAL_HINTS[vendor][401]}`,
      { status },
    );
  }
  if (status === 403) {
    return new VendorError(
      vendor,
      'refused',
      `${name}'s MCP server refused the key (403${said}): ${REFUSAL_HINTS[vendor][403]}`,
      { status },
    );
  }
  // Qyvo's catalogue applies to /mcp as to REST: 422 is a user without a workspace.
  if (vendor === 'qyvo' && status === 422) return qyvoError(status, what);
  if (status === 404 || status === 405) {
    return new VendorError(
      vendor,
      'not-found',
      `${name} has no MCP server at ${url.pathname} (${status}): check the MCP URL and its transport (streamable HTTP or legacy SSE)`,
      { status },
    );
  }
  if (status !== undefined) return statusError(vendor, status, what, refusal.detail);
  if (e instanceof TypeError || causeHasCode(e)) {
    return networkError(vendor, what, url, e, false, timeoutMs);
  }
  const msg = e instanceof Error ? scrub(e.message, [secret]) : 'unknown failure';
  return new VendorError(
    vendor,
    'bad-request',
    `${name}'s MCP server at ${url.pathname} did not complete initialize: ${msg}`,
  );
}

function causeHasCode(e: unknown): boolean {
  const cause = (e as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string';
}

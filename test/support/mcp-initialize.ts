/** An MCP initialize through the proxy, as an AI client's first request; the body is unread. */
export function initializeThroughProxy(url: string, token: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: initializeRequest(1, '2025-06-18'),
  });
}

/** A 2025-era client's `initialize` request, as JSON. */
export function initializeRequest(id: number, protocolVersion = '2025-11-25'): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion, capabilities: {}, clientInfo: { name: 't', version: '1' } },
  });
}

/** Only the status of that initialize (the response body is discarded). */
export async function initializeStatus(url: string, token: string): Promise<number> {
  const res = await initializeThroughProxy(url, token);
  await res.body?.cancel();
  return res.status;
}

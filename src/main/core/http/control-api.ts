import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTP_STATUS, KeywayError, type ErrorBody } from '../../../shared/errors';
import type { KeyService } from '../service/key-service';
import type { EventBus } from '../events';
import { tokensEqual } from '../secret-facts';
import { BodyError, bearerToken, readJsonBody } from './request-guards';

const MAX_CONTROL_BODY = 1024 * 1024;

export interface ControlApiDeps {
  service: KeyService;
  events: EventBus;
  controlToken: string;
  log: (line: string) => void;
}

/**
 * The HTTP face of the contract: `POST /api/op/<operation>` with the input as JSON, answered
 * with `{result}` or `{error}`; `GET /api/events` streams service events as SSE. Nothing here
 * knows an operation by name — the contract is the only list.
 */
export async function handleControlApi(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  deps: ControlApiDeps,
): Promise<void> {
  const token = bearerToken(req);
  if (!token || !tokensEqual(token, deps.controlToken)) {
    res.setHeader('WWW-Authenticate', 'Bearer realm="keyway-control"');
    return sendError(
      res,
      new KeywayError(
        'unauthorized',
        'missing or wrong control token (the CLI finds it in the OS keychain; the web UI gets it in its URL)',
      ),
    );
  }
  if (path === '/api/events' && req.method === 'GET') return streamEvents(req, res, deps.events);
  const match = /^\/api\/op\/([A-Za-z.]+)$/.exec(path);
  if (!match?.[1])
    return sendError(
      res,
      new KeywayError('not_found', `no control API route ${req.method ?? ''} ${path}`),
    );
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return sendJson(res, 405, { error: { code: 'bad_input', message: 'use POST' } });
  }
  let input: unknown;
  try {
    input = await readJsonBody(req, MAX_CONTROL_BODY);
  } catch (err) {
    if (err instanceof BodyError)
      return sendJson(res, err.status, { error: { code: 'bad_input', message: err.message } });
    throw err;
  }
  try {
    const result = await deps.service.call(match[1], input);
    sendJson(res, 200, { result: result ?? null });
  } catch (err) {
    if (!(err instanceof KeywayError))
      deps.log(`internal error in ${match[1]}: ${(err as Error).message}`);
    sendError(res, err);
  }
}

function streamEvents(req: IncomingMessage, res: ServerResponse, events: EventBus): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
  });
  res.write(': keyway events\n\n');
  const unsubscribe = events.subscribe((event) => {
    res.write(`event: ${event.type}\ndata: ${JSON.stringify(event.payload)}\n\n`);
  });
  // Comments keep idle proxies and browsers from closing a quiet stream.
  const keepAlive = setInterval(() => res.write(': ping\n\n'), 15_000);
  req.on('close', () => {
    clearInterval(keepAlive);
    unsubscribe();
  });
}

export function sendError(res: ServerResponse, err: unknown): void {
  const body: ErrorBody =
    err instanceof KeywayError
      ? err.toBody()
      : { code: 'internal', message: 'internal error; see the Keyway log' };
  sendJson(res, HTTP_STATUS[body.code], { error: body });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

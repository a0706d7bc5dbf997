// An MCP server on the SDK v2 that implements what the conformance server suite calls (tools,
// resources, templates, prompts, completion, subscriptions, logging), served on loopback in one
// of two ways: `era: 'modern'` speaks only 2026-07-28 (a 2025 `initialize` is refused with the
// unsupported-version error), `era: 'dual'` speaks both (2025 requests are served statelessly,
// the SDK's default). The era bridge is judged by running the suite through Keyway against the
// first and directly against the second.
import {
  completable,
  McpServer,
  ResourceNotFoundError,
  ResourceTemplate,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { PNG_BASE64 } from '../media';
import { startModernServer } from '../../modern/modern-endpoint';
import type { ModernEra } from '../../modern/modern-endpoint';
import { registerConformanceTools } from './modern-conformance-tools';

export type ServedEra = ModernEra;

const JSON_TYPE = { 'content-type': 'application/json' };

export interface ModernConformanceServer {
  url: string;
  era: ServedEra;
  /** Authorization headers seen, in order. */
  seenAuth: string[];
  /** Hosts accepted besides its own, e.g. a header hop's (which keeps the client's Host). */
  allowHosts(hosts: string[]): void;
  close(): Promise<void>;
}

const WORDS = ['paris', 'park', 'party', 'test', 'testValue1', 'testValue2'];
const WATCHED_URI = 'test://watched-resource';

function text(role: 'user', value: string) {
  return { role, content: { type: 'text' as const, text: value } };
}

export function conformanceFactory(): McpServer {
  const server = new McpServer(
    { name: 'modern-conformance', version: '1.0.0' },
    {
      capabilities: {
        logging: {},
        completions: {},
        tools: { listChanged: true },
        prompts: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
      },
    },
  );
  registerConformanceTools(server);
  server.registerResource(
    'static-text',
    'test://static-text',
    { mimeType: 'text/plain', description: 'A static text resource' },
    (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'text/plain',
          text: 'This is the content of the static text resource.',
        },
      ],
    }),
  );
  server.registerResource(
    'static-binary',
    'test://static-binary',
    { mimeType: 'image/png', description: 'A static binary resource (a PNG image)' },
    (uri) => ({
      contents: [{ uri: uri.href, mimeType: 'image/png', blob: PNG_BASE64 }],
    }),
  );
  server.registerResource('watched-resource', WATCHED_URI, { mimeType: 'text/plain' }, (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Watched resource, version 0' }],
  }));
  server.registerResource(
    'template-data',
    new ResourceTemplate('test://template/{id}/data', {
      list: undefined,
      complete: { id: (value) => ['1', '2', '3', '123'].filter((v) => v.startsWith(value)) },
    }),
    { mimeType: 'application/json', description: 'Data for any id' },
    (uri, { id }) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${String(id)}` }),
        },
      ],
    }),
  );
  // 2025 subscriptions: the suite checks that subscribe and unsubscribe are answered. Only a
  // known resource can be subscribed to.
  const known = new Set(['test://static-text', 'test://static-binary', WATCHED_URI]);
  server.server.setRequestHandler('resources/subscribe', (request) => {
    if (!known.has(request.params.uri)) throw new ResourceNotFoundError(request.params.uri);
    return {};
  });
  server.server.setRequestHandler('resources/unsubscribe', () => ({}));

  server.registerPrompt(
    'test_simple_prompt',
    { description: 'A simple prompt without arguments' },
    () => ({
      messages: [text('user', 'This is a simple prompt for testing.')],
    }),
  );
  server.registerPrompt(
    'test_prompt_with_arguments',
    {
      description: 'A prompt with two required arguments',
      argsSchema: z.object({
        arg1: completable(z.string().describe('First test argument'), (v) =>
          WORDS.filter((w) => w.toLowerCase().startsWith(v.toLowerCase())),
        ),
        arg2: z.string().describe('Second test argument'),
      }),
    },
    ({ arg1, arg2 }) => ({
      messages: [text('user', `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`)],
    }),
  );
  server.registerPrompt(
    'test_prompt_with_embedded_resource',
    {
      description: 'A prompt that embeds a resource',
      argsSchema: z.object({ resourceUri: z.string().describe('URI of the resource to embed') }),
    },
    ({ resourceUri }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'resource',
            resource: {
              uri: resourceUri,
              mimeType: 'text/plain',
              text: 'Embedded resource content for testing.',
            },
          },
        },
        text('user', 'Please process the embedded resource above.'),
      ],
    }),
  );
  server.registerPrompt(
    'test_prompt_with_image',
    { description: 'A prompt with an image' },
    () => ({
      messages: [
        { role: 'user', content: { type: 'image', data: PNG_BASE64, mimeType: 'image/png' } },
        text('user', 'Please analyze the image above.'),
      ],
    }),
  );
  return server;
}

/**
 * Serves the conformance server on 127.0.0.1. A request whose Host is not this loopback address
 * is refused (403), as the suite's DNS-rebinding scenario expects. With `key`, a request without
 * `Authorization: Bearer <key>` is refused (401), as a vendor would.
 */
export async function startModernConformanceServer(opts: {
  era: ServedEra;
  key?: string;
}): Promise<ModernConformanceServer> {
  const seenAuth: string[] = [];
  const server = await startModernServer({
    era: opts.era,
    factory: conformanceFactory,
    guardHost: true,
    authenticate: (req) => {
      const auth = req.headers.authorization ?? '';
      seenAuth.push(auth);
      if (opts.key && auth !== `Bearer ${opts.key}`)
        return { ok: false, status: 401, headers: JSON_TYPE, body: '{"error":"invalid_token"}' };
      return { ok: true, caller: { keyId: 'server-key', label: 'conformance' } };
    },
  });
  return {
    url: server.url,
    era: opts.era,
    seenAuth,
    allowHosts: (hosts) => server.allowHosts(hosts),
    close: () => server.close(),
  };
}

import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { ReadResourceResult, Resource } from '@modelcontextprotocol/sdk/types.js';
import { activityUri, WATCHED_URI } from './activity';
import type { VendorActivity } from './activity';
import { PNG_BASE64 } from './media';

/** MCP's "resource not found" error code. */
const RESOURCE_NOT_FOUND = -32002;
const TEMPLATE = /^test:\/\/template\/([^/]+)\/data$/;

function catalogue(vendor: string): Resource[] {
  return [
    {
      uri: `sandbox://${vendor.toLowerCase()}/about`,
      name: 'about',
      title: `About the ${vendor} sandbox`,
      description: `What this local ${vendor} MCP server is`,
      mimeType: 'text/markdown',
    },
    {
      uri: activityUri(vendor),
      name: 'activity',
      title: 'Recent tool calls',
      description:
        'Tool calls served recently and by which key; changes on every call (subscribable)',
      mimeType: 'application/json',
    },
    {
      uri: 'test://static-text',
      name: 'static-text',
      description: 'A static text resource',
      mimeType: 'text/plain',
    },
    {
      uri: 'test://static-binary',
      name: 'static-binary',
      description: 'A static binary resource (a PNG image)',
      mimeType: 'image/png',
    },
    {
      uri: WATCHED_URI,
      name: 'watched-resource',
      description: 'A resource that changes on every tool call (subscribable)',
      mimeType: 'text/plain',
    },
  ];
}

function read(uri: string, activity: VendorActivity): ReadResourceResult | undefined {
  const vendor = activity.vendor;
  if (uri === `sandbox://${vendor.toLowerCase()}/about`) {
    const about = `# ${vendor} (sandbox)\n\nA local, faithful stand-in for ${vendor}'s MCP server, used by Keyway's tests and demo.\n`;
    return { contents: [{ uri, mimeType: 'text/markdown', text: about }] };
  }
  if (uri === activityUri(vendor)) {
    const json = JSON.stringify(activity.snapshot());
    return { contents: [{ uri, mimeType: 'application/json', text: json }] };
  }
  if (uri === 'test://static-text') {
    const body = 'This is the content of the static text resource.';
    return { contents: [{ uri, mimeType: 'text/plain', text: body }] };
  }
  if (uri === 'test://static-binary') {
    return { contents: [{ uri, mimeType: 'image/png', blob: PNG_BASE64 }] };
  }
  if (uri === WATCHED_URI) {
    const body = `Watched resource, version ${activity.callCount}`;
    return { contents: [{ uri, mimeType: 'text/plain', text: body }] };
  }
  const id = TEMPLATE.exec(uri)?.[1];
  if (id !== undefined) {
    const json = JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` });
    return { contents: [{ uri, mimeType: 'application/json', text: json }] };
  }
  return undefined;
}

/**
 * Resources of one session: the shared catalogue, plus this session's subscriptions. Returns a
 * function that stops notifying the session (call it when the session ends).
 */
export function serveResources(server: Server, activity: VendorActivity): () => void {
  const subscribed = new Set<string>();
  const mustRead = (uri: string): ReadResourceResult => {
    const found = read(uri, activity);
    if (!found) throw new McpError(RESOURCE_NOT_FOUND, `Resource not found: ${uri}`, { uri });
    return found;
  };

  server.setRequestHandler(ListResourcesRequestSchema, () => ({
    resources: catalogue(activity.vendor),
  }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: [
      {
        uriTemplate: 'test://template/{id}/data',
        name: 'template-data',
        description: 'Data for any id',
        mimeType: 'application/json',
      },
    ],
  }));
  server.setRequestHandler(ReadResourceRequestSchema, (request) => mustRead(request.params.uri));
  server.setRequestHandler(SubscribeRequestSchema, (request) => {
    mustRead(request.params.uri);
    subscribed.add(request.params.uri);
    return {};
  });
  server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });

  return activity.onChange((uris) => {
    for (const uri of uris) {
      if (!subscribed.has(uri)) continue;
      // A session whose client went away just misses the update.
      server.sendResourceUpdated({ uri }).catch(() => undefined);
    }
  });
}

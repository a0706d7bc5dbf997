import type { ConnectionView } from '../../shared/contract';
import type { ManifestConnection } from './manifest-schema';
import { planClients } from './plan-clients';
import type { FieldChange, PlanDraft, PlanInput } from './plan-types';

/**
 * Connections and clients: create what is missing once what they point at exists (or wait for a
 * pasted key), re-point a connection at another key, upstream or transport in place (its clients
 * keep their tokens), and leave what matches.
 */
export function planLinks(input: PlanInput, draft: PlanDraft, waitingKeys: Set<string>): void {
  const waitingConnections = new Set<string>();
  for (const { item: c } of input.manifest.connections) {
    const cur = input.state.connections.find((x) => x.slug === c.slug);
    if (cur) {
      planExistingConnection(input, draft, c, cur, waitingKeys);
      continue;
    }
    if (waitingKeys.has(c.key)) {
      waitingConnections.add(c.slug);
      draft.items.push({
        action: 'pending',
        kind: 'connection',
        name: c.slug,
        detail: `waits for key ${c.key}`,
      });
      draft.pending.push({ kind: 'connection', name: c.slug, reason: `waits for key ${c.key}` });
      continue;
    }
    draft.items.push({
      action: 'create',
      kind: 'connection',
      name: c.slug,
      detail: `key ${c.key}${c.upstream ? `, upstream ${c.upstream}` : ''}${c.transport === 'sse' ? ', legacy HTTP+SSE' : ''}`,
    });
    draft.steps.push({
      label: `create connection ${c.slug}`,
      run: async (api) => {
        await api['connection.add']({
          slug: c.slug,
          key: c.key,
          upstream: c.upstream,
          transport: c.transport ?? 'streamable-http',
        });
        return {};
      },
    });
  }
  planClients(input, draft, waitingConnections);
}

function planExistingConnection(
  input: PlanInput,
  draft: PlanDraft,
  c: ManifestConnection,
  cur: ConnectionView,
  waitingKeys: Set<string>,
): void {
  if (c.key !== cur.key && waitingKeys.has(c.key)) {
    const reason = `waits for key ${c.key}`;
    draft.items.push({
      action: 'pending',
      kind: 'connection',
      name: c.slug,
      detail: `${reason} (stays on ${cur.key} until then)`,
    });
    draft.pending.push({ kind: 'connection', name: c.slug, reason });
    return;
  }
  // Without `upstream:` a connection forwards to its key's account's MCP URL, as `connection.add`
  // does; so a changed account URL, or a key at another account, moves the upstream with it.
  const upstream = c.upstream ?? accountMcpUrl(input, c.key);
  const transport = c.transport ?? 'streamable-http';
  const changes: FieldChange[] = [];
  if (c.key !== cur.key) changes.push({ field: 'key', from: cur.key, to: c.key });
  if (upstream !== undefined && upstream !== cur.upstream)
    changes.push({ field: 'upstream', from: cur.upstream, to: upstream });
  if (transport !== cur.transport)
    changes.push({ field: 'transport', from: cur.transport, to: transport });
  if (changes.length === 0) {
    draft.items.push({
      action: 'leave',
      kind: 'connection',
      name: c.slug,
      detail: `key ${cur.key}`,
    });
    return;
  }
  draft.items.push({
    action: 'change',
    kind: 'connection',
    name: c.slug,
    detail: 'its clients keep their tokens',
    changes,
  });
  const patch = Object.fromEntries(changes.map((x) => [x.field, x.to]));
  draft.steps.push({
    label: `change connection ${c.slug}`,
    run: async (api) => {
      await api['connection.update']({ slug: c.slug, ...patch });
      return {};
    },
  });
}

/** The MCP URL the key's account will have once the accounts' steps have run. */
function accountMcpUrl(input: PlanInput, keyRef: string): string | undefined {
  const name = keyRef.split('/')[0];
  const inFile = input.manifest.accounts.find((a) => a.item.name === name)?.item;
  const cur = input.state.accounts.find((a) => a.name === name);
  if (inFile?.mcpUrl) return inFile.mcpUrl;
  if (cur) return cur.mcpUrl;
  return input.state.vendors.find((v) => v.id === inFile?.vendor)?.defaults.mcpUrl;
}

import type { PlanDraft, PlanInput } from './plan-types';

/**
 * Connections and clients: create what is missing once what they point at exists (or wait for a
 * pasted key), leave what matches, and report what the contract cannot re-point in place.
 */
export function planLinks(input: PlanInput, draft: PlanDraft, waitingKeys: Set<string>): void {
  const { manifest, state, source } = input;
  const waitingConnections = new Set<string>();
  for (const { index, item: c } of manifest.connections) {
    const path = ['connections', index];
    const cur = state.connections.find((x) => x.slug === c.slug);
    if (!cur) {
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
      continue;
    }
    const fix = 'a connection cannot be re-pointed in place; use a new slug';
    if (cur.key !== c.key)
      draft.issues.push(
        source.issue([...path, 'key'], `connection "${c.slug}" uses key ${cur.key}; ${fix}`),
      );
    if (c.upstream && c.upstream !== cur.upstream)
      draft.issues.push(
        source.issue(
          [...path, 'upstream'],
          `connection "${c.slug}" forwards to ${cur.upstream}; ${fix}`,
        ),
      );
    if (c.transport && c.transport !== cur.transport)
      draft.issues.push(
        source.issue(
          [...path, 'transport'],
          `connection "${c.slug}" uses ${cur.transport}; ${fix}`,
        ),
      );
    draft.items.push({
      action: 'leave',
      kind: 'connection',
      name: c.slug,
      detail: `key ${cur.key}`,
    });
  }
  for (const { index, item: cl } of manifest.clients) {
    const path = ['clients', index];
    const cur = state.clients.find((x) => x.name === cl.name);
    if (!cur) {
      if (waitingConnections.has(cl.connection)) {
        draft.items.push({
          action: 'pending',
          kind: 'client',
          name: cl.name,
          detail: `waits for connection ${cl.connection}`,
        });
        draft.pending.push({
          kind: 'client',
          name: cl.name,
          reason: `waits for connection ${cl.connection}`,
        });
        continue;
      }
      draft.items.push({
        action: 'create',
        kind: 'client',
        name: cl.name,
        detail: `on ${cl.connection}${cl.for ? ` for ${cl.for}` : ''}; its token is shown once`,
      });
      draft.steps.push({
        label: `create client ${cl.name}`,
        run: async (api) => {
          const created = await api['client.add']({ name: cl.name, connection: cl.connection });
          const url =
            (await api['connection.list']({})).find((c) => c.slug === cl.connection)?.url ?? '';
          return {
            token: {
              client: created.name,
              connection: created.connection,
              url,
              token: created.token,
              ...(cl.for ? { for: cl.for } : {}),
            },
          };
        },
      });
      continue;
    }
    if (cur.revokedAt) {
      draft.issues.push(
        source.issue(
          [...path, 'name'],
          `client "${cl.name}" was revoked; a revoked client's name is not reused: give it a new name`,
        ),
      );
      continue;
    }
    if (cur.connection !== cl.connection)
      draft.issues.push(
        source.issue(
          [...path, 'connection'],
          `client "${cl.name}" is on connection ${cur.connection}; a client cannot move: add a client with a new name`,
        ),
      );
    draft.items.push({
      action: 'leave',
      kind: 'client',
      name: cl.name,
      detail: `on ${cur.connection}`,
    });
  }
}

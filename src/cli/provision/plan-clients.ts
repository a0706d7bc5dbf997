import type { ManifestClient } from './manifest-schema';
import type { PlanDraft, PlanInput, PlanStep } from './plan-types';

/**
 * Clients: create what is missing once its connection exists, and — since a client's token is
 * bound to its name and connection — move a client or reuse a revoked client's name by forgetting
 * the old client and adding it anew: its new token is shown once, the old one stops working.
 */
export function planClients(
  input: PlanInput,
  draft: PlanDraft,
  waitingConnections: Set<string>,
): void {
  const { manifest, state } = input;
  for (const { item: cl } of manifest.clients) {
    const cur = state.clients.find((x) => x.name === cl.name);
    if (cur && !cur.revokedAt && cur.connection === cl.connection) {
      draft.items.push({
        action: 'leave',
        kind: 'client',
        name: cl.name,
        detail: `on ${cur.connection}`,
      });
      continue;
    }
    if (waitingConnections.has(cl.connection)) {
      const reason = `waits for connection ${cl.connection}`;
      draft.items.push({
        action: 'pending',
        kind: 'client',
        name: cl.name,
        detail:
          cur && !cur.revokedAt ? `${reason} (stays on ${cur.connection} until then)` : reason,
      });
      draft.pending.push({ kind: 'client', name: cl.name, reason });
      continue;
    }
    const shown = `its new token is shown once`;
    if (!cur) {
      draft.items.push({
        action: 'create',
        kind: 'client',
        name: cl.name,
        detail: `on ${cl.connection}${cl.for ? ` for ${cl.for}` : ''}; its token is shown once`,
      });
      draft.steps.push(addClient(cl));
      continue;
    }
    if (cur.revokedAt) {
      draft.items.push({
        action: 'create',
        kind: 'client',
        name: cl.name,
        detail: `on ${cl.connection}${cl.for ? ` for ${cl.for}` : ''}, reusing the name of a revoked client; ${shown}`,
      });
    } else {
      draft.items.push({
        action: 'change',
        kind: 'client',
        name: cl.name,
        detail: `moved by removing and adding it again; ${shown}, its old token stops working`,
        changes: [{ field: 'connection', from: cur.connection, to: cl.connection }],
      });
    }
    draft.steps.push(
      {
        label: `remove ${cur.revokedAt ? 'revoked ' : ''}client ${cl.name}`,
        run: async (api) => {
          await api['client.remove']({ name: cl.name });
          return {};
        },
      },
      addClient(cl),
    );
  }
}

function addClient(cl: ManifestClient): PlanStep {
  return {
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
  };
}

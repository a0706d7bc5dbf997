import type { Handlers, ServiceContext } from '../service-context';

/** The `keyway run` processes report the key versions their programs hold (see run-registry.ts). */
export function runHandlers(
  ctx: ServiceContext,
): Pick<Handlers, 'run.register' | 'run.update' | 'run.end' | 'run.list'> {
  const runs = ctx.runs;
  return {
    'run.register': async ({ pid, command, versions }) => runs.register(pid, command, versions),
    'run.update': async ({ id, versions }) => runs.update(id, versions),
    'run.end': async ({ id }) => ({ ended: runs.end(id) }),
    'run.list': async () => runs.list(),
  };
}

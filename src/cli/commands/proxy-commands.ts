import type { Command } from '../command';
import { json } from '../output';

function proxyCommand(paused: boolean): Command {
  return {
    name: paused ? 'proxy pause' : 'proxy resume',
    args: '',
    summary: paused
      ? 'Stop forwarding: clients get 503 and their open sessions end (keys stay as they are)'
      : 'Forward again after `keyway proxy pause`',
    positionals: 0,
    options: {},
    async run(ctx) {
      const status = await (await ctx.api())['proxy.setPaused']({ paused });
      ctx.out(
        ctx.json
          ? json(status)
          : `proxy ${status.proxy.paused ? 'paused' : 'running'} on port ${status.proxy.port ?? '-'}\n`,
      );
    },
  };
}

export const proxyPause = proxyCommand(true);
export const proxyResume = proxyCommand(false);

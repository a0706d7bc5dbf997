/** `keyway run`: programs holding keys from the keychain, which a rotation's drain waits for. */
import { z } from 'zod';
import { returns } from './fields';

const versionIds = z.array(z.string().min(1).max(128)).max(64);
const runId = z.string().regex(/^run_[A-Za-z0-9_-]{8,64}$/, 'not a run id');

export interface RunView {
  id: string;
  pid: number;
  command: string;
  versions: string[];
  seenAt: string;
}

export const runOps = {
  'run.register': {
    summary:
      'A `keyway run` process says which key versions its program holds (the drain waits for it)',
    input: z
      .object({
        pid: z.number().int().positive(),
        command: z.string().min(1).max(256),
        versions: versionIds,
      })
      .strict(),
    output: returns<RunView>(),
  },
  'run.update': {
    summary: 'A `keyway run` process moved to other key versions (also its heartbeat)',
    input: z.object({ id: runId, versions: versionIds }).strict(),
    output: returns<RunView>(),
  },
  'run.end': {
    summary: 'A `keyway run` process ended: it holds no key any more',
    input: z.object({ id: runId }).strict(),
    output: returns<{ ended: boolean }>(),
  },
  'run.list': {
    summary: '`keyway run` processes and the key versions they hold',
    input: z.object({}).strict(),
    output: returns<RunView[]>(),
  },
} as const;

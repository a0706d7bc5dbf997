import { validateInput, assertOpName } from '../../../shared/validate';
import {
  OP_NAMES,
  type KeywayApi,
  type OpArgs,
  type OpName,
  type OpOutput,
} from '../../../shared/contract';
import { accountHandlers } from './accounts';
import { clientHandlers } from './clients';
import { connectionHandlers } from './connections';
import { keyHandlers } from './keys';
import { keyCreateHandler } from './key-minting';
import { keyRevokeHandler } from './key-revocation';
import { keySettingsHandlers } from './key-settings';
import { vendorHandlers } from './vendor-info';
import {
  DEFAULT_ROTATION,
  RotationService,
  type RotationSetup,
} from '../rotation/rotation-handlers';
import type { Handlers, ServiceContext } from './service-context';

/**
 * The only API. Shells hand it untrusted input by operation name; `call` validates against the
 * contract before any handler runs, so IPC, HTTP and CLI share one gate.
 */
export class KeyService {
  private readonly handlers: Handlers;
  /** Typed in-process API, validated like every other caller. */
  readonly api: KeywayApi;
  readonly rotation: RotationService;

  constructor(
    readonly ctx: ServiceContext,
    rotation: RotationSetup = DEFAULT_ROTATION,
  ) {
    this.rotation = new RotationService(ctx, rotation);
    this.handlers = {
      ...accountHandlers(ctx),
      ...keyHandlers(ctx),
      ...connectionHandlers(ctx),
      ...clientHandlers(ctx),
      ...keyCreateHandler(ctx),
      ...keyRevokeHandler(ctx),
      ...keySettingsHandlers(ctx),
      ...vendorHandlers(ctx),
      ...this.rotation.handlers(),
      async 'audit.list'(q) {
        return ctx.auditLog.query(q);
      },
      async status() {
        const doc = ctx.store.current;
        const rt = ctx.runtime();
        const port = rt.baseUrl ? Number(new URL(rt.baseUrl).port) : null;
        return {
          version: rt.version,
          dataDir: rt.dataDir,
          url: rt.baseUrl,
          proxy: { running: rt.proxyRunning, port },
          keychain: await ctx.secrets.status(),
          counts: {
            accounts: doc.accounts.length,
            keys: doc.keys.length,
            connections: doc.connections.length,
            clients: doc.clients.filter((c) => !c.revokedAt).length,
          },
        };
      },
    };
    this.api = Object.fromEntries(
      OP_NAMES.map((name) => [name, (input: unknown) => this.call(name, input)]),
    ) as KeywayApi;
  }

  /** Validates `input` against the operation's schema, then runs its handler. */
  async call(name: string, input: unknown): Promise<unknown> {
    const op = assertOpName(name);
    const args = validateInput(op, input);
    return this.run(op, args);
  }

  private run<N extends OpName>(name: N, args: OpArgs<N>): Promise<OpOutput<N>> {
    const handler = this.handlers[name] as (a: OpArgs<N>) => Promise<OpOutput<N>>;
    return handler(args);
  }
}

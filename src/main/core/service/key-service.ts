import { validateInput, assertOpName } from '../../../shared/validate';
import {
  OP_NAMES,
  type KeywayApi,
  type OpArgs,
  type OpName,
  type OpOutput,
  type ServiceStatus,
} from '../../../shared/contract';
import { accountHandlers } from './handlers/accounts';
import { clientHandlers } from './handlers/clients';
import { connectionHandlers } from './handlers/connections';
import { keyHandlers } from './handlers/keys';
import { keyCreateHandler } from './handlers/key-minting';
import { keyRevokeHandler } from './handlers/key-revocation';
import { keySettingsHandlers } from './handlers/key-settings';
import { vendorHandlers } from './handlers/vendor-info';
import { oauthHandlers } from './handlers/oauth-handlers';
import { clientCredentialsHandlers } from './handlers/client-credentials-handlers';
import { runHandlers } from './handlers/run-handlers';
import { trafficHandlers } from '../traffic/traffic-handlers';
import {
  DEFAULT_ROTATION,
  RotationService,
  type RotationSetup,
} from '../rotation/rotation-service';
import { rotationHandlers } from './handlers/rotations';
import {
  announce,
  type Handlers,
  type ProxyPort,
  type ServiceContext,
  type ShellPort,
} from './service-context';

/** What the service reaches outside the core: the running proxy and the desktop shell. */
export interface ServicePorts {
  proxy: ProxyPort;
  shell: ShellPort;
}

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
    private readonly ports: ServicePorts,
    rotation: RotationSetup = DEFAULT_ROTATION,
  ) {
    const { proxy, shell } = ports;
    // A rotation's drain also waits for `keyway run` programs that still hold the old key.
    this.rotation = new RotationService(ctx, rotation, proxy, [ctx.runs]);
    this.handlers = {
      ...accountHandlers(ctx),
      ...keyHandlers(ctx),
      ...connectionHandlers(ctx),
      ...clientHandlers(ctx, proxy),
      ...keyCreateHandler(ctx, this.rotation.engine),
      ...keyRevokeHandler(ctx),
      ...keySettingsHandlers(ctx, shell, proxy),
      ...vendorHandlers(ctx),
      ...oauthHandlers(ctx),
      ...clientCredentialsHandlers(ctx),
      ...runHandlers(ctx),
      ...trafficHandlers(proxy),
      ...rotationHandlers(ctx, this.rotation),
      async 'audit.list'(q) {
        return ctx.auditLog.query(q);
      },
      status: () => this.status(),
      'proxy.setPaused': async ({ paused }) => {
        proxy.setPaused(paused);
        await announce(
          ctx,
          { event: paused ? 'proxy.paused' : 'proxy.resumed', key: null, client: null },
          'settings',
        );
        return this.status();
      },
    };
    this.api = Object.fromEntries(
      OP_NAMES.map((name) => [name, (input: unknown) => this.call(name, input)]),
    ) as KeywayApi;
  }

  private async status(): Promise<ServiceStatus> {
    const ctx = this.ctx;
    const doc = ctx.store.current;
    const rt = ctx.runtime();
    const paused = this.ports.proxy.paused();
    const port = rt.baseUrl ? Number(new URL(rt.baseUrl).port) : null;
    return {
      version: rt.version,
      dataDir: rt.dataDir,
      url: rt.baseUrl,
      proxy: { running: rt.proxyRunning && !paused, paused, port },
      keychain: await ctx.secrets.status(),
      counts: {
        accounts: doc.accounts.length,
        keys: doc.keys.length,
        connections: doc.connections.length,
        clients: doc.clients.filter((c) => !c.revokedAt).length,
      },
    };
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

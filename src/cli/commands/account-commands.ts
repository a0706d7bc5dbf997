import { VENDOR_IDS, type VendorId } from '../../shared/domain';
import type { Command } from '../command';
import { UsageError } from '../cli-errors';
import { list, readSecretFromStdin, str } from '../cli-input';
import { json, table } from '../output';
import { addOAuthAccount, oauthStateLine } from './oauth-commands';
import { addClientCredentialsAccount } from './client-credentials-commands';

export const accountAdd: Command = {
  name: 'account add',
  args: 'NAME --vendor qyvo|quave|qwoty|specivo|custom [--auth oauth|client-credentials]',
  summary:
    'Add an account at a vendor (its management credential, if any, goes to the OS keychain)',
  details:
    'The management credential (e.g. a Quave token with quave:manage:mcp-keys) is read from standard input:\n' +
    '  keyway account add team --vendor quave --credential-stdin < quave-token.txt\n' +
    "Base and MCP URLs default to the vendor's documented hosts. Next: `keyway key create` or `keyway key add`.\n" +
    'An MCP server protected by OAuth: Keyway is the OAuth client, the tokens stay in the keychain:\n' +
    '  keyway account add notes --vendor custom --mcp-url https://mcp.example.com/mcp --auth oauth\n' +
    '  keyway account login notes\n' +
    "An agent's service account there (client credentials: no browser; the secret or PEM key stays in the keychain):\n" +
    '  keyway account add agent --vendor custom --mcp-url https://mcp.example.com/mcp \\\n' +
    '      --auth client-credentials --client-id agent-7 --private-key-stdin < agent-7.pem',
  positionals: 1,
  options: {
    vendor: { type: 'string', help: 'the vendor: qyvo, quave, qwoty, specivo or custom', arg: 'V' },
    'api-url': {
      type: 'string',
      help:
        "the vendor's API base URL (default: the documented host); for Quave the host, " +
        'https://api.quave.cloud, or the base of its examples, https://api.quave.cloud/api/public/v1',
      arg: 'URL',
    },
    'mcp-url': {
      type: 'string',
      help: "the vendor's MCP server URL (default: the documented host)",
      arg: 'URL',
    },
    'service-account': { type: 'boolean', help: 'a dedicated user for one agent (recommended)' },
    'credential-stdin': {
      type: 'boolean',
      help: 'read the management credential from standard input',
    },
    'credential-scope': {
      type: 'string',
      multiple: true,
      help: 'a scope the credential holds, if it is itself scoped (repeat)',
      arg: 'S',
    },
    'auth-header': {
      type: 'string',
      help: 'custom vendor: the header carrying the key (default Authorization)',
      arg: 'H',
    },
    'auth-prefix': {
      type: 'string',
      help: 'custom vendor: text before the key in that header (default "Bearer ")',
      arg: 'P',
    },
    auth: {
      type: 'string',
      help: 'oauth: the MCP server is protected by OAuth 2.1; client-credentials: a service account there (no browser)',
      arg: 'KIND',
    },
    'client-id': {
      type: 'string',
      help: 'OAuth: a client id registered for Keyway (default: dynamic registration)',
      arg: 'ID',
    },
    'client-secret-stdin': {
      type: 'boolean',
      help: "OAuth: read that client's secret from standard input",
    },
    'private-key-stdin': {
      type: 'boolean',
      help: 'client-credentials: read the PEM private key (EC P-256 or RSA) for private_key_jwt from standard input',
    },
    scope: { type: 'string', multiple: true, help: 'OAuth: a scope to ask for (repeat)', arg: 'S' },
  },
  async run(ctx) {
    const authKind = str(ctx.values, 'auth');
    if (authKind !== undefined && authKind !== 'oauth' && authKind !== 'client-credentials')
      throw new UsageError(`--auth takes "oauth" or "client-credentials", not "${authKind}"`);
    if (authKind === 'oauth') return addOAuthAccount(ctx);
    if (authKind === 'client-credentials') return addClientCredentialsAccount(ctx);
    const vendor = str(ctx.values, 'vendor');
    if (!vendor)
      throw new UsageError('--vendor is required (qyvo, quave, qwoty, specivo or custom)');
    if (!(VENDOR_IDS as readonly string[]).includes(vendor)) {
      throw new UsageError(`unknown vendor "${vendor}"; choose one of ${VENDOR_IDS.join(', ')}`);
    }
    const header = str(ctx.values, 'auth-header');
    const prefix = str(ctx.values, 'auth-prefix');
    const api = await ctx.api();
    const credential = ctx.values['credential-stdin']
      ? await readSecretFromStdin(ctx.stdin, 'management credential')
      : undefined;
    const account = await api['account.add']({
      name: ctx.positionals[0]!,
      vendor: vendor as VendorId,
      apiUrl: str(ctx.values, 'api-url'),
      mcpUrl: str(ctx.values, 'mcp-url'),
      serviceAccount: ctx.values['service-account'] === true,
      credential,
      credentialScopes: list(ctx.values, 'credential-scope') ?? null,
      ...(header !== undefined || prefix !== undefined
        ? { auth: { header: header ?? 'Authorization', prefix: prefix ?? 'Bearer ' } }
        : {}),
    });
    ctx.out(
      ctx.json
        ? json(account)
        : `added account ${account.name} (${account.vendor})${account.hasCredential ? ', credential in keychain' : ''}\n`,
    );
  },
};

export const accountLs: Command = {
  name: 'account ls',
  args: '',
  summary: 'List accounts',
  positionals: 0,
  options: {},
  async run(ctx) {
    const accounts = await (await ctx.api())['account.list']({});
    if (ctx.json) return ctx.out(json(accounts));
    if (accounts.length === 0)
      return ctx.out('no accounts yet; add one with `keyway account add NAME --vendor V`\n');
    ctx.out(
      table([
        ['NAME', 'VENDOR', 'SERVICE ACCOUNT', 'CREDENTIAL', 'API URL'],
        ...accounts.map((a) => [
          a.name,
          a.vendor,
          a.serviceAccount ? 'yes' : 'no',
          a.oauth ? `oauth: ${oauthStateLine(a)}` : a.hasCredential ? 'keychain' : '-',
          a.apiUrl,
        ]),
      ]),
    );
  },
};

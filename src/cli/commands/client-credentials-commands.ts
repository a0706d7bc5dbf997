import type { KeywayApi } from '../../shared/contract';
import type { Account } from '../../shared/domain';
import type { Command, CommandContext } from '../command';
import { UsageError } from '../cli-errors';
import { list, readSecretFromStdin, str } from '../cli-input';
import { json } from '../output';

/** A PEM is several lines; a bound keeps a mistaken `< big-file` from being read whole. */
const PEM_MAX_BYTES = 64 * 1024;

export async function readPemFromStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  if ((stdin as NodeJS.ReadStream).isTTY)
    throw new UsageError('pipe the PEM private key on standard input, e.g. `keyway … < key.pem`');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin as AsyncIterable<Buffer | string>) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > PEM_MAX_BYTES)
      throw new UsageError(`standard input is over ${PEM_MAX_BYTES / 1024} KiB: not a private key`);
    chunks.push(b);
  }
  const pem = Buffer.concat(chunks).toString('utf8').trim();
  if (!pem) throw new UsageError('no private key on standard input');
  return pem;
}

/** The secret or the key from standard input: exactly one of the two flags. */
async function readCredential(
  ctx: CommandContext,
): Promise<{ clientSecret?: string; privateKey?: string }> {
  const secret = ctx.values['client-secret-stdin'] === true;
  const key = ctx.values['private-key-stdin'] === true;
  if (secret === key)
    throw new UsageError(
      'give exactly one of --client-secret-stdin and --private-key-stdin (the secret or the PEM key on standard input)',
    );
  return key
    ? { privateKey: await readPemFromStdin(ctx.stdin) }
    : { clientSecret: await readSecretFromStdin(ctx.stdin, 'client secret') };
}

function how(a: Account): string {
  const cc = a.oauth?.clientCredentials;
  return cc ? `${cc.method}${cc.alg ? ` ${cc.alg}` : ''}` : 'oauth';
}

/** `account add NAME --vendor custom --mcp-url URL --auth client-credentials --client-id ID …` */
export async function addClientCredentialsAccount(ctx: CommandContext): Promise<void> {
  if (str(ctx.values, 'vendor') !== 'custom')
    throw new UsageError('--auth client-credentials works with --vendor custom (any MCP server)');
  const mcpUrl = str(ctx.values, 'mcp-url');
  if (!mcpUrl)
    throw new UsageError('--auth client-credentials needs --mcp-url URL (the MCP server)');
  const clientId = str(ctx.values, 'client-id');
  if (!clientId)
    throw new UsageError(
      '--auth client-credentials needs --client-id ID (the service account’s client at the authorization server)',
    );
  const credential = await readCredential(ctx);
  const api = await ctx.api();
  const account = await api['account.addClientCredentials']({
    name: ctx.positionals[0]!,
    mcpUrl,
    clientId,
    ...credential,
    scopes: list(ctx.values, 'scope') ?? [],
    serviceAccount: true,
  });
  ctx.out(
    ctx.json
      ? json(account)
      : `added service account ${account.name} (${how(account)}; first token in the keychain as ${account.name}/oauth, renewed by Keyway); next: keyway connection add SLUG --key ${account.name}/oauth\n`,
  );
}

/** `account login` on a service account: a new token now, no browser. Undefined: not one. */
export async function loginServiceAccount(
  ctx: CommandContext,
  api: KeywayApi,
  name: string,
): Promise<number | undefined> {
  const account = (await api['account.list']({})).find((a) => a.name === name);
  if (!account?.oauth?.clientCredentials) return undefined;
  const fresh = await api['account.fetchToken']({ name });
  ctx.out(
    ctx.json
      ? `${JSON.stringify({ ok: true, account: fresh })}\n`
      : `${name} is a service account (client credentials): no browser needed; got a new token (${how(fresh)}${fresh.oauth?.expiresAt ? `, expires ${fresh.oauth.expiresAt}` : ''})\n`,
  );
  return 0;
}

export const accountRotateCredential: Command = {
  name: 'account rotate-credential',
  args: 'NAME (--client-secret-stdin | --private-key-stdin)',
  summary:
    'Swap a service account’s client secret or key for a new one, checked by getting a token first',
  details:
    'Guided rotation, as for a dashboard vendor: create the new secret (or register the new public key)\n' +
    "at the authorization server's console, then pipe it in:\n" +
    '  keyway account rotate-credential agent --client-secret-stdin < new-secret.txt\n' +
    'Keyway gets a token with the new one; only if that works does it replace the old one in the\n' +
    'OS keychain (the old one is forgotten) and put the new token on the proxy. Then delete the old\n' +
    'secret or key at the server.',
  positionals: 1,
  options: {
    'client-secret-stdin': {
      type: 'boolean',
      help: 'read the new client secret from standard input',
    },
    'private-key-stdin': {
      type: 'boolean',
      help: 'read the new PEM private key (EC P-256 or RSA) from standard input',
    },
  },
  async run(ctx) {
    const name = ctx.positionals[0]!;
    const credential = await readCredential(ctx);
    const api = await ctx.api();
    const result = await api['account.rotateClientCredential']({ name, ...credential });
    ctx.out(
      ctx.json
        ? json(result)
        : `rotated the ${result.previous === 'private-key' ? 'private key' : 'client secret'} of ${name}: the new one got a token (${how(result.account)}) and the old one is forgotten here; now delete the old one at the authorization server\n`,
    );
  },
};

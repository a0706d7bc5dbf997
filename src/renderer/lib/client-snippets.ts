import {
  CLIENT_KINDS,
  clientSnippet,
  TOKEN_PLACEHOLDER,
  type ClientKind,
  type Snippet,
} from '../../shared/client-config';

export { CLIENT_KINDS, TOKEN_PLACEHOLDER, type ClientKind, type Snippet };

/**
 * "Set up in …" for one connection: the shared builder (the CLI's `keyway client config` uses
 * the same one), named after the connection, with the token while it is still shown and the
 * placeholder afterwards.
 */
export function setupSnippet(input: {
  kind: ClientKind;
  slug: string;
  url: string;
  token: string | null;
}): Snippet {
  return clientSnippet({
    kind: input.kind,
    serverName: input.slug,
    url: input.url,
    slug: input.slug,
    token: input.token,
  });
}

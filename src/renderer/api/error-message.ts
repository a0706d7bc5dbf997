import { KeywayError } from '../../shared/errors';

/**
 * The form labels of the contract's fields, so a refusal reads as the form does ("MCP URL: must
 * be https") rather than by the contract's names ("key.add: field "mcpUrl": …"). A field not
 * listed is spelled out from its name ("rotateEvery" → "Rotate every").
 */
const FIELD_LABELS: Record<string, string> = {
  ref: 'Key',
  key: 'Key',
  secret: 'Key',
  name: 'Name',
  account: 'Account',
  vendor: 'Vendor',
  apiUrl: 'API URL',
  mcpUrl: 'MCP URL',
  upstream: 'MCP URL',
  credential: 'Management credential',
  scopes: 'Scopes',
  rotateEvery: 'Rotation period',
  slug: 'Connection',
  connection: 'Connection',
  client: 'Client',
  clientId: 'Client ID',
  clientSecret: 'Client secret',
  privateKey: 'Private key',
  proxyPort: 'Proxy port',
  port: 'Proxy port',
  header: 'Header',
  prefix: 'Prefix',
  expires: 'Expires',
};

export function fieldLabel(field: string): string {
  const last = field.split('.').find((part) => !/^\d+$/.test(part)) ?? field;
  const known = FIELD_LABELS[last];
  if (known) return known;
  const words = last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The message to show for a failed operation. Keyway's messages already speak in the vendor's
 * terms (e.g. "the user behind this token has no workspace"); a validation error's operation
 * and field ("key.add: field "ref": …") become the form's label ("Key: …"). Errors crossing
 * Electron's contextBridge keep their message but not their class, so only the text is read.
 */
export function errorMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  if (!message) return 'Something went wrong; see the Keyway log';
  return message
    .replace(
      /^[a-z]+\.[A-Za-z]+: field "([^"]+)": /,
      (_, field: string) => `${fieldLabel(field)}: `,
    )
    .replace(/^[a-z]+\.[A-Za-z]+: input: /, '');
}

export function isUnsupported(err: unknown): boolean {
  return err instanceof KeywayError && err.code === 'unsupported';
}

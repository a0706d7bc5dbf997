import {
  clientSpec,
  entryHeaders,
  entryUrl,
  isKeywayEntry,
  isObject,
  type ClientKind,
} from '../../shared/client-config';

/** A vendor secret sitting in a client's config. The secret never leaves memory. */
export type Finding =
  | {
      type: 'header';
      entry: string;
      /** Where it is, for the plan: `mcpServers.linear.headers.Authorization`. */
      where: string;
      url: string;
      header: string;
      /** What precedes the secret in the header value (`Bearer `). */
      prefix: string;
      secret: string;
    }
  | { type: 'env'; entry: string; where: string; variable: string; secret: string };

const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|(^|_)PAT($|_)/i;
const SECRET_HEADER = /^(authorization|proxy-authorization)$|key|token|secret/i;
/** Prefixes of well-known vendors' keys (and of the sandbox vendors'). */
const KNOWN_PREFIX =
  /^(sk-|sk_live_|sk_test_|ghp_|gho_|ghu_|ghs_|github_pat_|glpat-|xox[abprs]-|AKIA|AIza|qwt_prod_|spv_|lin_api_|pplx-)/;
/** `${input:x}`, `$VAR`, `<your-token>`, `{{TOKEN}}`: a reference or a placeholder, not a secret. */
const REFERENCE = /\$\{[^}]*\}|^\$[A-Za-z_]|^<[^>]*>$|\{\{[^}]*\}\}|^%[A-Za-z_]+%$/;

function secretValue(v: unknown): v is string {
  return typeof v === 'string' && v.trim().length >= 8 && !REFERENCE.test(v.trim());
}

/** Finds the secrets in a client's server entries; Keyway's own entries are skipped. */
export function findSecrets(kind: ClientKind, entries: Array<[string, unknown]>): Finding[] {
  const spec = clientSpec(kind);
  const out: Finding[] = [];
  for (const [name, value] of entries) {
    if (!isObject(value) || isKeywayEntry(kind, value)) continue;
    const base = `${spec.container}.${name}`;
    const url = entryUrl(kind, value);
    const headers = entryHeaders(kind, value);
    if (url && headers) {
      for (const [header, raw] of Object.entries(headers)) {
        if (!SECRET_HEADER.test(header) || typeof raw !== 'string') continue;
        const m = /^(Bearer |Token |Basic )?(.*)$/i.exec(raw.trim());
        const secret = m?.[2] ?? '';
        if (!secretValue(secret)) continue;
        out.push({
          type: 'header',
          entry: name,
          where: `${base}.${spec.headersPath.join('.')}.${header}`,
          url,
          header,
          prefix: m?.[1] ?? '',
          secret,
        });
      }
    }
    const env = value[spec.envField];
    // Only a program the client starts can get its key from `keyway run`.
    if (isObject(env) && typeof value[spec.commandField] === 'string') {
      for (const [variable, v] of Object.entries(env)) {
        if (!secretValue(v)) continue;
        if (!SECRET_NAME.test(variable) && !KNOWN_PREFIX.test(v)) continue;
        out.push({
          type: 'env',
          entry: name,
          where: `${base}.${spec.envField}.${variable}`,
          variable,
          secret: v,
        });
      }
    }
  }
  return out;
}

import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { KeywayError } from '../../../shared/errors';

/** The two signing algorithms Keyway offers for private_key_jwt (RFC 7523 client assertions). */
export type AssertionAlg = 'ES256' | 'RS256';

/**
 * An assertion lives a minute: long enough for a slow token endpoint and a little clock skew,
 * short enough that one caught in a log is useless soon after (RFC 7523 §3 asks for `exp`).
 */
const ASSERTION_LIFETIME_S = 60;

/**
 * The private key of a PEM the user pasted, and the algorithm it signs with. Refused, in one
 * line that never quotes the input: anything that is not a private key (a certificate, a public
 * key, garbage), an encrypted key (Keyway has no passphrase to open it with), and key types
 * other than EC P-256 and RSA (≥ 2048 bits).
 */
export function privateKeyFromPem(pem: string): { key: KeyObject; alg: AssertionAlg } {
  const text = pem.trim();
  if (/-----BEGIN (CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY)-----/.test(text))
    throw new KeywayError(
      'bad_input',
      'that PEM is a public key or certificate, not a private key; paste the PEM private key (BEGIN PRIVATE KEY)',
      'privateKey',
    );
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text))
    throw new KeywayError(
      'bad_input',
      'that private key is encrypted; decrypt it first (openssl pkcs8 -topk8 -nocrypt) and paste the result',
      'privateKey',
    );
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    throw new KeywayError(
      'bad_input',
      'standard input is not a PEM private key (expected -----BEGIN PRIVATE KEY-----, an EC P-256 or RSA key)',
      'privateKey',
    );
  }
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1')
    return { key, alg: 'ES256' };
  if (key.asymmetricKeyType === 'rsa' && (details?.modulusLength ?? 0) >= 2048)
    return { key, alg: 'RS256' };
  const what =
    key.asymmetricKeyType === 'ec'
      ? `an EC key on ${details?.namedCurve ?? 'another curve'}`
      : key.asymmetricKeyType === 'rsa'
        ? `an RSA key of ${details?.modulusLength ?? '?'} bits`
        : `a key of type ${key.asymmetricKeyType ?? 'unknown'}`;
  throw new KeywayError(
    'bad_input',
    `that PEM is ${what}; Keyway signs client assertions with EC P-256 (ES256) or RSA of 2048 bits or more (RS256)`,
    'privateKey',
  );
}

/**
 * A fresh client assertion for one token request: `iss` = `sub` = the client id, `aud` = the
 * authorization server's issuer (what RFC 7523bis and the MCP extension ask for; servers that
 * also take the token endpoint URL take the issuer too), a random `jti` the server can use to
 * refuse a replay, and a lifetime of a minute.
 */
export async function signClientAssertion(opts: {
  clientId: string;
  audience: string;
  key: KeyObject;
  alg: AssertionAlg;
  now?: Date;
}): Promise<string> {
  const iat = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: opts.alg, typ: 'JWT' })
    .setIssuer(opts.clientId)
    .setSubject(opts.clientId)
    .setAudience(opts.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ASSERTION_LIFETIME_S)
    .setJti(randomUUID())
    .sign(opts.key);
}

export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

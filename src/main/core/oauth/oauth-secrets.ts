import { untrustedText } from '../untrusted-text';

/**
 * Keychain entry names of an OAuth account, scoped by data directory like management
 * credentials. Access tokens are key versions (`key:<versionId>`), so the proxy reads them as
 * it reads any key; only the refresh token and a client secret need names of their own.
 */
export const oauthSecretNames = {
  refreshToken: (dataDirId: string, account: string) => `oauth-refresh:${dataDirId}:${account}`,
  clientSecret: (dataDirId: string, account: string) => `oauth-client:${dataDirId}:${account}`,
};

/** The key every OAuth account has: one version per access token. */
export function oauthKeyRef(account: string): string {
  return `${account}/oauth`;
}

/** Display name from an ID token's claims; never verified, never used for a decision. */
export function subjectFromIdToken(idToken: string | undefined): string | null {
  const payload = idToken?.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const pick = [claims.email, claims.preferred_username, claims.name, claims.sub].find(
      (v) => typeof v === 'string' && v.length > 0,
    );
    return typeof pick === 'string' ? untrustedText(pick, 200) || null : null;
  } catch {
    return null;
  }
}

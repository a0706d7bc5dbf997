import type { KeywayApi } from '../../shared/contract';
import type { PlanItem } from './adopt-plan';

/** What to do about a secret adopt found in plaintext: it may have been read; replace it. */
export interface RotationAdvice {
  key: string;
  /** `api`: Keyway mints the replacement (Quave with a management credential); else by hand. */
  how: 'api' | 'dashboard';
  command: string;
  /** With --rotate: whether the rotation went through, and why not. */
  rotated?: boolean;
  /** After a rotation: whether the vendor revoked the old (plaintext) key. */
  oldRevoked?: boolean;
  error?: string;
}

export async function rotationAdvice(api: KeywayApi, items: PlanItem[]): Promise<RotationAdvice[]> {
  const [vendors, accounts] = await Promise.all([api['vendor.list']({}), api['account.list']({})]);
  const keys = [...new Set(items.map((i) => i.key))];
  return keys.map((key) => {
    const account = accounts.find((a) => a.name === key.slice(0, key.indexOf('/')));
    const vendor = vendors.find((v) => v.id === account?.vendor);
    const mints = vendor?.capabilities.mint === true && account?.hasCredential === true;
    return mints
      ? { key, how: 'api', command: `keyway key rotate ${key}` }
      : { key, how: 'dashboard', command: `keyway key rotate ${key} --secret-stdin` };
  });
}

/** --rotate: the keys Keyway can replace by API are rotated now (mint, verify, swap, revoke). */
export async function rotateAdopted(
  api: KeywayApi,
  advice: RotationAdvice[],
): Promise<RotationAdvice[]> {
  const out: RotationAdvice[] = [];
  for (const a of advice) {
    if (a.how !== 'api') {
      out.push(a);
      continue;
    }
    try {
      const change = await api['key.rotate']({ ref: a.key });
      out.push({ ...a, rotated: true, oldRevoked: change.retired?.state === 'revoked' });
    } catch (err) {
      out.push({ ...a, rotated: false, error: (err as Error).message.split('\n')[0] ?? '' });
    }
  }
  return out;
}

export function adviceText(file: string, advice: RotationAdvice[]): string {
  if (advice.length === 0) return '';
  const lines = advice.map((a) => {
    if (a.rotated && a.oldRevoked) return `  ${a.key}: rotated; the old key is revoked\n`;
    // A pasted key has no vendor id Keyway knows, so the vendor cannot be asked to delete it.
    if (a.rotated)
      return `  ${a.key}: rotated (a new key is in use); delete the old one in the vendor's dashboard\n`;
    if (a.rotated === false)
      return `  ${a.key}: rotation failed (${a.error}); run \`${a.command}\`\n`;
    return a.how === 'api'
      ? `  ${a.key}: \`${a.command}\` (or adopt again with --rotate)\n`
      : `  ${a.key}: make a new key in the vendor's dashboard, then \`${a.command}\`, and revoke the old one there\n`;
  });
  const pending = advice.some((a) => a.oldRevoked !== true);
  return (
    `these secrets were in plaintext in ${file}${pending ? '; anyone who could read it may have them — rotate them' : ''}:\n` +
    lines.join('')
  );
}

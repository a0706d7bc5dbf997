/** The bounds `key.setPolicy` accepts for `rotateEvery`, in days. */
export const ROTATE_MIN_DAYS = 1;
export const ROTATE_MAX_DAYS = 3650;

export type RotationPeriodInput =
  { ok: true; rotateEvery: number | null } | { ok: false; message: string };

/**
 * What the rotation-period field means as the user types: a whole number of days in the bounds
 * the API takes, or no schedule at all. Checked here so Save is never offered for a value the
 * service would refuse.
 */
export function parseRotationPeriod(text: string, never: boolean): RotationPeriodInput {
  if (never) return { ok: true, rotateEvery: null };
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'Enter a number of days, or choose Never.' };
  const days = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isInteger(days))
    return { ok: false, message: 'Enter a whole number of days.' };
  if (days < ROTATE_MIN_DAYS || days > ROTATE_MAX_DAYS)
    return {
      ok: false,
      message: `Enter a number of days from ${ROTATE_MIN_DAYS} to ${ROTATE_MAX_DAYS}.`,
    };
  return { ok: true, rotateEvery: days };
}

export function periodText(rotateEvery: number | null): string {
  if (rotateEvery === null) return 'never';
  return `every ${rotateEvery} day${rotateEvery === 1 ? '' : 's'}`;
}

/**
 * What happens when a rotation is due (the scheduler, core/rotation/rotation-scheduler.ts):
 * Keyway rotates keys at vendors with a key API itself; it cannot make a key in a dashboard,
 * so a guided key goes on the attention list. Said as it is, not as a "reminder".
 */
export const ROTATION_MEANS =
  'When one is due, Keyway rotates keys at vendors with a key API (such as Quave) itself; keys made in a vendor’s dashboard go on the Overview’s attention list for you to rotate.';

export function rotationMeans(vendor: { displayName: string; minted: boolean }): string {
  return vendor.minted
    ? `When it is due, Keyway rotates it itself: a new key at ${vendor.displayName}, proved, swapped in, then the old one revoked.`
    : `When it is due, it goes on the Overview’s attention list: you make the new key in the ${vendor.displayName} dashboard and paste it.`;
}

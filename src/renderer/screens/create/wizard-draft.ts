import type { KeyChange, VendorInfo } from '../../../shared/contract';
import type { Account } from '../../../shared/domain';

export type WizardStep = 'vendor' | 'account' | 'scopes' | 'options' | 'create' | 'connect';

export const WIZARD_STEPS: ReadonlyArray<{ id: WizardStep; title: string }> = [
  { id: 'vendor', title: 'Vendor' },
  { id: 'account', title: 'Account' },
  { id: 'scopes', title: 'Name and scopes' },
  { id: 'options', title: 'Options' },
  { id: 'create', title: 'Create' },
  { id: 'connect', title: 'Connect a client' },
];

/** What the wizard has gathered so far; never a secret (pasted keys stay in their input). */
export interface WizardDraft {
  vendor: VendorInfo | null;
  account: Account | null;
  keyName: string;
  scopes: string[];
  /** Set once the user touched the scopes, so defaults stop being applied. */
  scopesTouched: boolean;
  securityLevel: string;
  sessionDuration: string;
  /** Days; empty = no scheduled rotation. */
  rotateEvery: string;
  created: KeyChange | null;
}

export function emptyDraft(defaultRotateEvery: number | null): WizardDraft {
  return {
    vendor: null,
    account: null,
    keyName: '',
    scopes: [],
    scopesTouched: false,
    securityLevel: '',
    sessionDuration: '',
    rotateEvery: defaultRotateEvery === null ? '' : String(defaultRotateEvery),
    created: null,
  };
}

export interface StepProps {
  draft: WizardDraft;
  update: (patch: Partial<WizardDraft>) => void;
  next: () => void;
}

export const NAME_RULE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function draftRef(draft: WizardDraft): string {
  return `${draft.account?.name ?? ''}/${draft.keyName}`;
}

export function rotateDays(draft: WizardDraft): number | null {
  const n = Number(draft.rotateEvery);
  return draft.rotateEvery.trim() === '' || !Number.isInteger(n) || n < 1 ? null : n;
}

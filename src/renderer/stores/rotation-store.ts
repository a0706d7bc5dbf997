import { createStore, type StoreApi } from 'zustand/vanilla';
import type { KeyChange, KeywayEvents, RotationView, StepResult } from '../../shared/contract';
import type { KeywayClient } from '../api/keyway-client';
import { errorMessage } from '../api/error-message';
import { mergeSteps } from '../lib/rotation-steps';
import { loadLatest } from './load-latest';

export type LiveStatus = 'running' | 'done' | 'failed' | 'waiting';

/** A rotation the user is watching: steps as `rotation.step` events report them. */
export interface LiveRotation {
  key: string;
  rotationId: string | null;
  status: LiveStatus;
  steps: StepResult[];
  error: string | null;
  warnings: string[];
}

export interface RotationState {
  /** Rotations waiting on the user or on a retry (rotation.list). */
  waiting: RotationView[];
  live: Record<string, LiveRotation>;
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  /**
   * API vendors: mint, verify, swap, drain, revoke. Guided vendors pass the pasted key, which
   * goes to the service and is never kept here.
   */
  rotate(ref: string, secret?: string): Promise<KeyChange | null>;
  confirmRevoked(ref: string): Promise<RotationView | null>;
  retryRevoke(ref: string): Promise<RotationView | null>;
  onStep(event: KeywayEvents['rotation.step']): void;
  onChanged(event: KeywayEvents['rotation.changed']): void;
  dismiss(ref: string): void;
}

export type RotationStore = StoreApi<RotationState>;

export function createRotationStore(api: KeywayClient): RotationStore {
  const patchLive = (ref: string, patch: Partial<LiveRotation>) => (s: RotationState) => {
    const prev: LiveRotation = s.live[ref] ?? {
      key: ref,
      rotationId: null,
      status: 'running',
      steps: [],
      error: null,
      warnings: [],
    };
    return { live: { ...s.live, [ref]: { ...prev, ...patch } } };
  };
  const replaceWaiting = (s: RotationState, ref: string, view: RotationView | null) => ({
    waiting: view
      ? [...s.waiting.filter((r) => r.key !== ref), view]
      : s.waiting.filter((r) => r.key !== ref),
  });

  return createStore<RotationState>()((set, get) => ({
    waiting: [],
    live: {},
    loaded: false,
    error: null,
    load: loadLatest(
      () => api['rotation.list']({}),
      (waiting) => set({ waiting, loaded: true, error: null }),
      (error) => set({ error, loaded: true }),
    ),
    async rotate(ref, secret) {
      set(
        patchLive(ref, {
          status: 'running',
          steps: [],
          error: null,
          warnings: [],
          rotationId: null,
        }),
      );
      try {
        const change = await api['key.rotate'](secret === undefined ? { ref } : { ref, secret });
        await get().load();
        const waiting = get().waiting.some((r) => r.key === ref && r.waitingFor !== null);
        set((s) =>
          patchLive(ref, {
            status: waiting ? 'waiting' : 'done',
            error: null,
            steps: mergeSteps(s.live[ref]?.steps ?? [], change.steps),
            warnings: change.warnings,
          })(s),
        );
        return change;
      } catch (err) {
        set(patchLive(ref, { status: 'failed', error: errorMessage(err) }));
        await get().load();
        return null;
      }
    },
    async confirmRevoked(ref) {
      const view = await api['rotation.confirmRevoked']({ ref });
      set((s) => replaceWaiting(s, ref, view));
      if (!view && get().live[ref]) set(patchLive(ref, { status: 'done' }));
      return view;
    },
    async retryRevoke(ref) {
      const view = await api['rotation.retryRevoke']({ ref });
      set((s) => replaceWaiting(s, ref, view));
      return view;
    },
    onStep({ key, rotationId, ...step }) {
      // A failed step may be followed by a successful answer (a revoke that will be retried);
      // `rotate` then settles the status. Rotations started elsewhere (tray, CLI) have only this.
      const failed = step.ok ? {} : { status: 'failed' as const, error: step.message ?? null };
      set((s) =>
        patchLive(key, {
          rotationId,
          steps: mergeSteps(s.live[key]?.steps ?? [], [step]),
          ...failed,
        })(s),
      );
    },
    onChanged({ key, rotation }) {
      set((s) => replaceWaiting(s, key, rotation));
    },
    dismiss(ref) {
      const live = { ...get().live };
      delete live[ref];
      set({ live });
    },
  }));
}

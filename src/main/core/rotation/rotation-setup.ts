import type { RotationOptions } from './rotation-core';

/** Rotation timings; in a module of its own so `keyway serve` reads them without the engine. */
export interface RotationSetup extends RotationOptions {
  schedulerTickMs: number;
}

export const DEFAULT_ROTATION: RotationSetup = {
  drainMs: 30_000,
  retryBaseMs: 5_000,
  schedulerTickMs: 60_000,
};

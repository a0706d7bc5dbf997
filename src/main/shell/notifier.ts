import type { KeywayEvent } from '../../shared/contract';
import { notificationFor, NotificationGate, type NotificationSpec } from './notifications';

/** Events → notifications, with repeats of the same situation dropped for `windowMs`. */
export function createNotifier(
  show: (spec: NotificationSpec) => void,
  windowMs = 10 * 60_000,
  now: () => number = Date.now,
): (event: KeywayEvent) => void {
  const gate = new NotificationGate(windowMs, now);
  return (event) => {
    const spec = notificationFor(event);
    if (spec && gate.admit(spec)) show(spec);
  };
}

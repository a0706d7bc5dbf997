/**
 * Calls `emit` at most once per `intervalMs`: the first change at once, later ones folded into
 * one trailing call. The overview refetches on each signal, so a busy proxy (thousands of
 * requests a second) costs its watchers one small fetch a second, and the last change is never
 * lost.
 */
export function throttledSignal(
  emit: () => void,
  intervalMs = 1000,
): { notify(): void; stop(): void } {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fire = () => {
    timer = undefined;
    last = Date.now();
    emit();
  };
  return {
    notify() {
      if (timer) return;
      const wait = last + intervalMs - Date.now();
      if (wait <= 0) return fire();
      timer = setTimeout(fire, wait);
      timer.unref?.();
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}

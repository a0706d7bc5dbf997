import { useEffect, useState } from 'react';

/** The current time, re-read every `everyMs`, so "3 days ago" and "due" stay true. */
export function useNow(everyMs = 60_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

/** Calls `fn` now and every `everyMs` while the component is shown. */
export function usePoll(fn: () => unknown, everyMs: number): void {
  useEffect(() => {
    fn();
    const t = setInterval(fn, everyMs);
    return () => clearInterval(t);
  }, [fn, everyMs]);
}

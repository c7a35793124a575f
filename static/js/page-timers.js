// The timers of one wired embed page (backoff waits, the refresh timer, the library watchdog),
// kept together so that dispose() can cancel them all and none of them runs after it.

// setTimeout's delay is a signed 32-bit number of milliseconds: a longer one fires at once.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Timers on top of `setTimer`/`clearTimer` (the browser's or a test clock's). */
export function createPageTimers(setTimer, clearTimer) {
  const pending = new Set();
  let disposed = false;

  /** Run `fn` after `ms` (clamped to what setTimeout accepts) unless disposed by then. */
  function later(fn, ms) {
    const id = setTimer(() => {
      pending.delete(id);
      if (!disposed) fn();
    }, Math.max(0, Math.min(ms, MAX_TIMER_MS)));
    pending.add(id);
    return id;
  }

  return {
    later,
    cancel(id) {
      clearTimer(id);
      pending.delete(id);
    },
    /** A promise that settles after `ms`; after dispose it never settles. */
    sleep: (ms) => new Promise((resolve) => later(resolve, ms)),
    dispose() {
      disposed = true;
      for (const id of pending) clearTimer(id);
      pending.clear();
    },
  };
}

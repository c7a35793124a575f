// The library watchdog: without the Embedding API library no `vizloaderror` can fire, so a
// Tableau server that is down, blocked by CSP or unreachable would leave the page "Loading…"
// for ever. A component whose element is still undefined after a while is reported as load
// error `library-not-loaded` (docs/error-handling.md); if the library arrives late and the
// component renders, `firstinteractive` still clears the failure.

import { FAIL } from './load-errors.js';

// A component whose element the library has not defined after this long never will: the library
// script failed to load (server down, CSP, network). Reported as load error `library-not-loaded`.
export const LIBRARY_TIMEOUT_MS = 15_000;

const ERROR_CODE = 'library-not-loaded';

/** Whether the library has defined `el`'s custom element in `win` (before that nothing renders). */
export function isElementDefined(win, el) {
  const registry = win.customElements;
  return Boolean(registry && registry.get(el.localName));
}

/** The FAIL decision for `el`, shaped like actionFor's, with the catalogue's entry when it has one. */
export function libraryNotLoadedDecision(el, catalogue, timeoutMs) {
  const known = catalogue.loadErrors && catalogue.loadErrors[ERROR_CODE];
  return {
    action: FAIL,
    entry: { errorCode: ERROR_CODE, summary: 'The Embedding API library did not load.', ...known },
    code: null,
    errorCode: ERROR_CODE,
    attempt: 1,
    reason: `<${el.localName}> not defined after ${timeoutMs} ms -> FAIL`,
  };
}

/**
 * After `timeoutMs` (null or not finite: never), `fail(slot, decision)` every slot still loading
 * whose element is undefined. `later` is the page's timer (page-timers.js).
 */
export function startLibraryWatchdog({ slots, timeoutMs, later, win, catalogue, fail }) {
  if (timeoutMs === null || !Number.isFinite(timeoutMs)) return;
  later(() => {
    for (const slot of slots) {
      if (slot.phase !== 'loading' || isElementDefined(win, slot.el)) continue;
      fail(slot, libraryNotLoadedDecision(slot.el, catalogue, timeoutMs));
    }
  }, timeoutMs);
}

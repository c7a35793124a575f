// The first-interactive watchdog: no page is left spinning. Some failures report nothing: with
// `iframe-auth` no `vizloaderror` fires (Tableau's "Authentication and Embedding"), and a wrong
// path, a missing permission or a blocked session cookie render Tableau's own page in the frame.
// A component that has rendered (or rendered again) and has not fired `firstinteractive` within
// the catalogue's `timeouts.firstInteractiveMs` gets the final message (final-message.js), as load
// error `first-interactive-timeout`. Not while Tableau's sign-in is showing (LOGIN): the user is
// expected to act there. A late `firstinteractive` still clears the message (showReady).

import { FAIL } from './load-errors.js';

export const NOT_INTERACTIVE = 'first-interactive-timeout';
// When the catalogue has no `timeouts.firstInteractiveMs` (MINIMAL_CATALOGUE).
export const DEFAULT_FIRST_INTERACTIVE_MS = 20_000;
// Phases in which the component is expected to become interactive by itself.
const WATCHED_PHASES = new Set(['loading', 'iframe-auth']);

/** The catalogue's wait for `firstinteractive`, in milliseconds. */
export function firstInteractiveTimeout(catalogue) {
  const ms = catalogue && catalogue.timeouts && catalogue.timeouts.firstInteractiveMs;
  return Number.isInteger(ms) && ms > 0 ? ms : DEFAULT_FIRST_INTERACTIVE_MS;
}

/** The FAIL decision for a slot that never became interactive, shaped like actionFor's. */
export function notInteractiveDecision(slot, catalogue, timeoutMs) {
  const known = catalogue.loadErrors && catalogue.loadErrors[NOT_INTERACTIVE];
  const how = slot.el.hasAttribute('iframe-auth') ? ' with iframe-auth' : '';
  return {
    action: FAIL,
    entry: { errorCode: NOT_INTERACTIVE, summary: 'The view did not become interactive.', ...known },
    code: null,
    errorCode: NOT_INTERACTIVE,
    attempt: 1,
    reason: `no firstinteractive ${timeoutMs} ms after <${slot.el.localName}> rendered${how} -> FAIL`,
  };
}

/**
 * One timer per slot, restarted at each render. deps: {timers (createPageTimers), timeoutMs
 * (null: never), onTimeout(slot)}. `onTimeout` runs only for a slot still in a watched phase.
 */
export class FirstInteractiveWatchdog {
  constructor({ timers, timeoutMs, onTimeout }) {
    Object.assign(this, { timers, timeoutMs, onTimeout });
    this.pending = new Map(); // slot -> timer id
  }

  /** A render started (page load, retry, iframe-auth): wait again; LOGIN or FAIL: stop waiting. */
  watch(slot) {
    this.stop(slot);
    if (this.timeoutMs === null || !WATCHED_PHASES.has(slot.phase)) return;
    const id = this.timers.later(() => {
      this.pending.delete(slot);
      if (WATCHED_PHASES.has(slot.phase) || slot.busy) this.onTimeout(slot);
    }, this.timeoutMs);
    this.pending.set(slot, id);
  }

  /** The slot is done waiting (ready, failed, or showing Tableau's sign-in). */
  stop(slot) {
    const id = this.pending.get(slot);
    if (id === undefined) return;
    this.timers.cancel(id);
    this.pending.delete(slot);
  }
}

// Background refresh of the page's token (docs/error-handling.md, "One token per page"): a timer
// shortly before expiry, a check when the page is seen again, bounded backoff retries after a
// failure, spacing between requests, and a full stop when the token API refuses (401/403).
// No DOM of its own: what a failure means for the page is the caller's `onFailure`, and what it
// means when the bounded retries are spent, the caller's `onGiveUp`.

import { backoffDelay } from './load-errors.js';

// Refresh this long before `expires_at` (tokens live at most 10 minutes:
// "Troubleshoot Connected Apps", codes 16/10096).
export const REFRESH_LEAD_MS = 60_000;
// No background refresh (timer, focus, visibility) closer than this to the previous token request,
// whether that succeeded or failed: if the browser's clock runs ahead of the host's, a fresh token
// already looks "expired" and the timer must not spin; while the token API fails, every focus
// event would otherwise send another request. Only the bounded backoff retries come sooner.
export const MIN_REFRESH_INTERVAL_MS = 30_000;
// Token API answers that another background attempt cannot change (architecture.md, "Host
// browser contract"): 401, the user is signed out; 403, the request is refused (cross-site or
// CSRF). Background refresh stops until a token arrives another way.
export const REFUSED_STATUSES = Object.freeze([401, 403]);

/**
 * The refresh scheduler of one page. It owns at most one pending refresh timer: setting one
 * replaces the previous, so failures and explicit refreshes never pile up timers.
 * deps: {tokens (createTokenStore), timers (createPageTimers), retry ({maxAttempts, ...}),
 * now, random, onFailure(reason, TokenError), onGiveUp(TokenError): a failed refresh after the
 * last bounded retry (not a refusal)}.
 */
export class TokenRefresh {
  constructor({ tokens, timers, retry, now, random, onFailure, onGiveUp }) {
    Object.assign(this, { tokens, timers, retry, now, random, onFailure, onGiveUp });
    this.timer = null;
    this.failures = 0; // consecutive failed background refreshes
    this.refusedStatus = null; // a REFUSED_STATUSES answer: background refresh waits for a token
  }

  /** Arm the timer for REFRESH_LEAD_MS before expiry (never inside the spacing); none if unknown or refused. */
  schedule() {
    const { expiresAt } = this.tokens.current();
    if (!Number.isFinite(expiresAt) || this.refusedStatus !== null) {
      this.cancelTimer();
      return;
    }
    this.setTimer('timer', Math.max(expiresAt - REFRESH_LEAD_MS - this.now(), this.spacingLeft()));
  }

  /** Refresh now (`reason` goes into the failure report); true when a token arrived. */
  async refreshNow(reason) {
    try {
      await this.tokens.refresh();
      this.failures = 0;
      return true;
    } catch (err) {
      this.tokenFailed(reason, err);
      this.failures += 1;
      this.retrySoon(err);
      return false;
    }
  }

  /**
   * A token request failed, on any path (background, or a component's retry): report it, and on
   * a refusal stop background refresh, since the next background attempt gets the same answer.
   */
  tokenFailed(reason, err) {
    this.onFailure(reason, err);
    if (REFUSED_STATUSES.includes(err.status)) {
      this.refusedStatus = err.status;
      this.cancelTimer();
    }
  }

  /** A token arrived (e.g. a retry after the user signed in again): any refusal or run of
   * failures is over, so a later failure gets its bounded retries again. */
  tokenArrived() {
    this.refusedStatus = null;
    this.failures = 0;
  }

  /**
   * Refresh an expired page when it is seen again (timers are throttled in background tabs).
   * Returns the function that removes the listeners.
   */
  watchPageReturn(doc, win) {
    const onComeBack = () => {
      if (doc.visibilityState === 'hidden' || this.refusedStatus !== null) return;
      if (this.tokens.isExpired(REFRESH_LEAD_MS) && this.spacingLeft() === 0) this.refreshNow('resume');
    };
    doc.addEventListener('visibilitychange', onComeBack);
    win.addEventListener('focus', onComeBack);
    return () => {
      doc.removeEventListener('visibilitychange', onComeBack);
      win.removeEventListener('focus', onComeBack);
    };
  }

  /**
   * After a failed refresh: bounded retries with backoff, sooner than the spacing (a brief network
   * or server hiccup). After them the page says so (`onGiveUp`), and focus and visibility give
   * further chances, spaced.
   */
  retrySoon(err) {
    if (this.refusedStatus !== null) return;
    if (this.failures <= this.retry.maxAttempts) {
      this.setTimer('timer-retry', backoffDelay(this.failures, this.random, this.retry));
    } else {
      this.onGiveUp?.(err); // optional for integrators who wire TokenRefresh themselves
    }
  }

  /** Milliseconds until a background refresh may start (0 when it may start now). */
  spacingLeft() {
    return Math.max(0, this.tokens.lastAttemptAt() + MIN_REFRESH_INTERVAL_MS - this.now());
  }

  /** The one pending background refresh: setting it replaces any earlier one, never adds a second. */
  setTimer(reason, ms) {
    this.cancelTimer();
    this.timer = this.timers.later(() => {
      this.timer = null;
      this.refreshNow(reason);
    }, ms);
  }

  cancelTimer() {
    if (this.timer === null) return;
    this.timers.cancel(this.timer);
    this.timer = null;
  }
}

// DOM wiring for embed pages (docs/architecture.md, "Host browser contract"): a loading state
// per Tableau web component, the page's response to `vizloaderror` (catalogue-driven, see
// load-errors.js), and refreshing the page's one JWT through the host's token API.
//
// Rules followed:
// - Document 003: use the same JWT for all embedded components on a page. The page holds one
//   token; every refresh is one shared request, and every re-render takes the current token.
// - Document 003: `unknown-auth-error` -> set iframe-auth; other load errors -> remove the token
//   so Tableau's sign-in shows; the catalogue refines this per connected-app code (000/001).
// - Strict CSP: no inline handlers, no innerHTML; text goes in through textContent and styles
//   through CSSOM. The token never appears in text, logs or events (only in the `token`
//   attribute the web component requires).
//
// The wiring takes its clock, timers, fetch and randomness as options so tests can drive it
// without a browser (tests/js/embed-page.test.mjs).

import {
  FAIL,
  IFRAME_AUTH,
  LOGIN,
  RETRY,
  actionFor,
  backoffDelay,
  catalogueFromJSON,
  describeForIntegrator,
  messageFor,
  parseLoadError,
  retrySettings,
} from './load-errors.js';
import { createPageTimers } from './page-timers.js';
import { TokenError, createTokenStore } from './token-store.js';

export { TokenError, createTokenStore };

export const COMPONENT_SELECTOR = 'tableau-viz, tableau-authoring-viz, tableau-pulse';
export const COMPONENT_KINDS = Object.freeze({
  'tableau-viz': 'viz',
  'tableau-authoring-viz': 'authoring',
  'tableau-pulse': 'pulse',
});
export const CATALOGUE_ID = 'tableau-error-catalogue';
// Refresh this long before `expires_at` (tokens live at most 10 minutes: 000, codes 16/10096).
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
export const LOADING_TEXT = 'Loading Tableau content…';
// A component whose element the library has not defined after this long never will: the library
// script failed to load (server down, CSP, network). Reported as load error `library-not-loaded`.
export const LIBRARY_TIMEOUT_MS = 15_000;
/** The page settings from the container's data-* attributes, the meta tag and the catalogue. */
export function readPageConfig(container, doc = container.ownerDocument) {
  const ds = container.dataset;
  const components = (ds.components || '').split(/\s+/).filter(Boolean);
  const expiresAtSeconds = Number(ds.expiresAt);
  const meta = doc.querySelector('meta[name="csrf-token"]');
  const script = doc.getElementById(CATALOGUE_ID);
  return {
    tokenUrl: ds.tokenUrl || '/api/token',
    expiresAt: ds.expiresAt && Number.isFinite(expiresAtSeconds) ? expiresAtSeconds * 1000 : NaN,
    components,
    debug: ds.debug === 'true',
    csrfToken: meta ? meta.getAttribute('content') || '' : '',
    catalogue: catalogueFromJSON(script ? script.textContent : null),
  };
}

const wired = new WeakMap();

/**
 * Wire every Tableau web component in one `[data-embed-page]` container.
 * options: {fetch, now, setTimeout, clearTimeout, random, window, catalogue, log,
 * libraryTimeoutMs (null disables the watchdog)}; defaults are the browser's. Returns a controller {slots, tokens, config, refreshNow(reason), dispose()}.
 * Wiring the same container twice returns the first controller.
 */
export function wireEmbedPage(container, options = {}) {
  if (wired.has(container)) return wired.get(container);
  const doc = container.ownerDocument;
  const win = options.window ?? doc.defaultView ?? globalThis;
  const fetchFn = options.fetch ?? ((...args) => win.fetch(...args));
  const now = options.now ?? (() => Date.now());
  const setTimer = options.setTimeout ?? ((fn, ms) => win.setTimeout(fn, ms));
  const clearTimer = options.clearTimeout ?? ((id) => win.clearTimeout(id));
  const random = options.random ?? Math.random;
  const EventCtor = win.CustomEvent ?? globalThis.CustomEvent;

  const config = readPageConfig(container, doc);
  const catalogue = options.catalogue ?? config.catalogue;
  const retry = retrySettings(catalogue);
  const log = options.log ?? (config.debug ? win.console : null);
  const libraryTimeoutMs = options.libraryTimeoutMs === undefined ? LIBRARY_TIMEOUT_MS : options.libraryTimeoutMs;

  const elements = Array.from(container.querySelectorAll(COMPONENT_SELECTOR));
  const kinds = config.components.length
    ? config.components
    : [...new Set(elements.map((el) => COMPONENT_KINDS[el.localName]))];
  const firstToken = elements.map((el) => el.getAttribute('token')).find(Boolean) ?? null;
  const tokens = createTokenStore({
    url: config.tokenUrl,
    csrfToken: config.csrfToken,
    components: kinds,
    token: firstToken,
    expiresAt: config.expiresAt,
    fetch: fetchFn,
    now,
  });

  const timers = createPageTimers(setTimer, clearTimer);
  const cleanups = [];
  let refreshTimer = null;
  let refreshFailures = 0;
  // Status of a refused token request (REFUSED_STATUSES); background refresh waits for a token.
  let refusedStatus = null;

  const { later, sleep } = timers;

  function emit(type, detail) {
    container.dispatchEvent(new EventCtor(type, { bubbles: true, detail }));
  }

  // --- per-component state ------------------------------------------------------------------

  function statusFor(el) {
    const prev = el.previousElementSibling;
    if (prev && prev.classList && prev.classList.contains('embed-status')) return prev;
    const status = doc.createElement('p');
    status.className = 'embed-status';
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    el.before(status);
    return status;
  }

  function setStatus(slot, phase, text) {
    slot.phase = phase;
    slot.el.dataset.embedStatus = phase;
    slot.status.dataset.state = phase; // styling hook (app.css: the loading spinner)
    slot.status.textContent = text;
    slot.status.hidden = !text;
  }

  // Component events are caught on the container in the capture phase: that sees them whether
  // or not a library version makes them bubble, needs no re-listening when a component is
  // replaced by its clone, and a replaced (detached) element can no longer reach the container.
  const slotOf = new WeakMap();
  const onContainerEvent = (event) => {
    const slot = slotOf.get(event.target);
    if (!slot || slot.el !== event.target) return;
    if (event.type === 'firstinteractive') {
      ready(slot);
      return;
    }
    loadError(slot, event).catch((err) => log && log.error('embed: load error handling failed', err.message));
  };
  container.addEventListener('firstinteractive', onContainerEvent, true);
  container.addEventListener('vizloaderror', onContainerEvent, true);
  cleanups.push(() => {
    container.removeEventListener('firstinteractive', onContainerEvent, true);
    container.removeEventListener('vizloaderror', onContainerEvent, true);
  });

  const slots = elements.map((el) => {
    const slot = {
      kind: COMPONENT_KINDS[el.localName],
      el,
      status: statusFor(el),
      panel: null,
      phase: 'loading',
      busy: false,
      attempts: { [RETRY]: 0, [IFRAME_AUTH]: el.hasAttribute('iframe-auth') ? 1 : 0, [LOGIN]: 0 },
      token: el.getAttribute('token'),
    };
    setStatus(slot, 'loading', LOADING_TEXT);
    slotOf.set(el, slot);
    return slot;
  });

  function isDefined(el) {
    const registry = win.customElements;
    return Boolean(registry && registry.get(el.localName));
  }

  function countReady() {
    container.dataset.embedReady = String(slots.filter((s) => s.phase === 'ready').length);
  }

  function ready(slot) {
    if (slot.phase === 'failed') {
      // Only the library watchdog fails a component that can still render (a late library).
      slot.el.hidden = false;
      slot.el.style.display = '';
    }
    setStatus(slot, 'ready', '');
    if (slot.panel) {
      slot.panel.remove();
      slot.panel = null;
    }
    countReady();
    emit('embed:ready', { component: slot.kind, id: slot.el.id || null });
  }

  /**
   * Render the component again as a fresh element: a shallow clone (attributes, not whatever the
   * library rendered inside) with the token replaced or removed, and iframe-auth added if asked
   * (an existing iframe-auth attribute is kept by the clone). Replacing the element works
   * whether or not a given library version re-renders on attribute changes.
   */
  function rerender(slot, { token, iframeAuth = false }) {
    const old = slot.el;
    const fresh = old.cloneNode(false);
    for (const child of Array.from(old.children)) {
      // Keep configuration children (e.g. filters); drop what the library rendered.
      if (child.localName !== 'iframe') fresh.append(child.cloneNode(true));
    }
    if (token) fresh.setAttribute('token', token);
    else fresh.removeAttribute('token');
    if (iframeAuth) fresh.setAttribute('iframe-auth', '');
    slotOf.delete(old);
    slotOf.set(fresh, slot);
    old.replaceWith(fresh);
    slot.el = fresh;
    slot.token = token || null;
    fresh.dataset.embedStatus = slot.phase;
  }

  function record(slot, decision) {
    const tag = decision.code ?? decision.errorCode ?? '-';
    container.dataset.embedLastAction = decision.action;
    container.dataset.embedLastCode = String(tag);
    const logSoFar = container.dataset.embedActions;
    container.dataset.embedActions = `${logSoFar ? `${logSoFar} ` : ''}${decision.action}:${tag}`;
    emit('embed:action', {
      action: decision.action,
      code: decision.code,
      errorCode: decision.errorCode,
      name: decision.entry ? decision.entry.name ?? null : null,
      attempt: decision.attempt,
      component: slot.kind,
      id: slot.el.id || null,
      reason: decision.reason,
    });
    if (log) log.warn(`embed: ${decision.reason}\n${describeForIntegrator(decision.entry)}`);
  }

  function showFailure(slot, decision) {
    setStatus(slot, 'failed', '');
    slot.el.hidden = true;
    slot.el.style.display = 'none';
    if (slot.panel) slot.panel.remove();
    const panel = doc.createElement('div');
    panel.className = 'embed-error';
    panel.setAttribute('role', 'alert');
    const p = doc.createElement('p');
    p.textContent = messageFor(FAIL, catalogue);
    panel.append(p);
    if (config.debug && decision.entry) {
      // Integrator-facing detail, debug pages only (data-debug="true").
      const e = decision.entry;
      const dl = doc.createElement('dl');
      dl.className = 'embed-error-detail';
      const rows = [
        ['Code', e.code ?? e.errorCode ?? ''],
        ['Name', e.name ?? ''],
        ['Summary', e.summary ?? ''],
        ['Resolution', e.resolution ?? ''],
        ['Why this action', decision.reason],
      ];
      for (const [label, value] of rows) {
        if (value === '' || value === null) continue;
        const dt = doc.createElement('dt');
        dt.textContent = label;
        const dd = doc.createElement('dd');
        dd.textContent = String(value);
        dl.append(dt, dd);
      }
      panel.append(dl);
    }
    slot.status.after(panel);
    slot.panel = panel;
  }

  async function apply(slot, parsed, decision) {
    if (decision.action !== FAIL) slot.attempts[decision.action] += 1;
    record(slot, decision);
    switch (decision.action) {
      case RETRY: {
        setStatus(slot, 'retrying', messageFor(RETRY, catalogue));
        await sleep(backoffDelay(decision.attempt, random, retry));
        let token;
        try {
          token = await tokens.freshFor(slot.token);
        } catch (err) {
          tokenFailed('retry', err);
          // One attempt used; decide again with the same error (RETRY again, or its fallback).
          const next = actionFor(parsed, catalogue, { attempts: slot.attempts });
          next.reason = `token refresh failed (${err.message}); ${next.reason}`;
          return apply(slot, parsed, next);
        }
        setStatus(slot, 'loading', LOADING_TEXT);
        rerender(slot, { token });
        return undefined;
      }
      case IFRAME_AUTH: {
        setStatus(slot, 'iframe-auth', messageFor(IFRAME_AUTH, catalogue));
        // The failed sign-in may still have consumed the token's jti (a CORS failure can hide
        // a processed request); a fresh token avoids a 10091 we could no longer see, since
        // auth errors under iframe-auth show inside the iframe with no vizloaderror (003).
        const token = await tokens.freshFor(slot.token).catch((err) => {
          tokenFailed('iframe-auth', err);
          return slot.token;
        });
        rerender(slot, { token, iframeAuth: true });
        return undefined;
      }
      case LOGIN:
        // Document 003: remove the token so the user sees Tableau's sign-in.
        setStatus(slot, 'login', messageFor(LOGIN, catalogue));
        rerender(slot, { token: null });
        return undefined;
      default:
        showFailure(slot, decision);
        return undefined;
    }
  }

  async function loadError(slot, event) {
    // One error at a time per component; after FAIL nothing more is done.
    if (slot.busy || slot.phase === 'failed') return;
    slot.busy = true;
    try {
      const parsed = parseLoadError(event.detail);
      await apply(slot, parsed, actionFor(parsed, catalogue, { attempts: slot.attempts }));
    } finally {
      slot.busy = false;
    }
  }

  // --- the page's token: refresh before expiry and when the page comes back ------------------

  function tokenFailed(reason, err) {
    container.dataset.embedTokenError = err.status ? String(err.status) : 'network';
    emit('embed:token', { ok: false, reason, status: err.status ?? null });
    if (log) log.warn(`embed: ${err.message}`);
    if (REFUSED_STATUSES.includes(err.status)) {
      // Whichever path learnt it (background or a component's retry), the next background
      // attempt gets the same answer.
      refusedStatus = err.status;
      cancelRefreshTimer();
    }
  }

  function cancelRefreshTimer() {
    if (refreshTimer === null) return;
    timers.cancel(refreshTimer);
    refreshTimer = null;
  }

  /** The one pending background refresh: setting it replaces any earlier one, never adds a second. */
  function setRefreshTimer(reason, ms) {
    cancelRefreshTimer();
    refreshTimer = later(() => {
      refreshTimer = null;
      refreshNow(reason);
    }, ms);
  }

  /** Milliseconds until a background refresh may start (0 when it may start now). */
  function spacingLeft() {
    return Math.max(0, tokens.lastAttemptAt() + MIN_REFRESH_INTERVAL_MS - now());
  }

  function schedule() {
    const { expiresAt } = tokens.current();
    if (!Number.isFinite(expiresAt) || refusedStatus !== null) {
      cancelRefreshTimer();
      return;
    }
    setRefreshTimer('timer', Math.max(expiresAt - REFRESH_LEAD_MS - now(), spacingLeft()));
  }

  async function refreshNow(reason) {
    try {
      await tokens.refresh();
      refreshFailures = 0;
      return true;
    } catch (err) {
      tokenFailed(reason, err);
      refreshFailures += 1;
      // Bounded background retries (sooner than the spacing: a brief network or server hiccup);
      // after them, focus/visibility give further chances, spaced.
      if (refusedStatus === null && refreshFailures <= retry.maxAttempts) {
        setRefreshTimer('timer-retry', backoffDelay(refreshFailures, random, retry));
      }
      return false;
    }
  }

  cleanups.push(
    tokens.onRefresh(({ expiresAt, token }) => {
      // A token arrived (e.g. a retry after the user signed in again): refusal is over.
      refusedStatus = null;
      container.dataset.expiresAt = String(Math.floor(expiresAt / 1000));
      container.dataset.embedTokenRefreshes = String(Number(container.dataset.embedTokenRefreshes || 0) + 1);
      delete container.dataset.embedTokenError;
      // Components not rendered yet (the library has not defined their element, e.g. it is
      // still loading from the Tableau server) take the fresh token in place: nothing renders
      // until the element is defined, so this costs no re-render. Defined components are left
      // alone, since changing `token` renders again (architecture.md); a later re-render (retry,
      // iframe-auth) takes the current token, and one that fails on an expired token (16) is
      // retried with it without another request (TokenStore.freshFor).
      let updated = 0;
      for (const slot of slots) {
        if (slot.phase === 'loading' && slot.token && slot.token !== token && !isDefined(slot.el)) {
          slot.el.setAttribute('token', token);
          slot.token = token;
          updated += 1;
        }
      }
      emit('embed:token', { ok: true, expiresAt: Math.floor(expiresAt / 1000), updated });
      schedule();
    }),
  );

  const onComeBack = () => {
    if (doc.visibilityState === 'hidden' || refusedStatus !== null) return;
    // Timers are throttled in background tabs: check the clock when the page is seen again.
    if (tokens.isExpired(REFRESH_LEAD_MS) && spacingLeft() === 0) refreshNow('resume');
  };
  doc.addEventListener('visibilitychange', onComeBack);
  win.addEventListener('focus', onComeBack);
  cleanups.push(() => doc.removeEventListener('visibilitychange', onComeBack));
  cleanups.push(() => win.removeEventListener('focus', onComeBack));

  function checkLibrary() {
    for (const slot of slots) {
      if (slot.phase !== 'loading' || isDefined(slot.el)) continue;
      const errorCode = 'library-not-loaded';
      const known = catalogue.loadErrors && catalogue.loadErrors[errorCode];
      const entry = { errorCode, summary: 'The Embedding API library did not load.', ...known };
      const decision = {
        action: FAIL,
        entry,
        code: null,
        errorCode,
        attempt: 1,
        reason: `<${slot.el.localName}> not defined after ${libraryTimeoutMs} ms -> FAIL`,
      };
      record(slot, decision);
      showFailure(slot, decision);
    }
  }

  schedule();
  if (libraryTimeoutMs !== null && Number.isFinite(libraryTimeoutMs)) later(checkLibrary, libraryTimeoutMs);
  container.dataset.embedWired = 'true';

  const controller = {
    slots,
    tokens,
    config,
    catalogue,
    refreshNow,
    dispose() {
      timers.dispose();
      for (const fn of cleanups) fn();
      wired.delete(container);
      delete container.dataset.embedWired;
    },
  };
  wired.set(container, controller);
  return controller;
}

/** Wire every `[data-embed-page]` in the document, except those marked `data-embed-manual`. */
export function startEmbedPages(doc = globalThis.document, options = {}) {
  return Array.from(doc.querySelectorAll('[data-embed-page]'))
    .filter((c) => !c.hasAttribute('data-embed-manual'))
    .map((c) => wireEmbedPage(c, options));
}

// Auto-start in a browser page that has an embed container; importing in node does nothing.
if (typeof document !== 'undefined' && typeof document.querySelector === 'function') {
  const start = () => {
    if (document.querySelector('[data-embed-page]')) startEmbedPages(document);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
  else start();
}

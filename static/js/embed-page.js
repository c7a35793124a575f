// DOM wiring for embed pages (docs/architecture.md, "Host browser contract"): a loading state
// per Tableau web component, the page's response to `vizloaderror` (catalogue-driven, see
// load-errors.js), and refreshing the page's one JWT through the host's token API.
// The only module the templates load; it wires these together:
//   embed-slots.js         the components: slots, status elements, error panels, event routing
//   component-clone.js     re-rendering a component as a clone
//   load-error-actions.js  applying RETRY, IFRAME_AUTH, LOGIN or FAIL to a component
//   library-watchdog.js    `library-not-loaded` when the Embedding API library never arrives
//   first-interactive-watchdog.js, final-message.js
//                          the final message when a rendered view never becomes interactive
//   token-store.js         the page's one token and the shared request that replaces it
//   token-refresh.js       refreshing it in the background (timer, focus, backoff, 401/403 stop)
//   embed-report.js        what the page records: data-* attributes, `embed:*` events, debug log
//   page-timers.js         the page's timers, all cancelled by dispose()
//   token-panel.js         the token panel, loaded only when the page has one (TOKEN_PANEL)
//   page-catalogue.js      the error catalogue when a module provides it (error-catalogue.js)
//   session-ended.js       "Your session has ended" when the token API answers 401, "We can't
//                          renew your access" when its bounded retries are spent
//
// Rules followed:
// - "Authentication and Embedding": use the same JWT for all embedded components on a page. The
//   page holds one token; every refresh is one shared request, and every re-render takes the
//   current token.
// - Strict CSP: no inline handlers, no innerHTML; text goes in through textContent and styles
//   through CSSOM. The token never appears in text, logs or events (only in the `token`
//   attribute the web component requires).
//
// The wiring takes its clock, timers, fetch and randomness as options so tests can drive it
// without a browser (tests/js/embed-page.test.mjs).

import { catalogueFrom, catalogueFromJSON, retrySettings, withRetryFallback } from './load-errors.js';
import { providedCatalogue } from './page-catalogue.js';
import { createEmbedReport } from './embed-report.js';
import { COMPONENT_KINDS, COMPONENT_SELECTOR, EmbedSlots, LOADING_TEXT, giveTokenToUnrendered, showReady } from './embed-slots.js';
import { LIBRARY_TIMEOUT_MS, isElementDefined, libraryNotLoadedDecision, startLibraryWatchdog } from './library-watchdog.js';
import {
  FirstInteractiveWatchdog, firstInteractiveTimeout, notInteractiveDecision,
} from './first-interactive-watchdog.js';
import { NOT_INTERACTIVE_MESSAGE, notInteractiveExplanation } from './final-message.js';
import { LoadErrorActions } from './load-error-actions.js';
import { createPageTimers } from './page-timers.js';
import { MIN_REFRESH_INTERVAL_MS, REFRESH_LEAD_MS, REFUSED_STATUSES, TokenRefresh } from './token-refresh.js';
import { TokenError, createTokenStore } from './token-store.js';
import { RENEWAL_FAILED, SESSION_ENDED_STATUS, createSessionNotice } from './session-ended.js';

export const CATALOGUE_ID = 'tableau-error-catalogue';

/**
 * The page settings from the container's data-* attributes, the meta tag and the catalogue: the
 * page's inline catalogue script if it has one, else the one a module provided (page-catalogue.js:
 * the host's cached error-catalogue.js), else MINIMAL_CATALOGUE.
 */
export function readPageConfig(container, doc = container.ownerDocument) {
  const ds = container.dataset;
  const components = (ds.components || '').split(/\s+/).filter(Boolean);
  const expiresAtSeconds = Number(ds.expiresAt);
  const meta = doc.querySelector('meta[name="csrf-token"]');
  const script = doc.getElementById(CATALOGUE_ID);
  return {
    tokenUrl: ds.tokenUrl || '/api/token',
    loginUrl: ds.loginUrl || null,
    expiresAt: ds.expiresAt && Number.isFinite(expiresAtSeconds) ? expiresAtSeconds * 1000 : NaN,
    components,
    debug: ds.debug === 'true',
    retryFallback: ds.retryFallback,
    csrfToken: meta ? meta.getAttribute('content') || '' : '',
    catalogue: script ? catalogueFromJSON(script.textContent) : catalogueFrom(providedCatalogue()),
  };
}

const wired = new WeakMap();

/**
 * Wire every Tableau web component in one `[data-embed-page]` container.
 * options: {fetch, now, setTimeout, clearTimeout, random, window, catalogue, log,
 * libraryTimeoutMs (null disables the watchdog), firstInteractiveMs (default: the catalogue's
 * timeouts.firstInteractiveMs; null disables the final message)}; defaults are the browser's.
 * Returns a controller {slots, tokens, config, catalogue, refreshNow(reason), dispose()}.
 * Wiring the same container twice returns the first controller.
 */
export function wireEmbedPage(container, options = {}) {
  if (wired.has(container)) return wired.get(container);
  const page = setUpPage(container, options);
  const { doc, win, tokens, timers, report } = page;
  let actions = null; // the watchdog's onTimeout runs only after wiring, when this is set
  const watchdog = new FirstInteractiveWatchdog({
    timers, timeoutMs: page.firstInteractiveMs, onTimeout: (slot) => notInteractive(slot, page, actions),
  });
  const slots = new EmbedSlots(page.elements, doc, { onRender: (slot) => watchdog.watch(slot) });
  const refresh = new TokenRefresh({
    tokens, timers, retry: page.retry, now: page.now, random: page.random,
    onFailure: (reason, err) => {
      report.tokenFailed(reason, err);
      // 401: signed out; 403: refused for good (e.g. signed in again in another tab, so this
      // page's CSRF token is another session's). Either way no refresh will help: say so.
      if (err.status === SESSION_ENDED_STATUS) page.sessionNotice.show();
      else if (err.status === 403) page.sessionNotice.show(RENEWAL_FAILED);
    },
    onGiveUp: () => page.sessionNotice.show(RENEWAL_FAILED),
  });
  actions = new LoadErrorActions({
    catalogue: page.catalogue, retrySettings: page.retry, random: page.random, sleep: timers.sleep, tokens,
    tokenFailed: (reason, err) => refresh.tokenFailed(reason, err), slots, report, doc, debug: page.config.debug,
  });
  const cleanups = [
    slots.listen(container, {
      onReady: (slot) => {
        watchdog.stop(slot);
        markReady(slot, slots, report);
      },
      onLoadError: (slot, event) => actions.handle(slot, event.detail)
        .catch((err) => report.internalError('load error handling', err)),
    }),
    followTokenRefreshes(page, slots, refresh),
    refresh.watchPageReturn(doc, win),
    ...tokenPanel(container, page),
    () => page.sessionNotice.hide(),
  ];
  refresh.schedule();
  for (const slot of slots.list) watchdog.watch(slot);
  startLibraryWatchdog({
    slots: slots.list, timeoutMs: page.libraryTimeoutMs, later: timers.later, win, catalogue: page.catalogue,
    fail: (slot, decision) => actions.fail(slot, decision),
  });
  container.dataset.embedWired = 'true';
  const controller = controllerFor(container, page, slots, refresh, cleanups);
  wired.set(container, controller);
  return controller;
}

/** The page's settings, environment (options, else the browser's), timers, recorder and token store. */
function setUpPage(container, options) {
  const env = environment(container, options);
  const config = readPageConfig(container, env.doc);
  const catalogue = withRetryFallback(options.catalogue ?? config.catalogue, config.retryFallback);
  const log = options.log ?? (config.debug ? env.win.console : null);
  const elements = Array.from(container.querySelectorAll(COMPONENT_SELECTOR));
  return {
    ...env,
    config,
    catalogue,
    retry: retrySettings(catalogue),
    libraryTimeoutMs: options.libraryTimeoutMs === undefined ? LIBRARY_TIMEOUT_MS : options.libraryTimeoutMs,
    firstInteractiveMs: options.firstInteractiveMs === undefined
      ? firstInteractiveTimeout(catalogue) : options.firstInteractiveMs,
    elements,
    tokens: pageTokenStore(config, elements, env),
    timers: createPageTimers(env.setTimer, env.clearTimer),
    report: createEmbedReport(container, env.EventCtor, log),
    sessionNotice: createSessionNotice(container, { loginUrl: config.loginUrl, location: env.location }),
  };
}

/** The clock, timers, fetch, randomness and event class: from `options`, else the page's window. */
function environment(container, options) {
  const doc = container.ownerDocument;
  const win = options.window ?? doc.defaultView ?? globalThis;
  return {
    doc,
    win,
    fetch: options.fetch ?? ((...args) => win.fetch(...args)),
    now: options.now ?? (() => Date.now()),
    setTimer: options.setTimeout ?? ((fn, ms) => win.setTimeout(fn, ms)),
    clearTimer: options.clearTimeout ?? ((id) => win.clearTimeout(id)),
    random: options.random ?? Math.random,
    EventCtor: win.CustomEvent ?? globalThis.CustomEvent,
    location: win.location ?? { pathname: '/', search: '' },
  };
}

/**
 * The page's one token store ("Authentication and Embedding"), starting from the first token a
 * component carries, asking for the kinds in data-components (else the kinds on the page).
 */
function pageTokenStore(config, elements, { fetch, now }) {
  const kinds = config.components.length
    ? config.components
    : [...new Set(elements.map((el) => COMPONENT_KINDS[el.localName]))];
  return createTokenStore({
    url: config.tokenUrl,
    csrfToken: config.csrfToken,
    components: kinds,
    token: elements.map((el) => el.getAttribute('token')).find(Boolean) ?? null,
    expiresAt: config.expiresAt,
    fetch,
    now,
  });
}

/**
 * The token panel inside the container, if the page has one (TOKEN_PANEL: the sandbox, or when
 * set). Its module loads only then (`import()`: production pages never download it; pages with a
 * panel preload it). Returns its cleanup, in a list.
 */
function tokenPanel(container, { tokens, timers, now, report }) {
  const panel = container.querySelector('[data-token-panel]');
  if (!panel) return [];
  let stop = null;
  let disposed = false;
  import('./token-panel.js')
    .then(({ wireTokenPanel }) => {
      if (!disposed) stop = wireTokenPanel(panel, { tokens, timers, now, container });
    })
    .catch((err) => report.internalError('token panel', err));
  return [() => {
    disposed = true;
    if (stop) stop();
  }];
}

/**
 * A rendered component never became interactive: the final message naming its src and the likely
 * causes (or `library-not-loaded`, when its element was never even defined).
 */
function notInteractive(slot, { win, doc, catalogue, firstInteractiveMs, libraryTimeoutMs }, actions) {
  if (!isElementDefined(win, slot.el)) {
    actions.fail(slot, libraryNotLoadedDecision(slot.el, catalogue, libraryTimeoutMs ?? firstInteractiveMs));
    return;
  }
  const decision = notInteractiveDecision(slot, catalogue, firstInteractiveMs);
  const extra = notInteractiveExplanation(doc, slot.el.getAttribute('src') || '');
  actions.fail(slot, decision, { message: NOT_INTERACTIVE_MESSAGE, extra });
}

/** A component fired `firstinteractive`. */
function markReady(slot, slots, report) {
  showReady(slot);
  report.ready(slot, slots.readyCount());
}

/**
 * On every new token: background refresh may run again, a session-ended notice goes, the page
 * records it, components not yet rendered take it in place, and the next refresh is scheduled.
 * Returns the unsubscribe function.
 */
function followTokenRefreshes({ tokens, report, win, sessionNotice }, slots, refresh) {
  return tokens.onRefresh(({ expiresAt, token }) => {
    refresh.tokenArrived();
    sessionNotice.hide();
    report.tokenStored(expiresAt);
    const updated = giveTokenToUnrendered(slots.list, token, (el) => isElementDefined(win, el));
    report.tokenAnnounced(expiresAt, updated);
    refresh.schedule();
  });
}

function controllerFor(container, { tokens, config, catalogue, timers }, slots, refresh, cleanups) {
  return {
    slots: slots.list,
    tokens,
    config,
    catalogue,
    refreshNow: (reason) => refresh.refreshNow(reason),
    dispose() {
      timers.dispose();
      for (const fn of cleanups) fn();
      wired.delete(container);
      delete container.dataset.embedWired;
    },
  };
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

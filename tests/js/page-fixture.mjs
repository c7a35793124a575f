// An embed page as templates/embed.html renders it, wired to embed-page.js with a fake DOM, clock
// and fetch. Shared by the embed-page tests (behaviour) and the contract tests (public surface).
import { readFileSync } from 'node:fs';

import { wireEmbedPage } from '../../static/js/embed-page.js';
import { FakeClock, FakeDocument, h, scriptedFetch } from './fake-dom.mjs';

export const CATALOGUE_TEXT = readFileSync(new URL('../../tableau_rules/catalogue.json', import.meta.url), 'utf8');
export const catalogue = JSON.parse(CATALOGUE_TEXT);
export const MAX = catalogue.retry.maxAttempts;
export const T0 = 'eyJ.page-token.T0';
export const CSRF = 'csrf-abc';
export const ALL_TAGS = ['tableau-viz', 'tableau-authoring-viz', 'tableau-pulse'];
const KIND = { 'tableau-viz': 'viz', 'tableau-authoring-viz': 'authoring', 'tableau-pulse': 'pulse' };

/** The `vizloaderror` detail Tableau's library gives for a connected-app code (Embedding API reference, VizLoadErrorEvent). */
export function authFailed(code, statusCode = 401) {
  const body = JSON.stringify({ result: { errors: [{ code }] } });
  return { errorCode: 'auth-failed', message: JSON.stringify({ statusCode, errorMessage: body }) };
}

/**
 * Options: `tags` (one component each), `defined` (element names the fake library has defined:
 * all by default), `components` (data-components; derived from `tags` by default, null omits it),
 * `children(doc)` (put inside each component), `respond` (the token API's answers), `captureLog`
 * (collect warnings in `logged`), `wire: false` (build only), plus debug, expiresIn,
 * withCatalogue, libraryTimeoutMs and firstInteractiveMs as on a real page (undefined: the page's
 * default; null: that watchdog off), `catalogueJSON` (a catalogue object instead of the file's).
 */
export function embedPage({
  tags = ['tableau-viz'], debug = false, expiresIn = 600, respond, withCatalogue = true, wire = true,
  defined = ALL_TAGS, libraryTimeoutMs, firstInteractiveMs, components, children = () => [],
  captureLog = false, catalogueJSON = null,
} = {}) {
  const clock = new FakeClock();
  const doc = new FakeDocument();
  for (const name of defined) doc.defaultView.defined.add(name);
  doc.head.append(h(doc, 'meta', { name: 'csrf-token', content: CSRF }));
  const kinds = components === undefined ? [...new Set(tags.map((t) => KIND[t]))].join(' ') : components;
  const container = h(doc, 'section', {
    'data-embed-page': '',
    'data-token-url': '/api/token',
    'data-expires-at': String(Math.floor(clock.now() / 1000) + expiresIn),
    'data-components': kinds,
    'data-debug': debug ? 'true' : 'false',
  });
  tags.forEach((tag, i) => {
    const attrs = { id: `embed-${i}`, src: `http://localhost:8001/t/demo/views/W/V${i}`, token: T0 };
    container.append(h(doc, 'figure', {}, h(doc, tag, attrs, ...children(doc))));
  });
  doc.body.append(container);
  if (withCatalogue) {
    const script = h(doc, 'script', { type: 'application/json', id: 'tableau-error-catalogue' });
    script.ownText = catalogueJSON ? JSON.stringify(catalogueJSON) : CATALOGUE_TEXT;
    doc.body.append(script);
  }
  let n = 0;
  const fetch = scriptedFetch(respond ?? (() => {
    n += 1;
    return { status: 200, body: { token: `eyJ.fresh.T${n}`, expires_at: Math.floor(clock.now() / 1000) + 600 } };
  }));
  const events = []; // flattened: {type, ...detail}
  const rawEvents = []; // as dispatched: {type, detail, bubbles}
  for (const type of ['embed:action', 'embed:ready', 'embed:token']) {
    container.addEventListener(type, (e) => {
      events.push({ type, ...e.detail });
      rawEvents.push({ type, detail: e.detail, bubbles: e.bubbles });
    });
  }
  const logged = [];
  const log = { warn: (m) => logged.push(['warn', m]), error: (...a) => logged.push(['error', ...a]) };
  const options = {
    fetch, now: clock.now, setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout,
    random: () => 0.5, libraryTimeoutMs, ...(captureLog ? { log } : {}),
    ...(firstInteractiveMs === undefined ? {} : { firstInteractiveMs }),
  };
  const ctl = wire ? wireEmbedPage(container, options) : null;
  const current = () => container.querySelectorAll('tableau-viz, tableau-authoring-viz, tableau-pulse');
  const fire = (el, type, detail) => el.dispatchEvent(new CustomEvent(type, { detail }));
  return { clock, doc, container, fetch, events, rawEvents, logged, ctl, components: current, current, fire, options };
}

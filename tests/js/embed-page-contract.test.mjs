// node --test tests/js/ : the public surface of embed-page.js, pinned so that splitting it into
// modules cannot change what other code and the failure lab rely on: the exports, the controller,
// the event details, the data-* attributes, clones, logging and dispose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import * as embedPage from '../../static/js/embed-page.js';
import { COMPONENT_KINDS, COMPONENT_SELECTOR, LOADING_TEXT } from '../../static/js/embed-slots.js';
import { LIBRARY_TIMEOUT_MS } from '../../static/js/library-watchdog.js';
import { MIN_REFRESH_INTERVAL_MS, REFRESH_LEAD_MS, REFUSED_STATUSES } from '../../static/js/token-refresh.js';
import { TokenError } from '../../static/js/token-store.js';
import { flush, h } from './fake-dom.mjs';
import { ALL_TAGS, MAX, T0, authFailed, catalogue, embedPage as buildPage } from './page-fixture.mjs';

const { wireEmbedPage } = embedPage;

/** The contract pins events as dispatched, captured warnings, and no data-components by default. */
function page({ defined = true, components = null, libraryTimeoutMs = null, firstInteractiveMs = null, ...rest } = {}) {
  const p = buildPage({ ...rest, components, libraryTimeoutMs, firstInteractiveMs, captureLog: true, defined: defined ? ALL_TAGS : [] });
  return { ...p, events: p.rawEvents };
}

test('exports: the entry point names, and the values other code relies on', () => {
  assert.deepEqual(Object.keys(embedPage).sort(), [
    'CATALOGUE_ID', 'readPageConfig', 'startEmbedPages', 'wireEmbedPage',
  ]);
  assert.equal(COMPONENT_SELECTOR, 'tableau-viz, tableau-authoring-viz, tableau-pulse');
  assert.deepEqual(COMPONENT_KINDS, { 'tableau-viz': 'viz', 'tableau-authoring-viz': 'authoring', 'tableau-pulse': 'pulse' });
  assert.ok(Object.isFrozen(COMPONENT_KINDS));
  assert.equal(embedPage.CATALOGUE_ID, 'tableau-error-catalogue');
  assert.equal(REFRESH_LEAD_MS, 60_000);
  assert.equal(MIN_REFRESH_INTERVAL_MS, 30_000);
  assert.deepEqual(REFUSED_STATUSES, [401, 403]);
  assert.ok(Object.isFrozen(REFUSED_STATUSES));
  assert.equal(LOADING_TEXT, 'Loading Tableau content…');
  assert.equal(LIBRARY_TIMEOUT_MS, 15_000);
  const err = new TokenError('m', 401);
  assert.ok(err instanceof Error);
  assert.deepEqual([err.name, err.message, err.status], ['TokenError', 'm', 401]);
  assert.equal(new TokenError('m').status, null);
});

test('controller and slot shape', () => {
  const p = page({ tags: ['tableau-viz', 'tableau-pulse'] });
  assert.deepEqual(Object.keys(p.ctl).sort(), ['catalogue', 'config', 'dispose', 'refreshNow', 'slots', 'tokens']);
  assert.deepEqual(p.ctl.catalogue, catalogue);
  assert.equal(p.ctl.config.tokenUrl, '/api/token');
  const [viz, pulse] = p.ctl.slots;
  assert.deepEqual(Object.keys(viz).sort(), ['attempts', 'busy', 'el', 'kind', 'panel', 'phase', 'status', 'token']);
  assert.deepEqual([viz.kind, pulse.kind], ['viz', 'pulse']);
  assert.equal(viz.el, p.current()[0]);
  assert.equal(viz.status, viz.el.previousElementSibling);
  assert.deepEqual(viz.attempts, { RETRY: 0, IFRAME_AUTH: 0, LOGIN: 0 });
  assert.deepEqual([viz.phase, viz.busy, viz.panel, viz.token], ['loading', false, null, T0]);
  assert.equal(p.ctl.tokens.current().token, T0);
});

test('kinds come from the elements when data-components is absent; iframe-auth counts as used', async () => {
  const p = page({ tags: ['tableau-pulse', 'tableau-viz', 'tableau-pulse'], components: undefined });
  await p.ctl.refreshNow('manual');
  assert.deepEqual(p.fetch.calls[0].body, { components: ['pulse', 'viz'] });
  const q = page();
  q.current()[0].setAttribute('iframe-auth', '');
  q.ctl.dispose();
  const again = wireEmbedPage(q.container, { fetch: q.fetch, now: q.clock.now, setTimeout: q.clock.setTimeout, clearTimeout: q.clock.clearTimeout, libraryTimeoutMs: null });
  assert.equal(again.slots[0].attempts.IFRAME_AUTH, 1);
});

test('event details and data-* attributes', async () => {
  const p = page({ debug: true });
  const [el] = p.current();
  p.fire(el, 'vizloaderror', authFailed(10091));
  await p.clock.advance(5_000);
  const fresh = p.current()[0];
  p.fire(fresh, 'firstinteractive');
  p.fire(fresh, 'vizloaderror', authFailed(10092));
  await flush();
  const [retry, , ready, fail] = p.events;
  assert.equal(retry.type, 'embed:action');
  assert.equal(retry.bubbles, true);
  assert.deepEqual(Object.keys(retry.detail), ['action', 'code', 'errorCode', 'name', 'attempt', 'component', 'id', 'reason']);
  assert.deepEqual({ ...retry.detail, reason: undefined }, {
    action: 'RETRY', code: 10091, errorCode: 'auth-failed', name: 'JTI_ALREADY_USED', attempt: 1, component: 'viz', id: 'embed-0', reason: undefined,
  });
  assert.equal(typeof retry.detail.reason, 'string');
  const token = p.events[1];
  assert.equal(token.type, 'embed:token');
  assert.deepEqual(token.detail, { ok: true, expiresAt: Math.floor(p.clock.now() / 1000) - 5 + 600, updated: 0 });
  assert.deepEqual(ready.detail, { component: 'viz', id: 'embed-0' });
  assert.equal(fail.detail.action, 'FAIL');
  assert.equal(fail.detail.name, 'NOT_IN_DOMAIN_ALLOW_LIST');
  assert.equal(p.container.getAttribute('data-embed-actions'), 'RETRY:10091 FAIL:10092');
  assert.equal(p.container.getAttribute('data-embed-last-action'), 'FAIL');
  assert.equal(p.container.getAttribute('data-embed-last-code'), '10092');
  assert.equal(p.container.getAttribute('data-embed-ready'), '1', 'counted when components become ready, not recounted on failure');
  assert.equal(p.container.getAttribute('data-embed-token-refreshes'), '1');
  assert.equal(p.container.getAttribute('data-embed-wired'), 'true');
  assert.equal(fresh.getAttribute('data-embed-status'), 'failed');
  assert.equal(p.ctl.slots[0].status.getAttribute('data-state'), 'failed');
  assert.equal(fresh.previousElementSibling.getAttribute('role'), 'alert', 'panel between status and component');
  // Debug pages log the reason and the integrator text for every action.
  const warnings = p.logged.filter(([kind]) => kind === 'warn').map(([, m]) => m);
  assert.equal(warnings.length, 2);
  assert.ok(warnings.every((m) => m.startsWith('embed: ')));
  assert.ok(warnings[0].startsWith(`embed: ${retry.detail.reason}\n`));
  assert.ok(warnings[1].startsWith(`embed: ${fail.detail.reason}\n`));
});

test('an action without an entry reports name null and id null for an id-less component', async () => {
  const p = page();
  const el = p.current()[0];
  el.removeAttribute('id');
  p.fire(el, 'vizloaderror', { errorCode: 'something-new' });
  await flush();
  const [action] = p.events;
  assert.equal(action.detail.id, null);
  assert.equal(action.detail.code, null);
  assert.equal(action.detail.errorCode, 'something-new');
  assert.equal(p.container.getAttribute('data-embed-last-code'), 'something-new');
});

test('clones keep configuration children and iframe-auth, drop the rendered iframe', async () => {
  const p = page({ children: (doc) => [h(doc, 'viz-filter', { field: 'Region', value: 'East' }), h(doc, 'iframe', { src: 'x' })] });
  const old = p.current()[0];
  p.fire(old, 'vizloaderror', { errorCode: 'unknown-auth-error' });
  await flush();
  const fresh = p.current()[0];
  assert.notEqual(fresh, old);
  assert.deepEqual(fresh.children.map((c) => c.localName), ['viz-filter']);
  assert.notEqual(fresh.children[0], old.children[0], 'children are copied, not moved');
  assert.equal(fresh.children[0].getAttribute('value'), 'East');
  assert.equal(fresh.hasAttribute('iframe-auth'), true);
  assert.equal(fresh.getAttribute('data-embed-status'), 'iframe-auth');
  assert.equal(p.ctl.slots[0].el, fresh);
  assert.equal(p.ctl.slots[0].token, 'eyJ.fresh.T1');
  p.fire(fresh, 'vizloaderror', authFailed(10091)); // IFRAME_AUTH spent; RETRY keeps iframe-auth
  await p.clock.advance(5_000);
  assert.equal(p.current()[0].hasAttribute('iframe-auth'), true);
  assert.equal(p.current()[0].getAttribute('token'), 'eyJ.fresh.T2');
});

test('IFRAME_AUTH while the token API fails: the clone keeps the old token, failure reported', async () => {
  const p = page({ respond: () => ({ status: 500, body: {} }) });
  p.fire(p.current()[0], 'vizloaderror', { errorCode: 'unknown-auth-error' });
  await flush();
  const el = p.current()[0];
  assert.equal(el.getAttribute('token'), T0);
  assert.equal(el.hasAttribute('iframe-auth'), true);
  const failed = p.events.filter((e) => e.type === 'embed:token');
  assert.deepEqual(failed.map((e) => e.detail), [{ ok: false, reason: 'iframe-auth', status: 500 }]);
  assert.equal(p.container.getAttribute('data-embed-token-error'), '500');
  assert.ok(p.logged.some(([kind, m]) => kind === 'warn' && m === 'embed: token request refused (HTTP 500)'));
});

test('RETRY while the token API fails: each failure reported with reason "retry"; reason chain in the action', async () => {
  const p = page({ respond: () => 'network' });
  p.fire(p.current()[0], 'vizloaderror', authFailed(10091));
  await p.clock.advance(60_000);
  const tokenEvents = p.events.filter((e) => e.type === 'embed:token').map((e) => e.detail);
  assert.equal(tokenEvents.length, MAX);
  assert.ok(tokenEvents.every((d) => d.ok === false && d.reason === 'retry' && d.status === null));
  const last = p.events.filter((e) => e.type === 'embed:action').at(-1).detail;
  assert.equal(last.action, 'FAIL');
  assert.match(last.reason, /^token refresh failed \(token request failed \(network\)\); /);
  assert.equal(p.container.getAttribute('data-embed-token-error'), 'network');
});

test('background failures carry their reason: timer, timer-retry, resume, manual', async () => {
  const reasonsOf = (q) => q.events.filter((e) => e.type === 'embed:token').map((e) => e.detail.reason);
  const timed = page({ respond: () => 'network' });
  await timed.clock.advance(600_000);
  assert.deepEqual(reasonsOf(timed), ['timer', ...Array(MAX).fill('timer-retry')]);
  // A manual failure replaces the pending timer with its retries; afterwards focus gives chances.
  const p = page({ respond: () => 'network' });
  assert.equal(await p.ctl.refreshNow('manual'), false);
  await p.clock.advance(600_000);
  p.clock.jump(MIN_SPACING());
  p.doc.defaultView.dispatchEvent(new Event('focus'));
  await flush();
  assert.deepEqual(reasonsOf(p), ['manual', ...Array(MAX).fill('timer-retry'), 'resume']);
  const ok = page();
  assert.equal(await ok.ctl.refreshNow('manual'), true);
});
const MIN_SPACING = () => MIN_REFRESH_INTERVAL_MS;

test('dispose: no listeners, no timers, no more refreshes or actions', async () => {
  const p = page({ libraryTimeoutMs: 15_000 });
  assert.ok(p.clock.timers.size >= 2, 'refresh timer and watchdog pending');
  p.ctl.dispose();
  assert.equal(p.clock.timers.size, 0);
  assert.equal(p.container.getAttribute('data-embed-wired'), null);
  p.clock.jump(700_000);
  p.doc.defaultView.dispatchEvent(new Event('focus'));
  p.doc.dispatchEvent(new Event('visibilitychange'));
  p.fire(p.current()[0], 'vizloaderror', authFailed(5));
  p.fire(p.current()[0], 'firstinteractive');
  await p.clock.advance(60_000);
  assert.equal(p.fetch.calls.length, 0);
  assert.deepEqual(p.events, []);
  assert.notEqual(wireEmbedPage(p.container, { fetch: p.fetch, now: p.clock.now, setTimeout: p.clock.setTimeout, clearTimeout: p.clock.clearTimeout }), p.ctl);
});

test('watchdog: only components still loading and undefined fail; its entry without a catalogue entry', async () => {
  const p = page({ tags: ['tableau-viz', 'tableau-pulse'], defined: false, libraryTimeoutMs: 1_000, debug: true });
  p.fire(p.current()[1], 'vizloaderror', authFailed(5)); // LOGIN: no longer "loading"
  await p.clock.advance(1_000);
  const actions = p.events.filter((e) => e.type === 'embed:action').map((e) => e.detail);
  assert.deepEqual(actions.map((d) => `${d.action}:${d.errorCode}:${d.id}`), ['LOGIN:auth-failed:embed-1', 'FAIL:library-not-loaded:embed-0']);
  assert.equal(actions[1].reason, '<tableau-viz> not defined after 1000 ms -> FAIL');
  assert.equal(actions[1].attempt, 1);
  assert.equal(actions[1].code, null);
  const panel = p.container.querySelector('[role="alert"]');
  assert.equal(panel.className, 'embed-error');
  assert.equal(panel.previousElementSibling, p.ctl.slots[0].status);
  assert.equal(panel.querySelector('dl').className, 'embed-error-detail');
  assert.equal(p.ctl.slots[0].el.style.display, 'none');
});

test('a token refresh updates, in place, only loading and undefined components that had a token', async () => {
  const p = page({ tags: ['tableau-viz', 'tableau-viz', 'tableau-viz'], defined: false });
  p.fire(p.current()[2], 'vizloaderror', authFailed(5)); // LOGIN: no token now
  await flush();
  const [a, b, c] = p.current();
  p.ctl.slots[1].phase = 'ready';
  await p.ctl.refreshNow('manual');
  assert.deepEqual([a, b, c].map((el) => el.getAttribute('token')), ['eyJ.fresh.T1', T0, null]);
  assert.equal(p.ctl.slots[0].token, 'eyJ.fresh.T1');
  assert.deepEqual(p.events.filter((e) => e.type === 'embed:token').map((e) => e.detail.updated), [1]);
  assert.equal(p.container.getAttribute('data-expires-at'), String(Math.floor(p.clock.now() / 1000) + 600));
});

test('CSP-safe plain modules: relative imports only, no HTML strings, inline handlers or eval', () => {
  // Walk embed-page.js and every module it imports (the templates load only embed-page.js).
  const seen = new Set();
  const queue = [new URL('../../static/js/embed-page.js', import.meta.url)];
  while (queue.length) {
    const url = queue.shift();
    if (seen.has(url.href)) continue;
    seen.add(url.href);
    const source = readFileSync(url, 'utf8');
    const name = url.pathname.split('/').pop();
    for (const [, spec] of source.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s*'([^']+)'/gm)) {
      assert.ok(spec.startsWith('./') && spec.endsWith('.js'), `${name}: import '${spec}' must be relative`);
      queue.push(new URL(spec, url));
    }
    const forbidden = /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|cssText|setAttribute\(\s*'(?:style|on)/;
    assert.doesNotMatch(source.replace(/^\s*\/\/.*$/gm, ''), forbidden, name);
  }
  // tests/host/assets/test_served_js.py runs these tests on the served files: one bundle there.
  assert.ok(seen.size >= (process.env.EMBED_PAGE_BUNDLED ? 1 : 2));
});

// node --test tests/js/ : embed-page.js wiring driven through a fake DOM, clock and fetch.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { readPageConfig, startEmbedPages, wireEmbedPage } from '../../static/js/embed-page.js';
import { LOADING_TEXT } from '../../static/js/embed-slots.js';
import { MIN_REFRESH_INTERVAL_MS, REFRESH_LEAD_MS } from '../../static/js/token-refresh.js';
import { TokenError, createTokenStore } from '../../static/js/token-store.js';
import { MINIMAL_CATALOGUE } from '../../static/js/load-errors.js';
import { provideCatalogue } from '../../static/js/page-catalogue.js';
import { allText, deferred, flush, h, scriptedFetch } from './fake-dom.mjs';
import { CATALOGUE_TEXT, CSRF, MAX, T0, authFailed, catalogue, embedPage } from './page-fixture.mjs';

const page = embedPage;

const actions = (events) => events.filter((e) => e.type === 'embed:action').map((e) => `${e.action}:${e.code ?? e.errorCode}`);

test('each component gets a polite status until firstinteractive', async () => {
  const p = page({ tags: ['tableau-viz', 'tableau-pulse'] });
  for (const el of p.components()) {
    const status = el.previousElementSibling;
    assert.equal(status.getAttribute('role'), 'status');
    assert.equal(status.getAttribute('aria-live'), 'polite');
    assert.equal(status.textContent, LOADING_TEXT);
    assert.equal(status.dataset.state, 'loading');
    assert.equal(el.dataset.embedStatus, 'loading');
  }
  const [viz] = p.components();
  p.fire(viz, 'firstinteractive');
  assert.equal(viz.previousElementSibling.textContent, '');
  assert.equal(viz.previousElementSibling.hidden, true);
  assert.equal(viz.dataset.embedStatus, 'ready');
  assert.equal(viz.previousElementSibling.dataset.state, 'ready');
  assert.equal(p.container.dataset.embedReady, '1');
  assert.deepEqual(p.events.filter((e) => e.type === 'embed:ready').map((e) => e.id), ['embed-0']);
  assert.equal(p.container.dataset.embedWired, 'true');
});

test('10091 on every component: one shared refresh, clones carry the fresh token', async () => {
  const gate = deferred();
  const p = page({
    tags: ['tableau-viz', 'tableau-authoring-viz', 'tableau-viz'],
    respond: () => gate.promise.then(() => ({ status: 200, body: { token: 'eyJ.fresh.T1', expires_at: 1_700_000_600 } })),
  });
  const before = p.components();
  for (const el of before) p.fire(el, 'vizloaderror', authFailed(10091));
  assert.deepEqual(actions(p.events), ['RETRY:10091', 'RETRY:10091', 'RETRY:10091']);
  assert.equal(before[0].previousElementSibling.textContent, catalogue.actions.RETRY.message);
  await p.clock.advance(5_000); // past every backoff delay
  assert.equal(p.fetch.calls.length, 1, 'one in-flight refresh shared by all components');
  gate.resolve();
  await flush();
  const after = p.components();
  assert.equal(after.length, 3);
  for (let i = 0; i < 3; i += 1) {
    assert.notEqual(after[i], before[i], 'replaced by a clone');
    assert.equal(before[i].isConnected, false);
    assert.equal(after[i].getAttribute('token'), 'eyJ.fresh.T1');
    assert.equal(after[i].id, before[i].id);
    assert.equal(after[i].getAttribute('src'), before[i].getAttribute('src'));
    assert.equal(after[i].previousElementSibling.textContent, LOADING_TEXT);
  }
  // The token API call follows the host browser contract.
  const [call] = p.fetch.calls;
  assert.equal(call.url, '/api/token');
  assert.equal(call.init.method, 'POST');
  assert.equal(call.init.credentials, 'same-origin');
  assert.equal(call.init.headers['X-CSRFToken'], CSRF);
  assert.deepEqual(call.body, { components: ['viz', 'authoring'] });
  // The clone is wired: it reports readiness.
  p.fire(after[1], 'firstinteractive');
  assert.equal(after[1].dataset.embedStatus, 'ready');
});

test('a component failing after the refresh reuses the new token without another request', async () => {
  const p = page({ tags: ['tableau-viz', 'tableau-viz'] }); // defined: b's token is left alone
  const [a, b] = p.components();
  p.fire(a, 'vizloaderror', authFailed(10091));
  await p.clock.advance(5_000);
  assert.equal(p.fetch.calls.length, 1);
  p.fire(b, 'vizloaderror', authFailed(16)); // b still signed in with T0, now expired
  await p.clock.advance(5_000);
  assert.equal(p.fetch.calls.length, 1);
  assert.equal(p.components()[1].getAttribute('token'), 'eyJ.fresh.T1');
});

test('retry budget spent -> the plain message (FAIL), never Tableau\'s sign-in', async () => {
  const p = page();
  for (let i = 0; i < MAX; i += 1) {
    p.fire(p.components()[0], 'vizloaderror', authFailed(10091));
    await p.clock.advance(10_000);
  }
  assert.equal(p.fetch.calls.length, MAX);
  p.fire(p.components()[0], 'vizloaderror', authFailed(10091));
  await flush();
  const el = p.components()[0];
  const expected = [...Array(MAX).fill('RETRY:10091'), 'FAIL:10091'];
  assert.deepEqual(actions(p.events), expected);
  assert.equal(p.container.dataset.embedActions, expected.join(' '));
  assert.equal(p.container.dataset.embedLastAction, 'FAIL');
  assert.equal(p.container.dataset.embedLastCode, '10091');
  const panel = p.container.querySelector('[role="alert"]');
  assert.ok(panel, 'error panel');
  assert.equal(panel.textContent, catalogue.actions.FAIL.message);
  assert.equal(el.getAttribute('token'), 'eyJ.fresh.T2', 'the token was never removed');
  assert.equal(el.hidden, true);
  assert.equal(el.dataset.embedStatus, 'failed');
  // Further errors after FAIL change nothing.
  p.fire(el, 'vizloaderror', authFailed(10091));
  await flush();
  assert.equal(actions(p.events).length, expected.length);
  assert.equal(p.fetch.calls.length, MAX);
});

test('fallback.RETRY = LOGIN (users with Tableau accounts): token removed, then FAIL', async () => {
  const p = page({ catalogueJSON: { ...catalogue, fallback: { ...catalogue.fallback, RETRY: 'LOGIN' } } });
  for (let i = 0; i < MAX; i += 1) {
    p.fire(p.components()[0], 'vizloaderror', authFailed(10091));
    await p.clock.advance(10_000);
  }
  p.fire(p.components()[0], 'vizloaderror', authFailed(10091));
  await flush();
  const el = p.components()[0];
  assert.equal(el.hasAttribute('token'), false, 'LOGIN removes the token');
  assert.equal(el.dataset.embedStatus, 'login');
  assert.equal(el.previousElementSibling.textContent, catalogue.actions.LOGIN.message);
  await p.clock.advance(catalogue.timeouts.firstInteractiveMs * 3);
  assert.equal(el.dataset.embedStatus, 'login', 'no final message over Tableau\'s sign-in form');
  p.fire(el, 'vizloaderror', authFailed(10091));
  await flush();
  assert.deepEqual(actions(p.events), [...Array(MAX).fill('RETRY:10091'), 'LOGIN:10091', 'FAIL:10091']);
});

/** A page carrying data-retry-fallback (TOKEN_RETRIES_EXHAUSTED), its 10091 retries all spent. */
async function retriesSpent(retryFallback, catalogueJSON = null) {
  const p = page({ wire: false, catalogueJSON });
  p.container.setAttribute('data-retry-fallback', retryFallback);
  wireEmbedPage(p.container, p.options);
  for (let i = 0; i <= MAX; i += 1) {
    p.fire(p.components()[0], 'vizloaderror', authFailed(10091));
    await p.clock.advance(10_000);
  }
  return p;
}

test('data-retry-fallback="LOGIN" (TOKEN_RETRIES_EXHAUSTED=tableau-sign-in): Tableau\'s sign-in after the retries', async () => {
  const p = await retriesSpent('LOGIN');
  const el = p.components()[0];
  assert.equal(el.hasAttribute('token'), false, 'LOGIN removes the token');
  assert.equal(el.previousElementSibling.textContent, catalogue.actions.LOGIN.message);
  assert.deepEqual(actions(p.events), [...Array(MAX).fill('RETRY:10091'), 'LOGIN:10091']);
});

test('data-retry-fallback="FAIL" (the default setting) wins over a catalogue that signs in', async () => {
  const signInFirst = { ...catalogue, fallback: { ...catalogue.fallback, RETRY: 'LOGIN' } };
  const p = await retriesSpent('FAIL', signInFirst);
  const el = p.components()[0];
  assert.ok(el.getAttribute('token'), 'never handed over to Tableau\'s password form');
  assert.equal(p.container.querySelector('[role="alert"]').textContent, catalogue.actions.FAIL.message);
  assert.deepEqual(actions(p.events), [...Array(MAX).fill('RETRY:10091'), 'FAIL:10091']);
  const unknown = await retriesSpent('sign-in', signInFirst);
  assert.equal(unknown.components()[0].hasAttribute('token'), false, 'an unknown value: the catalogue decides');
});

test('backoff: the refresh waits for the jittered delay', async () => {
  const p = page();
  p.fire(p.components()[0], 'vizloaderror', authFailed(10100));
  await p.clock.advance(200); // delay for attempt 1 with random 0.5 is 250 ms
  assert.equal(p.fetch.calls.length, 0);
  await p.clock.advance(100);
  assert.equal(p.fetch.calls.length, 1);
});

test('token API refusing: attempts used up, then the fallback; status reported, never the body', async () => {
  const p = page({ respond: () => ({ status: 401, body: { error: 'not signed in' } }) });
  p.fire(p.components()[0], 'vizloaderror', authFailed(10091));
  await p.clock.advance(60_000);
  assert.equal(p.fetch.calls.length, MAX);
  assert.deepEqual(actions(p.events), [...Array(MAX).fill('RETRY:10091'), 'FAIL:10091']);
  assert.equal(p.components()[0].dataset.embedStatus, 'failed');
  assert.equal(p.container.dataset.embedTokenError, '401');
  const tokenEvents = p.events.filter((e) => e.type === 'embed:token');
  assert.ok(tokenEvents.length >= 1 && tokenEvents.every((e) => e.ok === false && e.status === 401));
});

test('unknown-auth-error: re-render with iframe-auth and a fresh token; again -> LOGIN', async () => {
  const p = page();
  p.fire(p.components()[0], 'vizloaderror', { errorCode: 'unknown-auth-error', message: 'TypeError: Failed to fetch' });
  await flush();
  let el = p.components()[0];
  assert.equal(el.hasAttribute('iframe-auth'), true);
  assert.equal(el.getAttribute('token'), 'eyJ.fresh.T1');
  assert.equal(el.dataset.embedStatus, 'iframe-auth');
  p.fire(el, 'vizloaderror', { errorCode: 'unknown-auth-error' });
  await flush();
  el = p.components()[0];
  assert.deepEqual(actions(p.events), ['IFRAME_AUTH:unknown-auth-error', 'LOGIN:unknown-auth-error']);
  assert.equal(el.hasAttribute('token'), false);
  assert.equal(el.hasAttribute('iframe-auth'), true);
});

test('code 5 (user unknown to Tableau): LOGIN at once', async () => {
  const p = page();
  p.fire(p.components()[0], 'vizloaderror', authFailed(5));
  await flush();
  assert.deepEqual(actions(p.events), ['LOGIN:5']);
  assert.equal(p.components()[0].hasAttribute('token'), false);
  assert.equal(p.fetch.calls.length, 0);
});

test('FAIL in debug mode shows code, name and resolution; never the token', async () => {
  const p = page({ debug: true });
  p.fire(p.components()[0], 'vizloaderror', authFailed(10092, 403));
  await flush();
  const panel = p.container.querySelector('[role="alert"]');
  const text = panel.textContent;
  assert.ok(text.startsWith(catalogue.actions.FAIL.message));
  assert.match(text, /10092/);
  assert.match(text, /NOT_IN_DOMAIN_ALLOW_LIST/);
  assert.ok(text.includes(catalogue.codes['10092'].resolution));
  assert.equal(p.fetch.calls.length, 0);
  assert.ok(!allText(p.doc).replace(CATALOGUE_TEXT, '').includes('eyJ'), 'no token in page text');
  assert.ok(!JSON.stringify(p.events).includes('eyJ'), 'no token in events');
});

test('FAIL without debug: only the plain message', async () => {
  const p = page({ debug: false });
  p.fire(p.components()[0], 'vizloaderror', { errorCode: 'invalid-url' });
  await flush();
  const panel = p.container.querySelector('[role="alert"]');
  assert.equal(panel.textContent, catalogue.actions.FAIL.message);
  assert.equal(panel.querySelector('dl'), null);
  assert.deepEqual(actions(p.events), ['FAIL:invalid-url']);
});

test('timer refresh shortly before expiry; rendered components are not re-rendered', async () => {
  // The library has defined <tableau-viz> only; no watchdogs in this test.
  const p = page({ tags: ['tableau-viz', 'tableau-pulse'], defined: ['tableau-viz'], libraryTimeoutMs: null, firstInteractiveMs: null });
  const [viz, pulse] = p.components();
  p.fire(viz, 'firstinteractive');
  await p.clock.advance(600_000 - REFRESH_LEAD_MS - 1_000);
  assert.equal(p.fetch.calls.length, 0);
  await p.clock.advance(2_000);
  assert.equal(p.fetch.calls.length, 1);
  const expSeconds = Math.floor(p.clock.now() / 1000) + 600;
  assert.ok(Math.abs(Number(p.container.dataset.expiresAt) - expSeconds) <= 1);
  assert.equal(p.container.dataset.embedTokenRefreshes, '1');
  const [viz2, pulse2] = p.components();
  assert.equal(viz2, viz, 'rendered component untouched');
  assert.equal(viz2.getAttribute('token'), T0);
  assert.equal(pulse2, pulse, 'not-yet-defined component updated in place');
  assert.equal(pulse2.getAttribute('token'), 'eyJ.fresh.T1');
  const ok = p.events.filter((e) => e.type === 'embed:token' && e.ok);
  assert.equal(ok.length, 1);
  assert.equal(ok[0].updated, 1);
  // And the next one is scheduled from the new expiry.
  await p.clock.advance(600_000 - REFRESH_LEAD_MS + 1_000);
  assert.equal(p.fetch.calls.length, 2);
});

test('coming back to an expired page refreshes once (visibilitychange, focus)', async () => {
  const p = page();
  p.doc.visibilityState = 'hidden';
  p.clock.jump(700_000); // timers throttled in a background tab: none ran
  p.doc.dispatchEvent(new Event('visibilitychange'));
  await flush();
  assert.equal(p.fetch.calls.length, 0, 'no refresh while hidden');
  p.doc.visibilityState = 'visible';
  p.doc.dispatchEvent(new Event('visibilitychange'));
  p.doc.defaultView.dispatchEvent(new Event('focus'));
  await flush();
  assert.equal(p.fetch.calls.length, 1);
  p.doc.defaultView.dispatchEvent(new Event('focus'));
  await flush();
  assert.equal(p.fetch.calls.length, 1, 'fresh token: focus does nothing');
});

test('focus on a valid page does not refresh', async () => {
  const p = page();
  p.doc.defaultView.dispatchEvent(new Event('focus'));
  await flush();
  assert.equal(p.fetch.calls.length, 0);
});

test('browser clock ahead of the host: refreshes stay spaced, no spin', async () => {
  // The host answers with an expiry already in the browser's past.
  const p = page({ expiresIn: -120, respond: () => ({ status: 200, body: { token: 'eyJ.skew', expires_at: 1_000 } }) });
  await p.clock.advance(300_000);
  assert.ok(p.fetch.calls.length >= 2, 'still refreshing');
  assert.ok(p.fetch.calls.length <= 300_000 / MIN_REFRESH_INTERVAL_MS + 1, `${p.fetch.calls.length} refreshes`);
});

test('a failing background refresh retries a bounded number of times', async () => {
  const p = page({ respond: () => 'network' });
  await p.clock.advance(600_000);
  assert.equal(p.fetch.calls.length, 1 + MAX);
  assert.equal(p.container.dataset.embedTokenError, 'network');
});

test('stale element events are ignored after replacement', async () => {
  const p = page();
  const old = p.components()[0];
  p.fire(old, 'vizloaderror', authFailed(10091));
  await p.clock.advance(5_000);
  p.fire(old, 'vizloaderror', authFailed(10092));
  await flush();
  assert.deepEqual(actions(p.events), ['RETRY:10091']);
});

test('container delegation: bubbling events count once, foreign targets and disposed pages are ignored', async () => {
  const p = page();
  const el = p.components()[0];
  el.dispatchEvent(new CustomEvent('vizloaderror', { detail: authFailed(5), bubbles: true }));
  await flush();
  assert.deepEqual(actions(p.events), ['LOGIN:5']);
  const caption = h(p.doc, 'figcaption');
  p.components()[0].parentNode.append(caption);
  caption.dispatchEvent(new CustomEvent('vizloaderror', { detail: authFailed(10092), bubbles: true }));
  caption.dispatchEvent(new CustomEvent('firstinteractive', { bubbles: true }));
  await flush();
  assert.deepEqual(actions(p.events), ['LOGIN:5']);
  assert.equal(p.container.dataset.embedReady, undefined);
  p.ctl.dispose();
  p.fire(p.components()[0], 'vizloaderror', authFailed(10092));
  await flush();
  assert.deepEqual(actions(p.events), ['LOGIN:5']);
});

test('library never loads: FAIL after the watchdog; a late library still recovers', async () => {
  const p = page({ tags: ['tableau-viz', 'tableau-pulse'], defined: [], debug: true });
  await p.clock.advance(14_000);
  assert.deepEqual(actions(p.events), []);
  await p.clock.advance(2_000);
  assert.deepEqual(actions(p.events), ['FAIL:library-not-loaded', 'FAIL:library-not-loaded']);
  const panels = p.container.querySelectorAll('[role="alert"]');
  assert.equal(panels.length, 2);
  assert.match(panels[0].textContent, /tableau\.embedding\.3\.latest\.min\.js/);
  // The library arrives late and the viz renders after all.
  const [viz] = p.components();
  p.fire(viz, 'firstinteractive');
  assert.equal(viz.hidden, false);
  assert.equal(viz.dataset.embedStatus, 'ready');
  assert.equal(p.container.querySelectorAll('[role="alert"]').length, 1);
});

test('library loaded: the library watchdog stays quiet', async () => {
  const p = page({ firstInteractiveMs: null });
  await p.clock.advance(60_000);
  assert.deepEqual(actions(p.events), []);
  assert.equal(p.components()[0].dataset.embedStatus, 'loading');
});

test('without the catalogue script: Authentication and Embedding behaviour (no retries)', async () => {
  const p = page({ withCatalogue: false });
  assert.deepEqual(p.ctl.catalogue, MINIMAL_CATALOGUE); // equal, not the same: served bundled
  p.fire(p.components()[0], 'vizloaderror', authFailed(10091));
  await flush();
  assert.deepEqual(actions(p.events), ['LOGIN:10091']);
  assert.equal(p.fetch.calls.length, 0);
});

test('without the catalogue script, the catalogue a module provided (the host\'s cached error-catalogue.js)', async () => {
  const strict = { ...catalogue, fallback: { ...catalogue.fallback, RETRY: 'LOGIN' } };
  provideCatalogue(strict);
  try {
    const p = page({ withCatalogue: false });
    assert.equal(p.ctl.catalogue, strict);
    p.fire(p.components()[0], 'vizloaderror', authFailed(10091));
    await flush();
    assert.deepEqual(actions(p.events), ['RETRY:10091']); // the full catalogue's retries, not MINIMAL's
    // An inline script still wins: a page may keep inlining it.
    assert.deepEqual(page({ withCatalogue: true }).ctl.catalogue, catalogue);
    provideCatalogue({ not: 'a catalogue' });
    assert.deepEqual(page({ withCatalogue: false }).ctl.catalogue, MINIMAL_CATALOGUE);
  } finally {
    provideCatalogue(null);
  }
});

test('readPageConfig reads the container, meta and catalogue', () => {
  const p = page({ tags: ['tableau-viz', 'tableau-pulse'], debug: true, wire: false });
  const cfg = readPageConfig(p.container, p.doc);
  assert.equal(cfg.tokenUrl, '/api/token');
  assert.equal(cfg.csrfToken, CSRF);
  assert.deepEqual(cfg.components, ['viz', 'pulse']);
  assert.equal(cfg.debug, true);
  assert.equal(cfg.expiresAt, (Math.floor(p.clock.now() / 1000) + 600) * 1000);
  assert.deepEqual(cfg.catalogue, catalogue);
  p.container.removeAttribute('data-expires-at');
  assert.ok(Number.isNaN(readPageConfig(p.container, p.doc).expiresAt));
});

test('wiring is idempotent; startEmbedPages honours data-embed-manual', () => {
  const p = page({ wire: false });
  const a = wireEmbedPage(p.container, p.options);
  assert.equal(wireEmbedPage(p.container, p.options), a);
  assert.equal(p.components()[0].previousElementSibling.className, 'embed-status');
  assert.equal(p.container.querySelectorAll('p').length, 1, 'one status element');
  a.dispose();
  assert.equal(p.container.dataset.embedWired, undefined);
  const q = page({ wire: false });
  q.container.setAttribute('data-embed-manual', '');
  assert.deepEqual(startEmbedPages(q.doc, q.options), []);
  q.container.removeAttribute('data-embed-manual');
  assert.equal(startEmbedPages(q.doc, q.options).length, 1);
});

test('token store: shared in-flight refresh, freshFor, and errors without secrets', async () => {
  const gate = deferred();
  let now = 1_000_000;
  const fetch = scriptedFetch(() => gate.promise);
  const store = createTokenStore({ url: '/api/token', csrfToken: 'c', components: ['viz'], token: 'A', expiresAt: 2_000_000, fetch, now: () => now });
  const one = store.refresh();
  const two = store.refresh();
  const three = store.freshFor('A');
  assert.equal(one, two);
  gate.resolve({ status: 200, body: { token: 'B', expires_at: 2_600 } });
  assert.deepEqual(await one, { token: 'B', expiresAt: 2_600_000 });
  assert.equal(await three, 'B');
  assert.equal(fetch.calls.length, 1);
  assert.equal(await store.freshFor('A'), 'B', 'someone else already refreshed');
  assert.equal(fetch.calls.length, 1);
  now = 2_600_000;
  assert.equal(store.isExpired(), true);

  const bad = createTokenStore({ url: '/t', fetch: scriptedFetch(() => ({ status: 200, body: { token: 'SECRET-ish', expires_at: 'soon' } })), now: () => 0 });
  await assert.rejects(bad.refresh(), (err) => err instanceof TokenError && !err.message.includes('SECRET'));
  const refused = createTokenStore({ url: '/t', fetch: scriptedFetch(() => ({ status: 403, body: { error: 'csrf' } })), now: () => 0 });
  await assert.rejects(refused.refresh(), (err) => err.status === 403);
  const notJson = createTokenStore({ url: '/t', fetch: scriptedFetch(() => ({ status: 200, body: '<html>' })), now: () => 0 });
  await assert.rejects(notJson.refresh(), /not JSON/);
});

// --- background refresh while the token API fails (spacing, refusal, one timer) ---------------

const focus = (p) => p.doc.defaultView.dispatchEvent(new Event('focus'));
const failedTokenEvents = (p) => p.events.filter((e) => e.type === 'embed:token' && !e.ok);

test('many focus events while the token API fails: spaced, bounded requests', async () => {
  const p = page({ respond: () => 'network', libraryTimeoutMs: null, firstInteractiveMs: null });
  p.clock.jump(700_000); // back to an expired page whose timers were throttled
  for (let i = 0; i < 10; i += 1) {
    focus(p);
    await p.clock.advance(100);
  }
  // The first focus starts a refresh; its failure gets the bounded backoff retries; the other
  // nine focus events fall inside MIN_REFRESH_INTERVAL_MS of an attempt and send nothing.
  assert.equal(p.fetch.calls.length, 1 + MAX);
  await p.clock.advance(MIN_REFRESH_INTERVAL_MS);
  focus(p);
  await flush();
  assert.equal(p.fetch.calls.length, 2 + MAX, 'once spaced, focus tries again');
});

for (const status of [401, 403]) {
  test(`token API answering ${status}: background refresh stops, reported once`, async () => {
    const p = page({ expiresIn: 30, respond: () => ({ status, body: { error: 'refused' } }), libraryTimeoutMs: null, firstInteractiveMs: null });
    await p.clock.advance(0); // the refresh is already due (expiry within REFRESH_LEAD_MS)
    assert.equal(p.fetch.calls.length, 1);
    assert.equal(p.container.dataset.embedTokenError, String(status));
    assert.equal(p.clock.timers.size, 0, 'no retry or refresh timer left');
    for (let i = 0; i < 5; i += 1) {
      await p.clock.advance(10 * MIN_REFRESH_INTERVAL_MS);
      focus(p);
      p.doc.dispatchEvent(new Event('visibilitychange'));
      await flush();
    }
    assert.equal(p.fetch.calls.length, 1, 'retrying a refused request cannot help');
    assert.deepEqual(failedTokenEvents(p).map((e) => [e.ok, e.status]), [[false, status]]);
  });
}

test('after a 401, a token fetched for a retry (signed in again) resumes background refresh', async () => {
  let n = 0;
  const p = page({
    expiresIn: 30,
    libraryTimeoutMs: null,
    firstInteractiveMs: null,
    respond: () => {
      n += 1;
      if (n === 1) return { status: 401, body: { error: 'not signed in' } };
      return { status: 200, body: { token: `eyJ.fresh.T${n}`, expires_at: Math.floor(p.clock.now() / 1000) + 600 } };
    },
  });
  await p.clock.advance(0);
  assert.equal(p.clock.timers.size, 0);
  p.fire(p.components()[0], 'vizloaderror', authFailed(10091));
  await p.clock.advance(5_000);
  assert.equal(p.fetch.calls.length, 2);
  assert.equal(p.container.dataset.embedTokenError, undefined);
  await p.clock.advance(600_000);
  assert.equal(p.fetch.calls.length, 3, 'the refresh timer runs again');
});

test('a refresh failing while a retry is pending replaces it: one refresh timer at a time', async () => {
  const p = page({ expiresIn: 30, respond: () => 'network', libraryTimeoutMs: null, firstInteractiveMs: null });
  await p.clock.advance(0); // due refresh fails: one backoff retry pending
  assert.equal(p.fetch.calls.length, 1);
  assert.equal(p.clock.timers.size, 1);
  focus(p); // inside the spacing: nothing
  await flush();
  assert.equal(p.fetch.calls.length, 1);
  await p.ctl.refreshNow('manual'); // an explicit refresh fails too
  assert.equal(p.fetch.calls.length, 2);
  assert.equal(p.clock.timers.size, 1, 'the pending retry was replaced, not orphaned');
  await p.clock.advance(600_000);
  assert.equal(p.fetch.calls.length, 1 + MAX, 'retries stay within the budget');
  assert.equal(p.clock.timers.size, 0);
});

test('Tableau answering 503 without a code: RETRY with a fresh token, then the fallback', async () => {
  const p = page();
  const outage = { errorCode: 'auth-failed', message: JSON.stringify({ statusCode: 503, errorMessage: 'Service Unavailable' }) };
  for (let i = 0; i < MAX; i += 1) {
    p.fire(p.components()[0], 'vizloaderror', outage);
    await p.clock.advance(10_000);
    assert.equal(p.components()[0].getAttribute('token'), `eyJ.fresh.T${i + 1}`);
  }
  p.fire(p.components()[0], 'vizloaderror', outage);
  await flush();
  assert.deepEqual(actions(p.events), [...Array(MAX).fill('RETRY:auth-failed'), `${catalogue.fallback.RETRY}:auth-failed`]);
  assert.equal(p.fetch.calls.length, MAX);
});

// node --test tests/js/ : the modules embed-page.js wires together, each on its own
// (timers, clone, watchdog decision, background refresh, report, slots).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { cloneForRerender } from '../../static/js/component-clone.js';
import { createEmbedReport } from '../../static/js/embed-report.js';
import { EmbedSlots, giveTokenToUnrendered, showFailurePanel, showReady } from '../../static/js/embed-slots.js';
import { libraryNotLoadedDecision } from '../../static/js/library-watchdog.js';
import { MINIMAL_CATALOGUE } from '../../static/js/load-errors.js';
import { createPageTimers } from '../../static/js/page-timers.js';
import { MIN_REFRESH_INTERVAL_MS, REFRESH_LEAD_MS, TokenRefresh } from '../../static/js/token-refresh.js';
import { TokenError, createTokenStore } from '../../static/js/token-store.js';
import { FakeClock, FakeDocument, h, scriptedFetch } from './fake-dom.mjs';

test('page timers: delays clamped to what setTimeout accepts; nothing runs after dispose', () => {
  const set = [];
  const cleared = [];
  const timers = createPageTimers((fn, ms) => set.push({ fn, ms }) - 1, (id) => cleared.push(id));
  let ran = 0;
  timers.later(() => { ran += 1; }, 2 ** 40);
  timers.later(() => { ran += 1; }, -5);
  assert.deepEqual(set.map((t) => t.ms), [2 ** 31 - 1, 0]);
  set[1].fn();
  assert.equal(ran, 1);
  timers.dispose();
  assert.deepEqual(cleared, [0], 'only the pending timer is cleared');
  set[0].fn(); // a callback already queued by the browser
  assert.equal(ran, 1);
});

test('clone for re-render: token set or removed, iframe-auth added, rendered iframe dropped', () => {
  const doc = new FakeDocument();
  const old = h(doc, 'tableau-viz', { id: 'v', src: 's', token: 'old' }, h(doc, 'viz-filter', { field: 'f' }), h(doc, 'iframe'));
  const withToken = cloneForRerender(old, { token: 'new' });
  assert.equal(withToken.getAttribute('token'), 'new');
  assert.equal(withToken.hasAttribute('iframe-auth'), false);
  assert.deepEqual(withToken.children.map((c) => c.localName), ['viz-filter']);
  const signIn = cloneForRerender(old, { token: null, iframeAuth: true });
  assert.equal(signIn.hasAttribute('token'), false);
  assert.equal(signIn.getAttribute('iframe-auth'), '');
  assert.equal(signIn.id, 'v');
  assert.equal(old.getAttribute('token'), 'old', 'the original is not changed');
});

test('library-not-loaded decision: a default summary, the catalogue entry when there is one', () => {
  const el = { localName: 'tableau-pulse' };
  const plain = libraryNotLoadedDecision(el, MINIMAL_CATALOGUE, 1234);
  assert.deepEqual(plain, {
    action: 'FAIL',
    entry: { errorCode: 'library-not-loaded', summary: 'The Embedding API library did not load.' },
    code: null,
    errorCode: 'library-not-loaded',
    attempt: 1,
    reason: '<tableau-pulse> not defined after 1234 ms -> FAIL',
  });
  const known = libraryNotLoadedDecision(el, { loadErrors: { 'library-not-loaded': { summary: 'S', resolution: 'R' } } }, 1);
  assert.deepEqual(known.entry, { errorCode: 'library-not-loaded', summary: 'S', resolution: 'R' });
});

function refresher({ respond, expiresAt }) {
  const clock = new FakeClock();
  const fetch = scriptedFetch(respond);
  const tokens = createTokenStore({ url: '/t', token: 'A', expiresAt: expiresAt(clock), fetch, now: clock.now });
  const failures = [];
  const gaveUp = [];
  const refresh = new TokenRefresh({
    tokens,
    timers: createPageTimers(clock.setTimeout, clock.clearTimeout),
    retry: { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 1000 },
    now: clock.now,
    random: () => 0.5,
    onFailure: (reason, err) => failures.push([reason, err.status]),
    onGiveUp: (err) => gaveUp.push(err.status),
  });
  return { clock, fetch, tokens, refresh, failures, gaveUp };
}

test('token refresh: no timer for an unknown expiry; timer REFRESH_LEAD_MS before a known one', async () => {
  const unknown = refresher({ respond: () => 'network', expiresAt: () => NaN });
  unknown.refresh.schedule();
  assert.equal(unknown.clock.timers.size, 0);
  const known = refresher({
    respond: () => ({ status: 200, body: { token: 'B', expires_at: 9e9 } }),
    expiresAt: (clock) => clock.now() + 600_000,
  });
  known.refresh.schedule();
  await known.clock.advance(600_000 - REFRESH_LEAD_MS - 1);
  assert.equal(known.fetch.calls.length, 0);
  await known.clock.advance(1);
  assert.equal(known.fetch.calls.length, 1);
});

test('token refresh: a refusal on any path stops it until a token arrives', async () => {
  const r = refresher({ respond: () => 'network', expiresAt: (clock) => clock.now() + 600_000 });
  r.refresh.schedule();
  assert.equal(r.clock.timers.size, 1);
  r.refresh.tokenFailed('retry', new TokenError('refused', 401)); // learnt by a component's retry
  assert.deepEqual(r.failures, [['retry', 401]]);
  assert.equal(r.clock.timers.size, 0);
  r.refresh.schedule();
  assert.equal(r.clock.timers.size, 0, 'no timer while refused');
  r.refresh.tokenArrived();
  r.refresh.schedule();
  assert.equal(r.clock.timers.size, 1);
});

test('token refresh: failures retried with backoff within the budget, then it gives up until focus', async () => {
  const r = refresher({ respond: () => 'network', expiresAt: (clock) => clock.now() - 1 });
  assert.equal(await r.refresh.refreshNow('manual'), false);
  assert.deepEqual(r.gaveUp, [], 'not while retries are left');
  await r.clock.advance(60_000);
  assert.equal(r.fetch.calls.length, 3, 'one attempt and maxAttempts retries');
  assert.deepEqual(r.failures.map(([reason]) => reason), ['manual', 'timer-retry', 'timer-retry']);
  assert.deepEqual(r.gaveUp, [null], 'once, with the last error (network: no status)');
  assert.equal(r.clock.timers.size, 0);
  assert.equal(r.refresh.spacingLeft(), Math.max(0, r.tokens.lastAttemptAt() + MIN_REFRESH_INTERVAL_MS - r.clock.now()));
});

test('token refresh: a 5xx gives up after the retries too; a refusal never counts as giving up', async () => {
  const outage = refresher({ respond: () => ({ status: 503, body: {} }), expiresAt: (clock) => clock.now() - 1 });
  await outage.refresh.refreshNow('timer');
  await outage.clock.advance(60_000);
  assert.deepEqual(outage.gaveUp, [503]);
  const refused = refresher({ respond: () => ({ status: 401, body: {} }), expiresAt: (clock) => clock.now() - 1 });
  for (let i = 0; i < 4; i += 1) await refused.refresh.refreshNow('manual');
  assert.deepEqual(refused.gaveUp, []);
});

test('report: data-* and events; "-" when a decision has neither code nor errorCode', () => {
  const doc = new FakeDocument();
  const container = h(doc, 'section');
  const seen = [];
  container.addEventListener('embed:action', (e) => seen.push(e.detail));
  const report = createEmbedReport(container, CustomEvent, null);
  const slot = { kind: 'viz', el: h(doc, 'tableau-viz') };
  report.action(slot, { action: 'LOGIN', code: null, errorCode: null, entry: null, attempt: 1, reason: 'r' });
  report.action(slot, { action: 'FAIL', code: 67, errorCode: 'auth-failed', entry: { name: 'N' }, attempt: 1, reason: 'r' });
  assert.equal(container.getAttribute('data-embed-actions'), 'LOGIN:- FAIL:67');
  assert.deepEqual(seen.map((d) => [d.name, d.id]), [[null, null], ['N', null]]);
  report.tokenFailed('timer', new TokenError('x'));
  assert.equal(container.getAttribute('data-embed-token-error'), 'network');
  report.tokenStored(1_700_000_000_999);
  assert.equal(container.getAttribute('data-expires-at'), '1700000000');
  assert.equal(container.getAttribute('data-embed-token-error'), null);
});

test('slots: replaced elements no longer route; a failure panel goes away when the component renders', () => {
  const doc = new FakeDocument();
  const container = h(doc, 'section', {}, h(doc, 'figure', {}, h(doc, 'tableau-viz', { token: 'A' })));
  doc.body.append(container);
  const slots = new EmbedSlots(container.querySelectorAll('tableau-viz'), doc);
  const [slot] = slots.list;
  const old = slot.el;
  slots.rerender(slot, { token: 'B' });
  assert.equal(slots.forTarget(old), null);
  assert.equal(slots.forTarget(slot.el), slot);
  showFailurePanel(slot, doc, 'message', [['Code', 1], ['Name', '']]);
  assert.equal(slot.panel.textContent, 'messageCode1');
  showReady(slot);
  assert.equal(slot.panel, null);
  assert.equal(container.querySelector('[role="alert"]'), null);
  assert.equal(slots.readyCount(), 1);
  assert.equal(giveTokenToUnrendered(slots.list, 'C', () => false), 0, 'a ready component is left alone');
});

test('token refresh: after a token arrives, a new failure gets its bounded retries again', async () => {
  let down = true;
  const r = refresher({
    respond: () => (down ? { status: 503, body: {} } : { status: 200, body: { token: 'B', expires_at: 9e9 } }),
    expiresAt: (clock) => clock.now() - 1,
  });
  await r.refresh.refreshNow('timer');
  await r.clock.advance(60_000);
  assert.deepEqual(r.gaveUp, [503], 'the first outage: given up after its retries');
  r.refresh.tokenArrived(); // e.g. a component's retry brought a token
  await r.refresh.refreshNow('manual'); // one more hiccup...
  assert.deepEqual(r.gaveUp, [503], '...is retried, not given up at once');
  down = false;
  await r.clock.advance(60_000);
  assert.deepEqual(r.gaveUp, [503]);
});

test('token refresh: onGiveUp is optional', async () => {
  const r = refresher({ respond: () => 'network', expiresAt: (clock) => clock.now() - 1 });
  r.refresh.onGiveUp = undefined;
  await r.refresh.refreshNow('manual');
  await r.clock.advance(60_000); // would throw inside the retry timer without the ?.
  assert.equal(r.fetch.calls.length, 3);
});

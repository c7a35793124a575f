// node --test tests/js/ : no dead ends. A rendered component without `firstinteractive` ends in the
// final message (first-interactive-watchdog.js, final-message.js) within the catalogue's time.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  DEFAULT_FIRST_INTERACTIVE_MS, NOT_INTERACTIVE, firstInteractiveTimeout,
} from '../../static/js/first-interactive-watchdog.js';
import { COOKIE_ADVICE, LIKELY_CAUSES, NOT_INTERACTIVE_MESSAGE } from '../../static/js/final-message.js';
import { MINIMAL_CATALOGUE } from '../../static/js/load-errors.js';
import { deferred, flush } from './fake-dom.mjs';
import { authFailed, catalogue, embedPage } from './page-fixture.mjs';

const WAIT = catalogue.timeouts.firstInteractiveMs;
const actions = (p) => p.events.filter((e) => e.type === 'embed:action').map((e) => `${e.action}:${e.code ?? e.errorCode}`);
const alert = (p) => p.container.querySelector('[role="alert"]');

test('the catalogue sets the wait; without one the default applies', () => {
  assert.equal(WAIT, 20_000);
  assert.equal(firstInteractiveTimeout(catalogue), WAIT);
  assert.equal(firstInteractiveTimeout(MINIMAL_CATALOGUE), DEFAULT_FIRST_INTERACTIVE_MS);
  assert.equal(firstInteractiveTimeout({ timeouts: { firstInteractiveMs: -1 } }), DEFAULT_FIRST_INTERACTIVE_MS);
});

test('no firstinteractive in time: the final message names the src, the causes and the cookie advice', async () => {
  const p = embedPage();
  const [el] = p.current();
  await p.clock.advance(WAIT - 1);
  assert.deepEqual(actions(p), []);
  assert.equal(el.dataset.embedStatus, 'loading');
  await p.clock.advance(1);
  assert.deepEqual(actions(p), [`FAIL:${NOT_INTERACTIVE}`]);
  assert.equal(p.container.dataset.embedLastCode, NOT_INTERACTIVE);
  assert.equal(el.dataset.embedStatus, 'failed');
  assert.equal(el.hidden, true);
  const text = alert(p).textContent;
  assert.ok(text.startsWith(NOT_INTERACTIVE_MESSAGE));
  assert.ok(text.includes(`View: ${el.getAttribute('src')}`));
  for (const cause of LIKELY_CAUSES) assert.ok(text.includes(cause), cause);
  const advice = alert(p).querySelector('[data-cookie-advice]');
  assert.ok(advice.textContent.includes('“Authentication and Embedding”'));
  assert.ok(advice.textContent.includes(COOKIE_ADVICE));
  assert.ok(advice.textContent.includes('Allow cookies from http://localhost:8001'));
  assert.equal(alert(p).querySelector('dl'), null, 'no integrator detail outside debug pages');
  assert.ok(!text.includes(NOT_INTERACTIVE), 'no code for users');
});

test('debug pages add the code and the fix for integrators', async () => {
  const p = embedPage({ debug: true });
  await p.clock.advance(WAIT);
  const detail = alert(p).querySelector('dl').textContent;
  assert.ok(detail.includes(`Code${NOT_INTERACTIVE}`));
  assert.ok(detail.includes(catalogue.loadErrors[NOT_INTERACTIVE].resolution));
  assert.match(detail, /no firstinteractive 20000 ms after <tableau-viz> rendered -> FAIL/);
});

test('firstinteractive in time: no message, ever', async () => {
  const p = embedPage();
  await p.clock.advance(WAIT - 1_000);
  p.fire(p.current()[0], 'firstinteractive');
  await p.clock.advance(WAIT * 10);
  assert.deepEqual(actions(p), []);
  assert.equal(p.current()[0].dataset.embedStatus, 'ready');
});

test('after the switch to iframe-auth (no vizloaderror any more) the wait starts again, then the message', async () => {
  const p = embedPage({ debug: true });
  await p.clock.advance(15_000);
  p.fire(p.current()[0], 'vizloaderror', { errorCode: 'unknown-auth-error' });
  await flush();
  const el = p.current()[0];
  assert.equal(el.hasAttribute('iframe-auth'), true);
  await p.clock.advance(WAIT - 1);
  assert.deepEqual(actions(p), ['IFRAME_AUTH:unknown-auth-error'], 'counted from the new render');
  await p.clock.advance(1);
  assert.deepEqual(actions(p), ['IFRAME_AUTH:unknown-auth-error', `FAIL:${NOT_INTERACTIVE}`]);
  assert.match(alert(p).textContent, /with iframe-auth -> FAIL/);
});

test('a view that becomes interactive late clears the message', async () => {
  const p = embedPage();
  await p.clock.advance(WAIT);
  const [el] = p.current();
  assert.ok(alert(p));
  p.fire(el, 'firstinteractive');
  assert.equal(alert(p), null);
  assert.equal(el.hidden, false);
  assert.equal(el.dataset.embedStatus, 'ready');
});

test('a retry stuck on the token API ends in the message; the late token renders nothing', async () => {
  const gate = deferred();
  const p = embedPage({ respond: () => gate.promise });
  const before = p.current()[0];
  p.fire(before, 'vizloaderror', authFailed(10091));
  await p.clock.advance(WAIT);
  assert.deepEqual(actions(p), ['RETRY:10091', `FAIL:${NOT_INTERACTIVE}`]);
  gate.resolve({ status: 200, body: { token: 'eyJ.late', expires_at: 1_700_000_900 } });
  await flush();
  assert.equal(p.current()[0], before, 'not re-rendered after the final message');
  assert.equal(before.dataset.embedStatus, 'failed');
});

test('an element the library never defined is reported as library-not-loaded', async () => {
  const p = embedPage({ defined: [], libraryTimeoutMs: null });
  await p.clock.advance(WAIT);
  assert.deepEqual(actions(p), ['FAIL:library-not-loaded']);
});

test('firstInteractiveMs: null turns the final message off', async () => {
  const p = embedPage({ firstInteractiveMs: null });
  await p.clock.advance(WAIT * 5);
  assert.deepEqual(actions(p), []);
});

// node --test tests/js/ : "Your session has ended" (static/js/session-ended.js) when the token API
// answers 401, and "We can't renew your access right now" when its retries after any other failure
// are spent (5xx, network), each with a sign-in link back to the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { wireEmbedPage } from '../../static/js/embed-page.js';
import { RENEWAL_FAILED, SESSION_ENDED, signInAgainUrl } from '../../static/js/session-ended.js';
import { flush } from './fake-dom.mjs';
import { MAX, authFailed, embedPage } from './page-fixture.mjs';

const SESSION_ENDED_MESSAGE = SESSION_ENDED.message;

/**
 * A page at /views/overview?tab=2 whose token API answers with `statuses` in turn (then 200);
 * 'network' is a request that never reaches it.
 */
function pageAnswering(statuses, { loginUrl = '/login' } = {}) {
  let n = 0;
  const p = embedPage({
    wire: false,
    respond: () => {
      const status = statuses[n];
      n += 1;
      if (status === 'network') return status;
      if (status) return { status, body: { error: 'sign in first' } };
      return { status: 200, body: { token: `eyJ.fresh.T${n}`, expires_at: 1_700_000_900 } };
    },
  });
  if (loginUrl) p.container.setAttribute('data-login-url', loginUrl);
  p.doc.defaultView.location = { pathname: '/views/overview', search: '?tab=2' };
  p.ctl = wireEmbedPage(p.container, p.options);
  return p;
}

const notices = (p) => p.container.querySelectorAll('[data-session-ended]');
const renewalNotices = (p) => p.container.querySelectorAll('[data-renewal-failed]');

test('the link signs in again and comes back to this page, path and query', () => {
  assert.equal(signInAgainUrl('/login', { pathname: '/views/overview', search: '?tab=2' }, 'session-ended'),
    '/login?next=%2Fviews%2Foverview%3Ftab%3D2&reason=session-ended');
  assert.equal(signInAgainUrl('/auth/login?x=1', { pathname: '/lab', search: '' }, 'renewal-failed'),
    '/auth/login?x=1&next=%2Flab&reason=renewal-failed');
});

test('a 401 from a background refresh shows the notice once, first in the container', async () => {
  const p = pageAnswering([401, 401]);
  await p.ctl.refreshNow('timer');
  await p.ctl.refreshNow('manual');
  const [notice, ...more] = notices(p);
  assert.equal(more.length, 0, 'one notice, however many refusals');
  assert.equal(p.container.children[0], notice);
  assert.equal(notice.getAttribute('role'), 'alert');
  assert.ok(notice.textContent.startsWith(SESSION_ENDED_MESSAGE));
  const link = notice.querySelector('a');
  assert.equal(link.textContent, 'Sign in again');
  assert.equal(link.getAttribute('href'), '/login?next=%2Fviews%2Foverview%3Ftab%3D2&reason=session-ended');
});

test('a 401 while a component retries shows it too; a first outage does not', async () => {
  const retried = pageAnswering([401, 401, 401]);
  retried.fire(retried.current()[0], 'vizloaderror', authFailed(10091));
  await retried.clock.advance(10_000);
  assert.equal(notices(retried).length, 1);
  const p = pageAnswering([500]);
  await p.ctl.refreshNow('timer');
  assert.equal(notices(p).length + renewalNotices(p).length, 0);
});

test('a 403 (e.g. signed in again in another tab: this page holds the old CSRF token) stops the refresh and says "can\'t renew" at once', async () => {
  const p = pageAnswering([403]);
  await p.ctl.refreshNow('timer');
  const [notice, ...more] = renewalNotices(p);
  assert.equal(more.length, 0);
  assert.equal(notices(p).length, 0, 'not "session ended": a session is there, another one');
  assert.equal(notice.querySelector('a').getAttribute('href'),
    '/login?next=%2Fviews%2Foverview%3Ftab%3D2&reason=renewal-failed');
  assert.equal(p.fetch.calls.length, 1, 'no retry of a refused request');
});

for (const failure of [503, 500, 'network']) {
  test(`${failure} until the refresh's retries are spent: "can't renew", a link back, never silence`, async () => {
    const p = pageAnswering(Array(MAX + 1).fill(failure));
    await p.ctl.refreshNow('timer');
    assert.equal(renewalNotices(p).length, 0, 'not while retries are still to come');
    await p.clock.advance(60_000); // past every retry's backoff
    assert.equal(p.fetch.calls.length, MAX + 1, 'bounded: one attempt and retry.maxAttempts retries');
    const [notice, ...more] = renewalNotices(p);
    assert.equal(more.length, 0);
    assert.equal(notices(p).length, 0, 'not "session ended": the session may well be there');
    assert.equal(p.container.children[0], notice);
    assert.equal(notice.getAttribute('role'), 'alert');
    assert.equal(notice.textContent, 'We can’t renew your access right now. Sign in again to come back to this page.');
    assert.equal(notice.querySelector('a').getAttribute('href'),
      '/login?next=%2Fviews%2Foverview%3Ftab%3D2&reason=renewal-failed');
  });
}

test('"can\'t renew" goes when a token arrives (focus, another refresh); a later 401 replaces it', async () => {
  const p = pageAnswering([...Array(MAX + 1).fill(503)]);
  await p.ctl.refreshNow('timer');
  await p.clock.advance(60_000);
  assert.equal(renewalNotices(p).length, 1);
  await p.ctl.refreshNow('manual');
  await flush();
  assert.equal(renewalNotices(p).length, 0);
  const q = pageAnswering([...Array(MAX + 1).fill('network'), 401]);
  await q.ctl.refreshNow('timer');
  await q.clock.advance(60_000);
  await q.ctl.refreshNow('manual');
  assert.equal(renewalNotices(q).length, 0);
  assert.equal(notices(q).length, 1, 'one notice, for the latest cause');
});

test('a token arriving after all (signed in again elsewhere) removes the notice', async () => {
  const p = pageAnswering([401]);
  await p.ctl.refreshNow('timer');
  assert.equal(notices(p).length, 1);
  await p.ctl.refreshNow('manual');
  await flush();
  assert.equal(notices(p).length, 0);
});

test('without data-login-url the notice says what to do, with no link', async () => {
  const p = pageAnswering([401], { loginUrl: null });
  await p.ctl.refreshNow('timer');
  const [notice] = notices(p);
  assert.equal(notice.querySelector('a'), null);
  assert.equal(notice.textContent, `${SESSION_ENDED_MESSAGE} Sign in again, then reload this page.`);
});

test('without data-login-url the renewal notice says what to do, with no link', async () => {
  const p = pageAnswering(Array(MAX + 1).fill(502), { loginUrl: null });
  await p.ctl.refreshNow('timer');
  await p.clock.advance(60_000);
  const [notice] = renewalNotices(p);
  assert.equal(notice.querySelector('a'), null);
  assert.equal(notice.textContent, `${RENEWAL_FAILED.message} Sign in again, then reload this page.`);
});

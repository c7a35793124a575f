// node --test tests/js/ : "Your session has ended" (static/js/session-ended.js) when the token API
// answers 401, with a sign-in link back to the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { wireEmbedPage } from '../../static/js/embed-page.js';
import { SESSION_ENDED_MESSAGE, signInAgainUrl } from '../../static/js/session-ended.js';
import { flush } from './fake-dom.mjs';
import { authFailed, embedPage } from './page-fixture.mjs';

/** A page at /views/overview?tab=2 whose token API answers with `statuses` in turn (then 200). */
function pageAnswering(statuses, { loginUrl = '/login' } = {}) {
  let n = 0;
  const p = embedPage({
    wire: false,
    respond: () => {
      const status = statuses[n];
      n += 1;
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

test('the link signs in again and comes back to this page, path and query', () => {
  assert.equal(signInAgainUrl('/login', { pathname: '/views/overview', search: '?tab=2' }),
    '/login?next=%2Fviews%2Foverview%3Ftab%3D2&reason=session-ended');
  assert.equal(signInAgainUrl('/auth/login?x=1', { pathname: '/lab', search: '' }),
    '/auth/login?x=1&next=%2Flab&reason=session-ended');
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

test('a 401 while a component retries shows it too; a 403 or an outage does not', async () => {
  const retried = pageAnswering([401, 401, 401]);
  retried.fire(retried.current()[0], 'vizloaderror', authFailed(10091));
  await retried.clock.advance(10_000);
  assert.equal(notices(retried).length, 1);
  for (const status of [403, 500]) {
    const p = pageAnswering([status]);
    await p.ctl.refreshNow('timer');
    assert.equal(notices(p).length, 0, String(status));
  }
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

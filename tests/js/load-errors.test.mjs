// node --test tests/js/ : the pure vizloaderror module against the shipped catalogue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import {
  FAIL,
  IFRAME_AUTH,
  LOGIN,
  MINIMAL_CATALOGUE,
  RETRY,
  actionFor,
  backoffDelay,
  catalogueFromJSON,
  describeForIntegrator,
  messageFor,
  parseLoadError,
  withRetryFallback,
} from '../../static/js/load-errors.js';

const catalogue = JSON.parse(
  readFileSync(new URL('../../tableau_rules/catalogue.json', import.meta.url), 'utf8'),
);

// The documented shape (Embedding API reference, VizLoadErrorEvent; architecture.md "Web-component contract").
function authFailed(...codes) {
  const body = JSON.stringify({ result: { errors: codes.map((code) => ({ code })) } });
  return { errorCode: 'auth-failed', message: JSON.stringify({ statusCode: 401, errorMessage: body }) };
}

test('parses the documented vizloaderror shape', () => {
  const p = parseLoadError(authFailed(10091));
  assert.equal(p.errorCode, 'auth-failed');
  assert.equal(p.statusCode, 401);
  assert.deepEqual(p.codes, [10091]);
  assert.deepEqual(p.raw, authFailed(10091));
});

test('parses several codes, numeric strings, and drops repeats and junk', () => {
  const body = JSON.stringify({ result: { errors: [{ code: '10092' }, { code: 16 }, { code: 16 }, { nope: 1 }, null, { code: 'x' }] } });
  const p = parseLoadError({ errorCode: 'auth-failed', message: JSON.stringify({ statusCode: '403', errorMessage: body }) });
  assert.deepEqual(p.codes, [10092, 16]);
  assert.equal(p.statusCode, 403);
});

test('tolerates malformed messages at every level', () => {
  const cases = [
    undefined,
    null,
    'auth-failed',
    {},
    { errorCode: 'auth-failed' },
    { errorCode: 'auth-failed', message: 'Unauthorized' },
    { errorCode: 'auth-failed', message: '{"statusCode": 500' },
    { errorCode: 'auth-failed', message: 'null' },
    { errorCode: 'auth-failed', message: JSON.stringify({ statusCode: 502, errorMessage: '<html>Bad gateway</html>' }) },
    { errorCode: 'auth-failed', message: JSON.stringify({ statusCode: 401, errorMessage: '{"result": {"errors": "no"}}' }) },
    { errorCode: 'auth-failed', message: JSON.stringify({ statusCode: 401, errorMessage: '{"result": null}' }) },
    { errorCode: 42, message: 42 },
  ];
  for (const detail of cases) {
    const p = parseLoadError(detail);
    assert.deepEqual(p.codes, [], JSON.stringify(detail));
    assert.ok(p.errorCode === null || typeof p.errorCode === 'string');
  }
  assert.equal(parseLoadError({ errorCode: 'auth-failed', message: 'Unauthorized' }).statusCode, null);
  assert.equal(parseLoadError(cases[8]).statusCode, 502);
  assert.equal(parseLoadError({ errorCode: 42 }).errorCode, null);
});

test('accepts an already-parsed message object', () => {
  const p = parseLoadError({ errorCode: 'auth-failed', message: { statusCode: 401, errorMessage: { result: { errors: [{ code: 5 }] } } } });
  assert.deepEqual(p.codes, [5]);
});

test('the error code never comes from the parsed message', () => {
  // A message carrying its own errorCode must not override the detail's.
  const message = JSON.stringify({ statusCode: 401, errorCode: 'unknown-auth-error', errorMessage: '' });
  assert.equal(parseLoadError({ errorCode: 'auth-failed', message }).errorCode, 'auth-failed');
});

test('each action class from the catalogue', () => {
  const cases = [
    [authFailed(10091), RETRY],
    [authFailed(10100), RETRY],
    [authFailed(16), RETRY],
    [authFailed(5), LOGIN],
    [authFailed(10092), FAIL],
    [authFailed(126), FAIL],
    [authFailed(10097), FAIL],
    [{ errorCode: 'unknown-auth-error', message: 'TypeError: Failed to fetch' }, IFRAME_AUTH],
    [{ errorCode: 'incompatible-version-error' }, FAIL],
    [{ errorCode: 'browser-not-capable' }, FAIL],
    [{ errorCode: 'invalid-url' }, FAIL],
  ];
  for (const [detail, expected] of cases) {
    const d = actionFor(parseLoadError(detail), catalogue, {});
    assert.equal(d.action, expected, `${detail.errorCode} ${detail.message ?? ''}`);
    assert.ok(d.reason.length > 0);
  }
});

test('the entry carries the code, name and resolution', () => {
  const d = actionFor(parseLoadError(authFailed(10091)), catalogue);
  assert.equal(d.code, 10091);
  assert.equal(d.entry.name, 'JTI_ALREADY_USED');
  assert.match(d.entry.resolution, /new JWT/);
  assert.equal(d.attempt, 1);
  const le = actionFor(parseLoadError({ errorCode: 'invalid-url' }), catalogue);
  assert.equal(le.entry.errorCode, 'invalid-url');
  assert.equal(le.code, null);
});

test('unknown codes, missing codes and unknown errorCodes follow the defaults (Authentication and Embedding: LOGIN)', () => {
  assert.equal(actionFor(parseLoadError(authFailed(4242)), catalogue).action, catalogue.defaults.unknownCode);
  assert.equal(actionFor(parseLoadError(authFailed(4242)), catalogue).code, 4242);
  assert.equal(actionFor(parseLoadError({ errorCode: 'auth-failed', message: 'x' }), catalogue).action, catalogue.defaults.noCode);
  assert.equal(actionFor(parseLoadError({ errorCode: 'something-new' }), catalogue).action, catalogue.defaults.unknownErrorCode);
  assert.equal(actionFor(parseLoadError(undefined), catalogue).action, LOGIN);
  // A custom catalogue's defaults are honoured, not hard-coded.
  const strict = { ...catalogue, defaults: { unknownCode: FAIL, noCode: FAIL, unknownErrorCode: FAIL } };
  assert.equal(actionFor(parseLoadError(authFailed(4242)), strict).action, FAIL);
});

test('an unknown errorCode carrying known codes is decided by the codes', () => {
  const detail = { ...authFailed(10091), errorCode: 'auth-failed-v2' };
  assert.equal(actionFor(parseLoadError(detail), catalogue).action, RETRY);
});

test('several codes: the most severe action wins', () => {
  assert.equal(actionFor(parseLoadError(authFailed(10091, 10092)), catalogue).action, FAIL);
  const d = actionFor(parseLoadError(authFailed(10091, 5)), catalogue);
  assert.equal(d.action, LOGIN);
  assert.equal(d.code, 5);
});

test('retry budget, then the fallback: a plain message (FAIL), or LOGIN -> FAIL when configured', () => {
  const parsed = parseLoadError(authFailed(10091));
  const max = catalogue.retry.maxAttempts;
  assert.ok(max >= 1);
  for (let n = 0; n < max; n += 1) {
    const d = actionFor(parsed, catalogue, { attempts: { RETRY: n } });
    assert.equal(d.action, RETRY);
    assert.equal(d.attempt, n + 1);
  }
  const spent = actionFor(parsed, catalogue, { attempts: { RETRY: max } });
  assert.equal(spent.action, FAIL, "shipped: spent retries end in a message, not Tableau's sign-in");
  assert.match(spent.reason, /RETRY budget spent \(2\/2\) -> FAIL$/);
  // Number shorthand: the RETRY count.
  assert.equal(actionFor(parsed, catalogue, max).action, FAIL);
  // An integrator whose users have Tableau accounts may hand over to the sign-in instead.
  const withSignIn = { ...catalogue, fallback: { ...catalogue.fallback, RETRY: LOGIN } };
  assert.equal(actionFor(parsed, withSignIn, { attempts: { RETRY: max } }).action, LOGIN);
  assert.equal(actionFor(parsed, withSignIn, { attempts: { RETRY: max, LOGIN: 1 } }).action, FAIL);
});

test('the page setting (data-retry-fallback) decides what follows spent retries, over the catalogue', () => {
  const parsed = parseLoadError(authFailed(10091));
  const spent = { attempts: { RETRY: catalogue.retry.maxAttempts } };
  const signInFirst = { ...catalogue, fallback: { ...catalogue.fallback, RETRY: LOGIN } };
  assert.equal(actionFor(parsed, withRetryFallback(catalogue, LOGIN), spent).action, LOGIN);
  assert.equal(actionFor(parsed, withRetryFallback(signInFirst, FAIL), spent).action, FAIL);
  assert.equal(withRetryFallback(catalogue, LOGIN).fallback.IFRAME_AUTH, catalogue.fallback.IFRAME_AUTH);
  assert.equal(catalogue.fallback.RETRY, FAIL, 'the catalogue itself is left as it was');
  // Absent or anything else (a typo, RETRY, IFRAME_AUTH): the catalogue's own fallback.
  for (const setting of [undefined, null, '', 'login', RETRY, IFRAME_AUTH, 'toString']) {
    assert.equal(withRetryFallback(signInFirst, setting), signInFirst, String(setting));
  }
});

test('iframe-auth is tried once, then its fallback', () => {
  const parsed = parseLoadError({ errorCode: 'unknown-auth-error' });
  assert.equal(actionFor(parsed, catalogue, { attempts: { IFRAME_AUTH: 1 } }).action, LOGIN);
  assert.equal(actionFor(parsed, catalogue, { attempts: { IFRAME_AUTH: 1, LOGIN: 1 } }).action, FAIL);
});

test('FAIL is never budgeted away, and a cyclic catalogue cannot loop', () => {
  const parsed = parseLoadError(authFailed(10092));
  assert.equal(actionFor(parsed, catalogue, { attempts: { RETRY: 99, LOGIN: 99 } }).action, FAIL);
  const cyclic = { ...catalogue, fallback: { RETRY: LOGIN, LOGIN: RETRY, IFRAME_AUTH: LOGIN } };
  const d = actionFor(parseLoadError(authFailed(10091)), cyclic, { attempts: { RETRY: 9, LOGIN: 1 } });
  assert.equal(d.action, FAIL);
});

test('without a catalogue: Authentication and Embedding behaviour, no retries', () => {
  assert.equal(actionFor(parseLoadError({ errorCode: 'unknown-auth-error' }), null).action, IFRAME_AUTH);
  assert.equal(actionFor(parseLoadError(authFailed(10091)), null).action, LOGIN);
  assert.equal(actionFor(parseLoadError(authFailed(10091)), MINIMAL_CATALOGUE).action, LOGIN);
  assert.equal(catalogueFromJSON('{broken'), MINIMAL_CATALOGUE);
  assert.equal(catalogueFromJSON(null), MINIMAL_CATALOGUE);
  assert.equal(catalogueFromJSON('{"codes": {}}'), MINIMAL_CATALOGUE);
  assert.deepEqual(catalogueFromJSON(JSON.stringify(catalogue)), catalogue);
});

test('backoff: exponential ceiling, full jitter, capped', () => {
  const opts = { baseDelayMs: 500, maxDelayMs: 8000 };
  const top = () => 0.999999;
  assert.equal(backoffDelay(1, () => 0, opts), 0);
  assert.equal(backoffDelay(1, () => 0.5, opts), 250);
  assert.equal(backoffDelay(2, () => 0.5, opts), 500);
  assert.equal(backoffDelay(3, () => 0.5, opts), 1000);
  assert.ok(backoffDelay(1, top, opts) < 500 && backoffDelay(1, top, opts) >= 499);
  assert.ok(backoffDelay(4, top, opts) < 4000 && backoffDelay(4, top, opts) >= 3999);
  for (const n of [5, 6, 10, 100, 1e9, Infinity]) assert.ok(backoffDelay(n, top, opts) < 8000, String(n));
  assert.equal(backoffDelay(100, () => 0.5, opts), 4000);
  // Bad inputs stay in range.
  assert.equal(backoffDelay(0, () => 0.5, opts), 250);
  assert.equal(backoffDelay(-3, () => 0.5, opts), 250);
  assert.equal(backoffDelay(NaN, () => 0.5, opts), 250);
  assert.equal(backoffDelay(2, () => NaN, opts), 0);
  assert.equal(backoffDelay(2, () => -1, opts), 0);
  assert.ok(backoffDelay(2, () => 7, opts) < 1000);
  // Defaults and real randomness: always within [0, ceiling).
  for (let i = 0; i < 200; i += 1) {
    const v = backoffDelay(3);
    assert.ok(Number.isInteger(v) && v >= 0 && v < 2000);
  }
});

test('user messages are plain; integrator text carries the detail', () => {
  for (const action of [RETRY, IFRAME_AUTH, LOGIN, FAIL]) {
    const text = messageFor(action, catalogue);
    assert.match(text, /^This view could not be loaded/);
    assert.doesNotMatch(text, /\d{2,}|JWT|jti/);
  }
  assert.equal(messageFor('NOPE', catalogue), catalogue.actions.FAIL.message);
  const d = actionFor(parseLoadError(authFailed(10092)), catalogue);
  const text = describeForIntegrator(d.entry);
  assert.match(text, /10092 NOT_IN_DOMAIN_ALLOW_LIST/);
  assert.match(text, /Resolution: .*unrestrictedEmbedding/);
  assert.match(text, /Documented in: Troubleshoot Connected Apps, Register EAS to Enable SSO for Embedded Content/);
  assert.match(text, /Action: FAIL/);
  assert.match(describeForIntegrator(actionFor(parseLoadError({ errorCode: 'invalid-url' }), catalogue).entry), /Load error "invalid-url"/);
  assert.match(describeForIntegrator(null), /No catalogue entry/);
});

// A sign-in answered with a server error and no connected-app code: Tableau is failing, the
// user's sign-in is not the problem (catalogue `defaults.serverError`).
function serverError(statusCode, errorMessage = '<html>Service Unavailable</html>') {
  return { errorCode: 'auth-failed', message: JSON.stringify({ statusCode, errorMessage }) };
}

test('auth-failed with a 5xx and no code: defaults.serverError (RETRY), then its fallback', () => {
  assert.equal(catalogue.defaults.serverError, RETRY);
  const parsed = parseLoadError(serverError(503));
  const first = actionFor(parsed, catalogue, {});
  assert.equal(first.action, RETRY);
  assert.equal(first.code, null);
  assert.match(first.reason, /HTTP 503/);
  assert.match(describeForIntegrator(first.entry), /503/);
  const max = catalogue.retry.maxAttempts;
  assert.equal(actionFor(parsed, catalogue, { attempts: { RETRY: max } }).action, catalogue.fallback.RETRY);
  assert.equal(actionFor(parsed, catalogue, { attempts: { RETRY: max, LOGIN: 1 } }).action, FAIL);
  for (const status of [500, 502, 504, 599]) {
    assert.equal(actionFor(parseLoadError(serverError(status)), catalogue).action, RETRY, String(status));
  }
});

test('only a 5xx without a code is a server error', () => {
  // A code says what went wrong, whatever the status (10092 with 503 is still configuration).
  const withCode = serverError(503, JSON.stringify({ result: { errors: [{ code: 10092 }] } }));
  assert.equal(actionFor(parseLoadError(withCode), catalogue).action, FAIL);
  for (const status of [401, 403, 499, 600]) {
    assert.equal(actionFor(parseLoadError(serverError(status)), catalogue).action, catalogue.defaults.noCode, String(status));
  }
  // Configured, not hard-coded; without a catalogue, Authentication and Embedding (remove the token).
  const never = { ...catalogue, defaults: { ...catalogue.defaults, serverError: FAIL } };
  assert.equal(actionFor(parseLoadError(serverError(503)), never).action, FAIL);
  assert.equal(actionFor(parseLoadError(serverError(503)), null).action, LOGIN);
});

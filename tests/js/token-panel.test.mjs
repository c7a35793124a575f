// node --test tests/js/ : the token panel (static/js/token-panel.js) on the fake DOM.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { claimText, decodeJwt, formatTimeLeft } from '../../static/js/token-panel.js';
import { allText, flush, h, until } from './fake-dom.mjs';
import { embedPage } from './page-fixture.mjs';

const SIGNATURE = 'c2lnbmF0dXJlLW5ldmVyLXNob3du';
const b64url = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');

/** A compact JWT with these claims (display only: the signature is a marker, not a real one). */
function jwt(claims, header = { alg: 'HS256', typ: 'JWT', kid: 'secret-id', iss: 'client-id' }) {
  return `${b64url(header)}.${b64url(claims)}.${SIGNATURE}`;
}

/** The panel frame as templates/macros/token_panel.html renders it, for one <tableau-viz>. */
function panelFrame(doc) {
  const table = (name) => h(doc, 'table', { [`data-token-${name}`]: '' }, h(doc, 'tbody'));
  const scopes = h(doc, 'tr', { 'data-scopes': 'tableau:views:embed' },
    h(doc, 'th', {}, '<tableau-viz>'), h(doc, 'td', {}, 'tableau:views:embed'), h(doc, 'td', { 'data-scope-check': '' }));
  return h(doc, 'details', { 'data-token-panel': '' },
    h(doc, 'summary', {}, h(doc, 'span', { 'data-token-alg': '' }), h(doc, 'span', { 'data-token-left': '' })),
    table('header'), table('claims'), h(doc, 'table', {}, h(doc, 'tbody', {}, scopes)),
    h(doc, 'ol', { 'data-token-log': '' }));
}

function pageWithPanel({ claims, respond } = {}) {
  const p = embedPage({ wire: false, respond });
  const now = Math.floor(p.clock.now() / 1000);
  const token = jwt(claims ?? { iss: 'client-id', sub: 'alice@example.com', aud: 'tableau', exp: now + 300, iat: now, jti: 'a1b2c3d4-e5f6', scp: ['tableau:views:embed'] });
  p.container.querySelector('tableau-viz').setAttribute('token', token);
  const panel = panelFrame(p.doc);
  p.container.append(panel);
  return { ...p, panel, token, now };
}

async function wired(options) {
  const p = pageWithPanel(options);
  const { wireEmbedPage } = await import('../../static/js/embed-page.js');
  p.ctl = wireEmbedPage(p.container, p.options);
  // The panel's module loads on demand (import()), only on pages that have a panel.
  await until(() => p.panel.dataset.tokenPanelWired === 'true', 'the token panel wiring');
  const cell = (name) => p.panel.querySelector(`[data-token-${name}]`);
  const rows = (name) => cell(name).querySelectorAll('tr').map((tr) => tr.textContent);
  const log = () => cell('log').querySelectorAll('li').map((li) => li.textContent);
  return { ...p, cell, rows, log };
}

test('decodeJwt reads the header and claims and nothing else; junk gives null', () => {
  const decoded = decodeJwt(jwt({ sub: 'zoë', scp: ['a'] }));
  assert.deepEqual(decoded, { header: { alg: 'HS256', typ: 'JWT', kid: 'secret-id', iss: 'client-id' }, claims: { sub: 'zoë', scp: ['a'] } });
  assert.equal(Object.keys(decoded).includes('signature'), false);
  for (const junk of [null, '', 'a.b', 'not.a.jwt', `${b64url([1])}.${b64url({})}.x`, `!!.${b64url({})}.x`]) {
    assert.equal(decodeJwt(junk), null, String(junk));
  }
});

test('time left and claim text are readable', () => {
  assert.equal(formatTimeLeft(245_400), '4:05 left');
  assert.equal(formatTimeLeft(-12_000), 'expired 0:12 ago');
  assert.equal(claimText('exp', 1_700_000_300), '1700000300 (22:18:20 UTC)');
  assert.equal(claimText('scp', ['tableau:views:embed']), '["tableau:views:embed"]');
  assert.equal(claimText('sub', 'alice'), 'alice');
});

test('the panel shows the header, claims, scope check and time left, never the signature', async () => {
  const p = await wired();
  assert.equal(p.panel.dataset.tokenPanelWired, 'true');
  assert.deepEqual(p.rows('header'), ['algHS256', 'typJWT', 'kidsecret-id', 'issclient-id']);
  const claims = p.rows('claims');
  assert.ok(claims.includes('subalice@example.com'));
  assert.ok(claims.some((r) => r.startsWith(`exp${p.now + 300} (`)));
  assert.ok(claims.includes('scp["tableau:views:embed"]'));
  assert.equal(p.cell('alg').textContent, 'HS256');
  assert.equal(p.cell('left').textContent, '5:00 left');
  const check = p.panel.querySelector('[data-scope-check]');
  assert.equal(check.textContent, 'in the token');
  assert.equal(check.dataset.ok, 'true');
  assert.match(p.log()[0], /token the page loaded with: jti a1b2c3d4…, expires/);
  assert.equal(allText(p.doc).includes(SIGNATURE), false);
  assert.equal(allText(p.doc).includes(p.token), false);
  await p.clock.advance(61_000);
  assert.equal(p.cell('left').textContent, '3:59 left', 'counts down live');
  await p.clock.advance(240_000);
  assert.equal(p.cell('left').dataset.expired, 'true');
});

test('a missing scope is named', async () => {
  const p = await wired({ claims: { sub: 'alice', exp: 1_700_000_300, scp: ['tableau:insights:embed'] } });
  const check = p.panel.querySelector('[data-scope-check]');
  assert.equal(check.textContent, 'missing tableau:views:embed');
  assert.equal(check.dataset.ok, 'false');
});

test('each refresh replaces the claims and is logged; a failed one is logged too', async () => {
  let n = 0;
  const p = await wired({
    respond: () => {
      n += 1;
      if (n === 2) return { status: 401, body: { error: 'sign in first' } };
      const claims = { sub: 'alice@example.com', jti: 'fresh-jti-1', exp: 1_700_000_900, scp: ['tableau:views:embed'] };
      return { status: 200, body: { token: jwt(claims), expires_at: claims.exp } };
    },
  });
  await p.ctl.refreshNow('test');
  await flush();
  assert.ok(p.rows('claims').includes('jtifresh-jti-1'));
  assert.match(p.log()[1], /refresh 1 from the token API: jti fresh-jt…, expires/);
  assert.equal(p.cell('left').textContent, '15:00 left');
  await p.ctl.refreshNow('test');
  await flush();
  assert.match(p.log()[2], /token request failed \(test, HTTP 401\)/);
  assert.equal(allText(p.doc).includes(SIGNATURE), false);
});

test('dispose stops the countdown', async () => {
  const p = await wired();
  p.ctl.dispose();
  const before = p.cell('left').textContent;
  await p.clock.advance(10_000);
  assert.equal(p.cell('left').textContent, before);
  assert.equal(p.panel.dataset.tokenPanelWired, undefined);
});

// The simulator's Embedding API library (sandbox/simulator/static/tableau-embedding.js) under a
// stub DOM: which `vizloaderror` a sign-in answer gives, and that settled sign-ins are forgotten.
// Run by tests/sandbox/test_embedding_library.py (node --test).

import { test } from 'node:test';
import assert from 'node:assert/strict';

class StubElement {
  constructor(tag = '') {
    this.localName = tag;
    this.attrs = new Map();
    this.style = {};
    this.events = [];
    this.isConnected = true;
  }

  getAttribute(name) { return this.attrs.has(name) ? this.attrs.get(name) : null; }

  hasAttribute(name) { return this.attrs.has(name); }

  setAttribute(name, value) {
    const old = this.getAttribute(name);
    this.attrs.set(name, String(value));
    this.attributeChangedCallback?.(name, old, String(value));
  }

  removeAttribute(name) { this.attrs.delete(name); }

  append() {}

  replaceChildren() {}

  remove() {}

  addEventListener() {}

  dispatchEvent(event) {
    this.events.push(event);
    return true;
  }
}

globalThis.HTMLElement = StubElement;
globalThis.customElements = { get: () => undefined, define: () => undefined };
globalThis.document = { baseURI: 'http://localhost:5000/', createElement: (tag) => new StubElement(tag) };
globalThis.window = { addEventListener() {}, removeEventListener() {} };

const { TableauViz, pendingSignIns } = await import('../../sandbox/simulator/static/tableau-embedding.js');

const SRC = 'http://localhost:8001/t/demo/views/Superstore/Overview';
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

let tokens = 0;

/** A connected <tableau-viz> with a fresh token, signing in through `fetchImpl`. */
function render(fetchImpl) {
  globalThis.fetch = fetchImpl;
  const viz = new TableauViz();
  viz.setAttribute('src', SRC);
  viz.setAttribute('token', `token-${(tokens += 1)}`);
  return viz;
}

const loadErrors = (viz) => viz.events.filter((e) => e.type === 'vizloaderror').map((e) => e.detail);

test('an error answer fires auth-failed with its status and body', async () => {
  const body = '{"result":{"errors":[{"code":10091}]}}';
  const viz = render(async () => ({ ok: false, status: 401, text: async () => body }));
  await settle();
  assert.deepEqual(loadErrors(viz), [
    { errorCode: 'auth-failed', message: JSON.stringify({ statusCode: 401, errorMessage: body }) },
  ]);
});

test('an error answer whose body cannot be read fires unknown-auth-error', async () => {
  const viz = render(async () => ({
    ok: false, status: 401, text: () => Promise.reject(new TypeError('network error while reading')),
  }));
  await settle();
  const [detail, ...more] = loadErrors(viz);
  assert.equal(more.length, 0);
  assert.equal(detail.errorCode, 'unknown-auth-error');
  assert.match(JSON.parse(detail.message).errorMessage, /network error while reading/);
});

test('a failed request fires unknown-auth-error', async () => {
  const viz = render(() => Promise.reject(new TypeError('Failed to fetch')));
  await settle();
  assert.deepEqual(loadErrors(viz).map((d) => d.errorCode), ['unknown-auth-error']);
});

test('a sign-in is remembered only until it settles, whatever its outcome', async () => {
  let answer;
  render(() => new Promise((resolve) => { answer = resolve; }));
  await settle();
  assert.equal(pendingSignIns(), 1);
  answer({ ok: true, status: 200, text: async () => '{}' });
  await settle();
  assert.equal(pendingSignIns(), 0);

  render(() => Promise.reject(new TypeError('Failed to fetch')));
  render(async () => ({ ok: false, status: 401, text: async () => '{}' }));
  await settle();
  assert.equal(pendingSignIns(), 0);
});

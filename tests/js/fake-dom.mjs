// A minimal DOM, just enough for static/js/embed-page.js: elements with attributes, dataset,
// children and sibling insertion; simple selectors (tag, #id, [attr], [attr="v"], lists);
// events dispatched along the tree (capture, target, bubble) up to document and window.
// Plus a manual clock and a scripted fetch.
// Not a test file itself (node --test only runs *.test.mjs here).

const toKebab = (key) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function datasetFor(el) {
  return new Proxy({}, {
    get: (_, key) => (typeof key === 'string' ? el.getAttribute(`data-${toKebab(key)}`) ?? undefined : undefined),
    set: (_, key, value) => {
      el.setAttribute(`data-${toKebab(key)}`, String(value));
      return true;
    },
    deleteProperty: (_, key) => {
      el.removeAttribute(`data-${toKebab(key)}`);
      return true;
    },
    has: (_, key) => el.hasAttribute(`data-${toKebab(key)}`),
  });
}

const SIMPLE = /^([a-z][\w-]*)?(?:#([\w-]+))?(?:\[([\w-]+)(?:="([^"]*)")?\])?$/;

function matches(el, selector) {
  return selector.split(',').some((part) => {
    const m = SIMPLE.exec(part.trim());
    if (!m) throw new Error(`fake DOM: unsupported selector ${part}`);
    const [, tag, id, attr, value] = m;
    if (tag && el.localName !== tag) return false;
    if (id && el.getAttribute('id') !== id) return false;
    if (attr && !el.hasAttribute(attr)) return false;
    if (attr && value !== undefined && el.getAttribute(attr) !== value) return false;
    return true;
  });
}

/** Listeners with DOM propagation: capture top-down, target, then bubble bottom-up. */
class FakeEventTarget {
  constructor() { this.listeners = []; }

  addEventListener(type, fn, options = false) {
    const capture = typeof options === 'boolean' ? options : Boolean(options && options.capture);
    const once = typeof options === 'object' && options !== null && Boolean(options.once);
    if (!this.listeners.some((l) => l.type === type && l.fn === fn && l.capture === capture)) {
      this.listeners.push({ type, fn, capture, once });
    }
  }

  removeEventListener(type, fn, options = false) {
    const capture = typeof options === 'boolean' ? options : Boolean(options && options.capture);
    this.listeners = this.listeners.filter((l) => !(l.type === type && l.fn === fn && l.capture === capture));
  }

  parentForEvents() { return null; }

  invoke(ev, phase) {
    for (const l of [...this.listeners]) {
      if (l.type !== ev.type) continue;
      if (phase === 'capture' && !l.capture) continue;
      if (phase === 'bubble' && l.capture) continue;
      if (l.once) this.removeEventListener(l.type, l.fn, l.capture);
      ev.currentTarget = this;
      l.fn(ev);
    }
  }

  /** Accepts a real Event/CustomEvent; listeners receive a plain copy with target set. */
  dispatchEvent(event) {
    const ev = { type: event.type, detail: event.detail, bubbles: Boolean(event.bubbles), target: this, currentTarget: null };
    const path = [];
    for (let node = this.parentForEvents(); node; node = node.parentForEvents()) path.push(node);
    for (const node of [...path].reverse()) node.invoke(ev, 'capture');
    this.invoke(ev, 'target');
    if (ev.bubbles) for (const node of path) node.invoke(ev, 'bubble');
    return true;
  }
}

export class FakeElement extends FakeEventTarget {
  constructor(ownerDocument, localName) {
    super();
    this.ownerDocument = ownerDocument;
    this.localName = localName;
    this.tagName = localName.toUpperCase();
    this.attrs = new Map();
    this.children = [];
    this.parentNode = null;
    this.dataset = datasetFor(this);
    this.style = {};
    this.hidden = false;
    this.ownText = '';
  }

  parentForEvents() {
    if (this.parentNode) return this.parentNode;
    return this === this.ownerDocument.documentElement ? this.ownerDocument : null;
  }

  getAttribute(name) { return this.attrs.has(name) ? this.attrs.get(name) : null; }
  setAttribute(name, value) { this.attrs.set(name, String(value)); }
  removeAttribute(name) { this.attrs.delete(name); }
  hasAttribute(name) { return this.attrs.has(name); }
  get id() { return this.getAttribute('id') ?? ''; }
  get className() { return this.getAttribute('class') ?? ''; }
  set className(v) { this.setAttribute('class', v); }
  get classList() {
    return { contains: (c) => this.className.split(/\s+/).includes(c) };
  }

  get textContent() { return this.ownText + this.children.map((c) => c.textContent).join(''); }
  set textContent(v) {
    for (const c of this.children) c.parentNode = null;
    this.children = [];
    this.ownText = String(v);
  }

  get isConnected() {
    let node = this;
    while (node.parentNode) node = node.parentNode;
    return node === this.ownerDocument.documentElement;
  }

  get previousElementSibling() {
    if (!this.parentNode) return null;
    const siblings = this.parentNode.children;
    const i = siblings.indexOf(this);
    return i > 0 ? siblings[i - 1] : null;
  }

  detach() {
    if (this.parentNode) {
      const siblings = this.parentNode.children;
      siblings.splice(siblings.indexOf(this), 1);
      this.parentNode = null;
    }
  }

  remove() { this.detach(); }

  append(...nodes) {
    for (const node of nodes) {
      node.detach();
      node.parentNode = this;
      this.children.push(node);
    }
  }

  insertAt(offset, node) {
    if (!this.parentNode) throw new Error('fake DOM: no parent');
    node.detach();
    const siblings = this.parentNode.children;
    siblings.splice(siblings.indexOf(this) + offset, 0, node);
    node.parentNode = this.parentNode;
  }

  before(node) { this.insertAt(0, node); }
  after(node) { this.insertAt(1, node); }

  replaceWith(node) {
    this.insertAt(0, node);
    this.detach();
  }

  cloneNode(deep = false) {
    const copy = this.ownerDocument.createElement(this.localName);
    for (const [k, v] of this.attrs) copy.setAttribute(k, v);
    copy.ownText = this.ownText;
    if (deep) for (const child of this.children) copy.append(child.cloneNode(true));
    return copy;
  }

  *descendants() {
    for (const child of this.children) {
      yield child;
      yield* child.descendants();
    }
  }

  querySelectorAll(selector) { return [...this.descendants()].filter((el) => matches(el, selector)); }
  querySelector(selector) { return this.querySelectorAll(selector)[0] ?? null; }
}

export class FakeWindow extends FakeEventTarget {
  constructor() {
    super();
    this.defined = new Set(); // custom element names the "library" has defined
    this.customElements = { get: (name) => (this.defined.has(name) ? class {} : undefined) };
    this.CustomEvent = CustomEvent;
    this.console = { warn() {}, error() {}, info() {} };
  }
}

export class FakeDocument extends FakeEventTarget {
  constructor() {
    super();
    this.defaultView = new FakeWindow();
    this.visibilityState = 'visible';
    this.readyState = 'complete';
    this.documentElement = this.createElement('html');
    this.head = this.createElement('head');
    this.body = this.createElement('body');
    this.documentElement.append(this.head, this.body);
  }

  parentForEvents() { return this.defaultView; }
  createElement(name) { return new FakeElement(this, name); }
  querySelectorAll(selector) {
    return [this.documentElement, ...this.documentElement.descendants()].filter((el) => matches(el, selector));
  }
  querySelector(selector) { return this.querySelectorAll(selector)[0] ?? null; }
  getElementById(id) { return this.querySelector(`#${id}`); }
}

/** Build an element tree: h(doc, 'tag', {attr: value}, ...children). */
export function h(doc, tag, attrs = {}, ...children) {
  const el = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, v);
  for (const child of children) {
    if (typeof child === 'string') el.ownText += child;
    else el.append(child);
  }
  return el;
}

/** Everything a user or assistive technology could read: all text, in document order. */
export function allText(doc) {
  return doc.documentElement.textContent;
}

// Let every pending promise continuation run (a macrotask turn drains the microtask queue).
export const flush = () => new Promise((resolve) => setImmediate(resolve));

/** Flush until `check()` holds (e.g. a module loaded with import()); fails after `tries` rounds. */
export async function until(check, what = 'the condition', tries = 200) {
  for (let i = 0; i < tries; i += 1) {
    if (check()) return;
    await flush();
  }
  throw new Error(`${what} never held`);
}

/** A manual clock: timers run only when the test advances time. */
export class FakeClock {
  constructor(start = 1_700_000_000_000) {
    this.t = start;
    this.timers = new Map();
    this.nextId = 1;
    this.now = () => this.t;
    this.setTimeout = (fn, ms = 0) => {
      const id = this.nextId++;
      this.timers.set(id, { fn, at: this.t + Math.max(0, ms) });
      return id;
    };
    this.clearTimeout = (id) => { this.timers.delete(id); };
  }

  /** Advance time, running due timers in order and letting promises settle in between. */
  async advance(ms) {
    const target = this.t + ms;
    await flush();
    // A timer that keeps rescheduling itself at "now" would spin forever: fail instead.
    for (let runs = 0; ; runs += 1) {
      if (runs > 10_000) throw new Error('FakeClock: more than 10000 timers in one advance (spinning?)');
      let next = null;
      for (const [id, timer] of this.timers) {
        if (timer.at <= target && (!next || timer.at < next[1].at)) next = [id, timer];
      }
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      next[1].fn();
      await flush();
    }
    this.t = target;
    await flush();
  }

  /** Move the clock without running timers (a throttled background tab). */
  jump(ms) { this.t += ms; }
}

/**
 * A scripted fetch. `respond(call)` returns {status, body} | 'network' | a Promise of those;
 * every call is recorded with its parsed JSON body.
 */
export function scriptedFetch(respond) {
  const calls = [];
  const fetch = async (url, init = {}) => {
    const call = { url, init, body: init.body ? JSON.parse(init.body) : null };
    calls.push(call);
    const spec = await respond(call, calls.length);
    if (spec === 'network') throw new TypeError('Failed to fetch');
    return {
      ok: spec.status >= 200 && spec.status < 300,
      status: spec.status,
      json: async () => {
        if (typeof spec.body === 'string') return JSON.parse(spec.body);
        return spec.body;
      },
    };
  };
  fetch.calls = calls;
  return fetch;
}

/** A promise with its resolve exposed, to hold a fetch in flight. */
export function deferred() {
  let resolve;
  const promise = new Promise((r) => { resolve = r; });
  return { promise, resolve };
}

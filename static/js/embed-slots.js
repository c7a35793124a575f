// The Tableau web components of one embed page, one "slot" each: the component's current
// element (replaced by a clone on every re-render), its phase, its action budget, the polite
// status element before it and, after FAIL, the error panel. Text goes in through textContent,
// styles through CSSOM (strict CSP: no innerHTML, no inline styles).

import { IFRAME_AUTH, LOGIN, RETRY } from './load-errors.js';
import { cloneForRerender } from './component-clone.js';

export const COMPONENT_SELECTOR = 'tableau-viz, tableau-authoring-viz, tableau-pulse';
export const COMPONENT_KINDS = Object.freeze({
  'tableau-viz': 'viz',
  'tableau-authoring-viz': 'authoring',
  'tableau-pulse': 'pulse',
});
export const LOADING_TEXT = 'Loading Tableau content…';

/** The status element before `el`: the one a previous wiring left, else a new one. */
function statusElementFor(el, doc) {
  const prev = el.previousElementSibling;
  if (prev && prev.classList && prev.classList.contains('embed-status')) return prev;
  const status = doc.createElement('p');
  status.className = 'embed-status';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  el.before(status);
  return status;
}

/**
 * Show `phase` (loading, retrying, iframe-auth, login, ready, failed) on the component and its
 * status element, with `text` for the user (none: the status element is hidden).
 */
export function setStatus(slot, phase, text) {
  slot.phase = phase;
  slot.el.dataset.embedStatus = phase;
  slot.status.dataset.state = phase; // styling hook (app.css: the loading spinner)
  slot.status.textContent = text;
  slot.status.hidden = !text;
}

function createSlot(el, doc) {
  const slot = {
    kind: COMPONENT_KINDS[el.localName],
    el,
    status: statusElementFor(el, doc),
    panel: null,
    phase: 'loading',
    busy: false,
    // A component that starts with iframe-auth has had that action already.
    attempts: { [RETRY]: 0, [IFRAME_AUTH]: el.hasAttribute('iframe-auth') ? 1 : 0, [LOGIN]: 0 },
    token: el.getAttribute('token'),
  };
  setStatus(slot, 'loading', LOADING_TEXT);
  return slot;
}

function removePanel(slot) {
  if (slot.panel) slot.panel.remove();
  slot.panel = null;
}

/** The component rendered: status cleared, error panel gone, the component shown again. */
export function showReady(slot) {
  if (slot.phase === 'failed') {
    // Only the watchdogs fail a component that can still render (a late library, a slow view).
    slot.el.hidden = false;
    slot.el.style.display = '';
  }
  setStatus(slot, 'ready', '');
  removePanel(slot);
}

/**
 * Hide the component and show an error panel (`role="alert"`) after its status element:
 * `message` and the `extra` nodes for the user and, on debug pages, `detailRows` ([label, value]
 * pairs) for integrators.
 */
export function showFailurePanel(slot, doc, message, detailRows = null, extra = []) {
  setStatus(slot, 'failed', '');
  slot.el.hidden = true;
  slot.el.style.display = 'none';
  removePanel(slot);
  const panel = doc.createElement('div');
  panel.className = 'embed-error';
  panel.setAttribute('role', 'alert');
  const p = doc.createElement('p');
  p.textContent = message;
  panel.append(p, ...extra);
  if (detailRows) panel.append(detailList(doc, detailRows));
  slot.status.after(panel);
  slot.panel = panel;
}

/** A `<dl class="embed-error-detail">` of the rows that have a value. */
function detailList(doc, rows) {
  const dl = doc.createElement('dl');
  dl.className = 'embed-error-detail';
  for (const [label, value] of rows) {
    if (value === '' || value === null) continue;
    const dt = doc.createElement('dt');
    dt.textContent = label;
    const dd = doc.createElement('dd');
    dd.textContent = String(value);
    dl.append(dt, dd);
  }
  return dl;
}

/** Integrator-facing detail of a FAIL decision (debug pages only, data-debug="true"). */
export function failureDetailRows(decision) {
  const e = decision.entry;
  return [
    ['Code', e.code ?? e.errorCode ?? ''],
    ['Name', e.name ?? ''],
    ['Summary', e.summary ?? ''],
    ['Resolution', e.resolution ?? ''],
    ['Why this action', decision.reason],
  ];
}

/**
 * After a token refresh, components not rendered yet (`isDefined(el)` false: the library has not
 * defined their element, e.g. it is still loading from the Tableau server) take the fresh token in
 * place: nothing renders until the element is defined, so this costs no re-render. Defined
 * components are left alone, since changing `token` renders again (architecture.md); a later
 * re-render (retry, iframe-auth) takes the current token, and one that fails on an expired token
 * (16) is retried with it without another request (TokenStore.freshFor). Returns how many took it.
 */
export function giveTokenToUnrendered(slots, token, isDefined) {
  let updated = 0;
  for (const slot of slots) {
    if (slot.phase === 'loading' && slot.token && slot.token !== token && !isDefined(slot.el)) {
      slot.el.setAttribute('token', token);
      slot.token = token;
      updated += 1;
    }
  }
  return updated;
}

/**
 * The slots of one page, one per component element, each with its status element shown.
 * `onRender(slot)` runs after each re-render (the first-interactive watchdog restarts).
 */
export class EmbedSlots {
  constructor(elements, doc, { onRender = () => {} } = {}) {
    this.onRender = onRender;
    this.byElement = new WeakMap();
    this.list = elements.map((el) => {
      const slot = createSlot(el, doc);
      this.byElement.set(el, slot);
      return slot;
    });
  }

  /** The slot whose current element is `target`; null for other elements (foreign, or replaced). */
  forTarget(target) {
    const slot = this.byElement.get(target);
    return slot && slot.el === target ? slot : null;
  }

  readyCount() {
    return this.list.filter((s) => s.phase === 'ready').length;
  }

  /** Render the component again as a clone (component-clone.js) with `token` and iframe-auth as asked. */
  rerender(slot, { token, iframeAuth = false }) {
    const old = slot.el;
    const fresh = cloneForRerender(old, { token, iframeAuth });
    this.byElement.delete(old);
    this.byElement.set(fresh, slot);
    old.replaceWith(fresh);
    slot.el = fresh;
    slot.token = token || null;
    fresh.dataset.embedStatus = slot.phase;
    this.onRender(slot);
  }

  /**
   * Route `firstinteractive` and `vizloaderror` of the current elements to the handlers; returns
   * the function that stops listening. Caught on the container in the capture phase: that sees
   * them whether or not a library version makes them bubble, needs no re-listening when a
   * component is replaced by its clone, and a replaced (detached) element can no longer reach
   * the container.
   */
  listen(container, { onReady, onLoadError }) {
    const onComponentEvent = (event) => {
      const slot = this.forTarget(event.target);
      if (!slot) return;
      if (event.type === 'firstinteractive') onReady(slot);
      else onLoadError(slot, event);
    };
    container.addEventListener('firstinteractive', onComponentEvent, true);
    container.addEventListener('vizloaderror', onComponentEvent, true);
    return () => {
      container.removeEventListener('firstinteractive', onComponentEvent, true);
      container.removeEventListener('vizloaderror', onComponentEvent, true);
    };
  }
}

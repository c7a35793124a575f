// What an embed page records for tests, the failure lab and integrators (docs/error-handling.md,
// "What the page records"): data-* attributes on the container, bubbling `embed:*` events, and
// on debug pages console warnings. Tokens never appear here: events carry expiry times only.

import { describeForIntegrator } from './load-errors.js';

/**
 * The recorder of one `[data-embed-page]` container. `EventCtor` is the page's CustomEvent;
 * `log` is a console (debug pages) or null.
 */
export function createEmbedReport(container, EventCtor, log) {
  const ds = container.dataset;
  const emit = (type, detail) => container.dispatchEvent(new EventCtor(type, { bubbles: true, detail }));

  return {
    /** An action decided for a component: data-embed-last-*, data-embed-actions, `embed:action`. */
    action(slot, decision) {
      recordAction(ds, decision);
      emit('embed:action', actionDetail(slot, decision));
      if (log) log.warn(`embed: ${decision.reason}\n${describeForIntegrator(decision.entry)}`);
    },

    /** A component fired `firstinteractive`; `readyCount` is how many have so far. */
    ready(slot, readyCount) {
      ds.embedReady = String(readyCount);
      emit('embed:ready', { component: slot.kind, id: slot.el.id || null });
    },

    /** A token request failed (`reason`: where it was made); the status, never the body. */
    tokenFailed(reason, err) {
      ds.embedTokenError = err.status ? String(err.status) : 'network';
      emit('embed:token', { ok: false, reason, status: err.status ?? null });
      if (log) log.warn(`embed: ${err.message}`);
    },

    /** A token arrived: its expiry (epoch ms), counted; the previous failure is over. */
    tokenStored(expiresAt) {
      ds.expiresAt = String(Math.floor(expiresAt / 1000));
      ds.embedTokenRefreshes = String(Number(ds.embedTokenRefreshes || 0) + 1);
      delete ds.embedTokenError;
    },

    /** Announce a stored token; `updated`: components that took it in place. */
    tokenAnnounced(expiresAt, updated) {
      emit('embed:token', { ok: true, expiresAt: Math.floor(expiresAt / 1000), updated });
    },

    /** Debug log for a failure in the page's own handling (not a Tableau load error). */
    internalError(what, err) {
      if (log) log.error(`embed: ${what} failed`, err.message);
    },
  };
}

/** data-embed-last-action, data-embed-last-code, and `ACTION:code` appended to data-embed-actions. */
function recordAction(ds, decision) {
  const tag = decision.code ?? decision.errorCode ?? '-';
  ds.embedLastAction = decision.action;
  ds.embedLastCode = String(tag);
  const logSoFar = ds.embedActions;
  ds.embedActions = (logSoFar ? `${logSoFar} ` : '') + `${decision.action}:${tag}`;
}

/** `embed:action` detail: the decision without its catalogue entry, plus which component. */
function actionDetail(slot, decision) {
  return {
    action: decision.action,
    code: decision.code,
    errorCode: decision.errorCode,
    name: decision.entry ? decision.entry.name ?? null : null,
    attempt: decision.attempt,
    component: slot.kind,
    id: slot.el.id || null,
    reason: decision.reason,
  };
}

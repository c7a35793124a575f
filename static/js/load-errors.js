// Pure functions for Tableau `vizloaderror` handling: parse the event detail, map it to an
// action with the error-code catalogue (tableau_rules/catalogue.json, served by the host), and
// compute retry delays. No DOM access, so node can import and test this module directly.
//
// Sources: the Embedding API `VizLoadError` event and "Authentication and Embedding" (take action
// depending on the connected-app error code; `unknown-auth-error` -> iframe-auth; other load
// errors -> remove the token so Tableau's sign-in shows); codes and resolutions from "Troubleshoot
// Connected Apps" and "Register EAS to Enable SSO for Embedded Content".

export const RETRY = 'RETRY';
export const IFRAME_AUTH = 'IFRAME_AUTH';
export const LOGIN = 'LOGIN';
export const FAIL = 'FAIL';
export const ACTIONS = Object.freeze([RETRY, IFRAME_AUTH, LOGIN, FAIL]);
const BY_CODE = 'BY_CODE';

// When several codes arrive in one answer, the most severe wins: a fresh token only helps when
// every reported problem is one a fresh token fixes.
const SEVERITY = Object.freeze({ [RETRY]: 0, [IFRAME_AUTH]: 1, [LOGIN]: 2, [FAIL]: 3 });

// Why a load error the catalogue cannot place still gets LOGIN by default.
const REMOVE_TOKEN_RULE = '"Authentication and Embedding" removes the token for other load errors.';

// Used only when the page carries no (valid) catalogue: exactly the example handler of
// "Authentication and Embedding" (unknown-auth-error -> iframe-auth, anything else -> remove the
// token), with no retries. The real mapping lives in catalogue.json; this keeps a broken page from
// looping or going blank.
export const MINIMAL_CATALOGUE = Object.freeze({
  schemaVersion: 1,
  actions: {
    RETRY: { message: 'This view could not be loaded. Trying again…' },
    IFRAME_AUTH: { message: 'This view could not be loaded directly. Trying another way to sign in…' },
    LOGIN: { message: 'This view could not be loaded with your current sign-in. Please sign in to Tableau to see it.' },
    FAIL: { message: 'This view could not be loaded. Please try again later or contact your administrator.' },
  },
  retry: { maxAttempts: 0, baseDelayMs: 500, maxDelayMs: 8000 },
  fallback: { RETRY: LOGIN, IFRAME_AUTH: LOGIN, LOGIN: FAIL },
  defaults: { unknownCode: LOGIN, noCode: LOGIN, serverError: LOGIN, unknownErrorCode: LOGIN },
  loadErrors: {
    'auth-failed': { action: BY_CODE, summary: 'The sign-in request was answered with an error.' },
    'unknown-auth-error': { action: IFRAME_AUTH, summary: 'The sign-in request itself failed.' },
  },
  codes: {},
});

function tryJSON(value) {
  // Each level of the detail may be a JSON string, an already-parsed object, or plain text.
  if (value !== null && typeof value === 'object') return value;
  if (typeof value !== 'string') return null;
  try {
    const parsed = JSON.parse(value);
    return parsed !== null && typeof parsed === 'object' ? parsed : null;
  } catch {
    return null;
  }
}

function toInteger(value) {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value.trim());
  return null;
}

/**
 * Parse a `vizloaderror` event detail.
 * detail = {errorCode: "auth-failed", message: '{"statusCode": 401, "errorMessage": "<body>"}'}
 * where <body> is '{"result": {"errors": [{"code": 10091}]}}'. Any level may be missing or not
 * JSON; the error code lives in the detail, never in the parsed message.
 * @returns {{errorCode: string|null, statusCode: number|null, codes: number[], raw: unknown}}
 */
export function parseLoadError(detail) {
  const d = detail !== null && typeof detail === 'object' ? detail : {};
  const errorCode = typeof d.errorCode === 'string' && d.errorCode ? d.errorCode : null;
  const outer = tryJSON(d.message);
  const statusCode = outer ? toInteger(outer.statusCode) : null;
  const body = outer ? tryJSON(outer.errorMessage) : null;
  const errors = body && body.result && Array.isArray(body.result.errors) ? body.result.errors : [];
  const codes = [];
  for (const err of errors) {
    const code = err && typeof err === 'object' ? toInteger(err.code) : null;
    if (code !== null && !codes.includes(code)) codes.push(code);
  }
  return { errorCode, statusCode, codes, raw: detail };
}

/** Settings for retries from the catalogue (`retry`), with safe defaults. */
export function retrySettings(catalogue) {
  const r = (catalogue && catalogue.retry) || {};
  const int = (v, dflt) => (Number.isInteger(v) && v >= 0 ? v : dflt);
  return {
    maxAttempts: int(r.maxAttempts, 0),
    baseDelayMs: int(r.baseDelayMs, 500),
    maxDelayMs: int(r.maxDelayMs, 8000),
  };
}

/**
 * `catalogue` with `fallback.RETRY` set to `action` when it is FAIL or LOGIN (the page's
 * data-retry-fallback, from the host's TOKEN_RETRIES_EXHAUSTED); unchanged otherwise.
 */
export function withRetryFallback(catalogue, action) {
  if (action !== FAIL && action !== LOGIN) return catalogue;
  return { ...catalogue, fallback: { ...catalogue.fallback, [RETRY]: action } };
}

/** How many times an action may be applied to one component before its fallback takes over. */
export function budgetFor(action, catalogue) {
  if (action === RETRY) return retrySettings(catalogue).maxAttempts;
  if (action === FAIL) return Infinity;
  // Setting iframe-auth twice or removing an absent token changes nothing: once each.
  return 1;
}

function attemptsOf(state, action) {
  if (typeof state === 'number') return action === RETRY ? state : 0; // shorthand: RETRY count
  const attempts = (state && state.attempts) || {};
  const n = attempts[action];
  return Number.isInteger(n) && n > 0 ? n : 0;
}

function codeEntry(catalogue, code) {
  const e = catalogue.codes && catalogue.codes[String(code)];
  return e ? { code, ...e } : null;
}

/** True for an HTTP 5xx status: the server failed, whatever the request carried. */
function isServerError(statusCode) {
  return Number.isInteger(statusCode) && statusCode >= 500 && statusCode <= 599;
}

function unknownEntry(parsed, code, action, why, summary = null) {
  return {
    code,
    errorCode: parsed.errorCode,
    name: 'UNKNOWN',
    summary: summary ?? (code === null ? 'No connected-app code in the error' : `Code ${code} is not in the catalogue`),
    resolution: 'See Troubleshoot Connected Apps and the browser developer tools.',
    action,
    why,
  };
}

/**
 * A sign-in answered with a 5xx and no connected-app code: Tableau (or a proxy before it) is
 * failing, not the user's sign-in, so Tableau's sign-in page (the `noCode` default) would fail
 * too. `defaults.serverError` (RETRY in the shipped catalogue: bounded, then its fallback).
 */
function decideServerError(parsed, defaults) {
  const action = defaults.serverError || LOGIN;
  const status = parsed.statusCode;
  const why = 'A server error without a code is an outage, not a sign-in problem: try again, bounded.';
  const summary = `The sign-in request was answered with HTTP ${status} and no connected-app code`;
  return {
    action,
    entry: unknownEntry(parsed, null, action, why, summary),
    code: null,
    reason: `no connected-app code, HTTP ${status} -> ${action}`,
  };
}

function decideByCode(parsed, catalogue) {
  const defaults = catalogue.defaults || {};
  const known = parsed.codes.map((c) => codeEntry(catalogue, c)).filter(Boolean);
  if (known.length) {
    known.sort((a, b) => (SEVERITY[b.action] ?? 3) - (SEVERITY[a.action] ?? 3));
    const entry = known[0];
    return { action: entry.action, entry, code: entry.code, reason: `code ${entry.code} ${entry.name} -> ${entry.action}` };
  }
  if (parsed.codes.length) {
    const action = defaults.unknownCode || LOGIN;
    const code = parsed.codes[0];
    const why = `Not in the catalogue: ${REMOVE_TOKEN_RULE}`;
    return { action, entry: unknownEntry(parsed, code, action, why), code, reason: `unknown code ${code} -> ${action}` };
  }
  if (isServerError(parsed.statusCode)) return decideServerError(parsed, defaults);
  const action = defaults.noCode || LOGIN;
  const why = `No code to act on: ${REMOVE_TOKEN_RULE}`;
  return { action, entry: unknownEntry(parsed, null, action, why), code: null, reason: `no connected-app code -> ${action}` };
}

function decide(parsed, catalogue) {
  const loadErrors = catalogue.loadErrors || {};
  const le = parsed.errorCode !== null ? loadErrors[parsed.errorCode] : undefined;
  if (le && le.action !== BY_CODE) {
    const entry = { errorCode: parsed.errorCode, ...le };
    return { action: le.action, entry, code: null, reason: `errorCode ${parsed.errorCode} -> ${le.action}` };
  }
  // auth-failed (BY_CODE), or an errorCode we do not know that still carries connected-app codes.
  if (le || parsed.codes.length) return decideByCode(parsed, catalogue);
  const action = (catalogue.defaults && catalogue.defaults.unknownErrorCode) || LOGIN;
  const why = `Unknown load error: ${REMOVE_TOKEN_RULE}`;
  return {
    action,
    entry: unknownEntry(parsed, null, action, why),
    code: null,
    reason: `errorCode ${parsed.errorCode ?? '(none)'} not in the catalogue -> ${action}`,
  };
}

/**
 * Choose what to do about a parsed load error.
 * state: {attempts: {RETRY: n, IFRAME_AUTH: n, LOGIN: n}} already applied to this component (or a
 * number, the RETRY count). An action whose budget is spent gives way to its `fallback`
 * (RETRY -> FAIL in the shipped catalogue: a plain message, not Tableau's password form); FAIL
 * always ends the chain.
 * @returns {{action: string, entry: object, reason: string, code: number|null,
 *            errorCode: string|null, attempt: number}}
 */
export function actionFor(parsed, catalogue, state = {}) {
  const cat = catalogue && typeof catalogue === 'object' ? catalogue : MINIMAL_CATALOGUE;
  const p = parsed && Array.isArray(parsed.codes) ? parsed : parseLoadError(parsed);
  const first = decide(p, cat);
  let action = ACTIONS.includes(first.action) ? first.action : FAIL;
  let reason = first.reason;
  const seen = new Set();
  while (action !== FAIL) {
    const used = attemptsOf(state, action);
    const budget = budgetFor(action, cat);
    if (used < budget) break;
    seen.add(action);
    let next = (cat.fallback && cat.fallback[action]) || FAIL;
    if (!ACTIONS.includes(next) || seen.has(next)) next = FAIL; // never loop on a bad catalogue
    reason += `; ${action} budget spent (${used}/${budget}) -> ${next}`;
    action = next;
  }
  return {
    action,
    entry: first.entry,
    reason,
    code: first.code,
    errorCode: p.errorCode,
    attempt: attemptsOf(state, action) + 1,
  };
}

/**
 * Delay before retry number `attempt` (1-based): exponential backoff with full jitter,
 * uniform in [0, min(maxDelayMs, baseDelayMs * 2^(attempt-1))). Jitter spreads the refreshes of
 * several components (and several tabs) so they do not hit the token API in step.
 */
export function backoffDelay(attempt, random = Math.random, { baseDelayMs = 500, maxDelayMs = 8000 } = {}) {
  const n = Number.isFinite(attempt) && attempt >= 1 ? Math.floor(attempt) : 1;
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(n - 1, 30));
  let r = Number(random());
  if (!(r >= 0)) r = 0; // NaN or negative
  if (r >= 1) r = 1 - Number.EPSILON;
  return Math.floor(r * ceiling);
}

/** The plain, user-facing message for an action (never codes or resolutions). */
export function messageFor(action, catalogue) {
  const actions = (catalogue && catalogue.actions) || MINIMAL_CATALOGUE.actions;
  const spec = actions[action] || actions[FAIL] || MINIMAL_CATALOGUE.actions[FAIL];
  return spec.message;
}

/** Integrator-facing text for a catalogue entry (debug panel, console), from
 * Troubleshoot Connected Apps, Register EAS to Enable SSO for Embedded Content and
 * Authentication and Embedding. */
export function describeForIntegrator(entry) {
  if (!entry || typeof entry !== 'object') return 'No catalogue entry for this error.';
  const head =
    entry.code !== undefined && entry.code !== null
      ? `Tableau error ${entry.code} ${entry.name || 'UNKNOWN'}`
      : `Load error "${entry.errorCode || 'unknown'}"`;
  const lines = [entry.summary ? `${head}: ${entry.summary}` : head];
  if (entry.resolution) lines.push(`Resolution: ${entry.resolution}`);
  if (Array.isArray(entry.sources) && entry.sources.length) lines.push(`Documented in: ${entry.sources.join(', ')}`);
  if (entry.action) lines.push(`Action: ${entry.action}` + (entry.why ? ` (${entry.why})` : ''));
  return lines.join('\n');
}

/** The catalogue if it has the catalogue's shape; MINIMAL_CATALOGUE when absent or broken. */
export function catalogueFrom(value) {
  if (value && typeof value === 'object' && value.codes && typeof value.codes === 'object' && value.actions) return value;
  return MINIMAL_CATALOGUE;
}

/** Parse the catalogue JSON embedded in the page; MINIMAL_CATALOGUE when absent or broken. */
export function catalogueFromJSON(text) {
  return catalogueFrom(tryJSON(typeof text === 'string' ? text : null));
}

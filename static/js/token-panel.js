// The token panel (TOKEN_PANEL; docs/error-handling.md, "The token panel"): what went into the
// page's JWT, for demos and integrators, without devtools. It decodes the header and claims of
// the token the page already holds (never the signature, which is never written anywhere), counts
// down to its expiry, marks which component scopes the token carries, and logs each refresh as the
// token store gets it. The server renders the panel's frame (trust, scopes per component); this
// module fills it in. Text goes in through textContent only (strict CSP).

const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf']);
const TICK_MS = 1_000;

/** base64url text to a string (UTF-8); null when it is not base64url. */
function base64urlDecode(part) {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return null;
  const b64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  try {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  } catch {
    return null;
  }
}

function jsonObject(text) {
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * The header and claims of a compact JWT, unverified (display only); null when it is not one.
 * The third part, the signature, is never read.
 */
export function decodeJwt(token) {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3) return null;
  const header = jsonObject(base64urlDecode(parts[0]) ?? '');
  const claims = jsonObject(base64urlDecode(parts[1]) ?? '');
  return header && claims ? { header, claims } : null;
}

/** "4:05 left" / "expired 0:12 ago" for `ms` until expiry. */
export function formatTimeLeft(ms) {
  const total = Math.floor(Math.abs(ms) / 1000);
  const text = `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
  return ms >= 0 ? `${text} left` : `expired ${text} ago`;
}

/** Epoch milliseconds as "HH:MM:SS UTC" (JWT times are UTC; a host clock off UTC gives code 16). */
export function utcTime(ms) {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

/** A claim's value as shown: JSON for lists and objects, the UTC time after epoch seconds. */
export function claimText(name, value) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (TIME_CLAIMS.has(name) && Number.isFinite(value)) return `${text} (${utcTime(value * 1000)})`;
  return text;
}

function row(doc, cells) {
  const tr = doc.createElement('tr');
  cells.forEach((text, i) => {
    const cell = doc.createElement(i === 0 ? 'th' : 'td');
    if (i === 0) cell.setAttribute('scope', 'row');
    cell.textContent = text;
    tr.append(cell);
  });
  return tr;
}

/** Fill `table` (its tbody when it has one) with one row per entry of `object`. */
function fillTable(doc, table, object) {
  const body = table.querySelector('tbody') ?? table;
  body.textContent = '';
  for (const [name, value] of Object.entries(object)) body.append(row(doc, [name, claimText(name, value)]));
}

/** Mark each server-rendered scope row: are the scopes its component needs all in `scp`? */
function checkScopes(panel, scp) {
  const granted = Array.isArray(scp) ? scp : [];
  for (const tr of panel.querySelectorAll('tr[data-scopes]')) {
    const needed = tr.getAttribute('data-scopes').split(/\s+/).filter(Boolean);
    const missing = needed.filter((s) => !granted.includes(s));
    const cell = tr.querySelector('[data-scope-check]');
    if (!cell) continue;
    cell.dataset.ok = String(missing.length === 0);
    cell.textContent = missing.length ? `missing ${missing.join(', ')}` : 'in the token';
  }
}

/**
 * Fill the panel from the page's token store and keep it current. deps: {tokens
 * (createTokenStore), timers (createPageTimers), now, container (its `embed:token` failures are
 * logged too)}. Returns the function that stops it.
 */
export function wireTokenPanel(panel, { tokens, timers, now, container }) {
  const doc = panel.ownerDocument;
  const find = (name) => panel.querySelector(`[data-token-${name}]`);
  let decoded = null;

  const log = (kind, text) => {
    const list = find('log');
    if (!list) return;
    const item = doc.createElement('li');
    item.dataset.kind = kind;
    item.textContent = `${utcTime(now())}  ${text}`;
    list.append(item);
  };

  const show = (token, how) => {
    decoded = decodeJwt(token);
    if (!decoded) {
      log('fail', `${how}: not a JWT this panel can read`);
      return;
    }
    const { header, claims } = decoded;
    fillTable(doc, find('header'), header);
    fillTable(doc, find('claims'), claims);
    checkScopes(panel, claims.scp);
    const alg = find('alg');
    if (alg) alg.textContent = String(header.alg ?? '?');
    const jti = typeof claims.jti === 'string' ? `jti ${claims.jti.slice(0, 8)}…, ` : '';
    const exp = Number.isFinite(claims.exp) ? `expires ${utcTime(claims.exp * 1000)}` : 'no exp';
    log('token', `${how}: ${jti}${exp}`);
    tick();
  };

  const tick = () => {
    const left = find('left');
    const exp = decoded && decoded.claims.exp;
    if (left) left.textContent = Number.isFinite(exp) ? formatTimeLeft(exp * 1000 - now()) : 'no expiry';
    if (left) left.dataset.expired = String(Number.isFinite(exp) && exp * 1000 <= now());
  };

  let timer = null;
  const loop = () => {
    tick();
    timer = timers.later(loop, TICK_MS);
  };

  const onFailure = (event) => {
    const d = event.detail || {};
    if (d.ok === false) log('fail', `token request failed (${d.reason}, HTTP ${d.status ?? 'network'})`);
  };

  let refreshes = 0;
  const stopRefresh = tokens.onRefresh(({ token }) => {
    refreshes += 1;
    show(token, `refresh ${refreshes} from the token API`);
  });
  container.addEventListener('embed:token', onFailure);
  const initial = tokens.current().token;
  if (initial) show(initial, 'token the page loaded with');
  else log('fail', 'the page has no token');
  loop();
  panel.dataset.tokenPanelWired = 'true';

  return () => {
    stopRefresh();
    container.removeEventListener('embed:token', onFailure);
    if (timer !== null) timers.cancel(timer);
    delete panel.dataset.tokenPanelWired;
  };
}

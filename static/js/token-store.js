// The page's one JWT and the request that replaces it ("Authentication and Embedding": use the same
// JWT for all embedded components on a page). No DOM: the token API call follows docs/architecture.md,
// "Host browser contract". Tokens never appear in error messages, only in the store's state.

/** A failed token API call. Carries the HTTP status, never the response body or a token. */
export class TokenError extends Error {
  constructor(message, status = null) {
    super(message);
    this.name = 'TokenError';
    this.status = status;
  }
}

/** POST the page's component kinds to the token API; a network failure becomes a TokenError. */
async function postTokenRequest(fetch, url, csrfToken, components) {
  try {
    return await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRFToken': csrfToken },
      body: JSON.stringify({ components }),
    });
  } catch {
    throw new TokenError('token request failed (network)');
  }
}

/** `{token, expiresAt}` (epoch ms) from a token API answer, or a TokenError naming what is wrong. */
async function tokenFromResponse(response) {
  if (!response.ok) throw new TokenError(`token request refused (HTTP ${response.status})`, response.status);
  let data;
  try {
    data = await response.json();
  } catch {
    throw new TokenError('token response is not JSON', response.status);
  }
  if (!data || typeof data.token !== 'string' || !data.token || !Number.isFinite(data.expires_at)) {
    throw new TokenError('token response lacks token/expires_at', response.status);
  }
  return { token: data.token, expiresAt: data.expires_at * 1000 };
}

/**
 * The page's single token and its refresh. At most one request is in flight: concurrent callers
 * share it, so N components failing together cause one refresh, not N.
 */
export function createTokenStore({ url, csrfToken = '', components = [], token = null, expiresAt = NaN, fetch, now }) {
  let state = { token, expiresAt };
  let inflight = null;
  let lastAttemptAt = -Infinity;
  const listeners = new Set();

  async function request() {
    lastAttemptAt = now();
    const response = await postTokenRequest(fetch, url, csrfToken, components);
    state = await tokenFromResponse(response);
    for (const fn of listeners) fn(state);
    return state;
  }

  return {
    current: () => state,
    /** When the latest request started (success or failure); -Infinity before the first. */
    lastAttemptAt: () => lastAttemptAt,
    /** True when the token is expired, or will be within `leadMs`. Unknown expiry: false. */
    isExpired(leadMs = 0) {
      return Number.isFinite(state.expiresAt) && now() >= state.expiresAt - leadMs;
    },
    refresh() {
      if (!inflight) inflight = request().finally(() => { inflight = null; });
      return inflight;
    },
    /**
     * A token other than `usedToken` (the one that just failed): the current one when somebody
     * already refreshed it and it is still valid, else a refresh (shared if one is in flight).
     */
    async freshFor(usedToken) {
      if (state.token && state.token !== usedToken && !this.isExpired()) return state.token;
      return (await this.refresh()).token;
    },
    onRefresh(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}

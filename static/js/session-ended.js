// "Your session has ended": when the token API answers 401 (signed out in another tab, the session
// expired, or the server no longer has it), no refresh can help, and the views stop working when
// their token expires. The page says so once, at the top of the container, with a link to sign in
// again that brings the user back to this page (login?next=<this page>&reason=session-ended).
// It goes away when a token arrives after all (the user signed in again in another tab).

export const SESSION_ENDED_STATUS = 401;
export const SESSION_ENDED_MESSAGE = 'Your session has ended.';
export const SIGN_IN_AGAIN = 'Sign in again';
export const SESSION_ENDED_REASON = 'session-ended';

/** The sign-in URL that returns to `location` (path and query only: `next` must be local). */
export function signInAgainUrl(loginUrl, location) {
  const here = `${location.pathname || '/'}${location.search || ''}`;
  const join = loginUrl.includes('?') ? '&' : '?';
  return `${loginUrl}${join}next=${encodeURIComponent(here)}&reason=${SESSION_ENDED_REASON}`;
}

/**
 * The notice of one container. `loginUrl` (data-login-url) may be null: the notice then says to
 * sign in again without a link. Returns {show(), hide()}; show() is idempotent.
 */
export function createSessionNotice(container, { loginUrl, location }) {
  const doc = container.ownerDocument;
  let notice = null;

  function build() {
    const box = doc.createElement('div');
    box.className = 'embed-session-ended';
    box.setAttribute('role', 'alert');
    box.setAttribute('data-session-ended', '');
    const p = doc.createElement('p');
    p.textContent = `${SESSION_ENDED_MESSAGE} `;
    if (loginUrl) {
      const link = doc.createElement('a');
      link.setAttribute('href', signInAgainUrl(loginUrl, location));
      link.textContent = SIGN_IN_AGAIN;
      p.append(link);
      const rest = doc.createElement('span');
      rest.textContent = ' to come back to this page.';
      p.append(rest);
    } else {
      const rest = doc.createElement('span');
      rest.textContent = 'Sign in again, then reload this page.';
      p.append(rest);
    }
    box.append(p);
    return box;
  }

  return {
    show() {
      if (notice) return;
      notice = build();
      const first = container.children[0];
      if (first) first.before(notice);
      else container.append(notice);
    },
    hide() {
      if (!notice) return;
      notice.remove();
      notice = null;
    },
  };
}

// The page's notice when its token can no longer be renewed, so the views do not stop silently
// when their token expires. Two causes, each said once at the top of the container with a link to
// sign in again that brings the user back to this page (login?next=<this page>&reason=<cause>):
// - SESSION_ENDED: the token API answered 401 (signed out in another tab, the session expired, or
//   the server no longer has it); no refresh can help.
// - RENEWAL_FAILED: the bounded retries after any other failure (a 5xx from a slow or restarted
//   EAS, the network) are spent, or the token API refused for good (403: this page's CSRF token
//   is another session's after a sign-in in another tab); the user is told, never left silently.
// The notice carries `data-<reason>` (data-session-ended, data-renewal-failed). It goes away when
// a token arrives after all (signed in again in another tab, the server is back).

export const SESSION_ENDED_STATUS = 401;
export const SESSION_ENDED = { message: 'Your session has ended.', reason: 'session-ended' };
export const RENEWAL_FAILED = { message: 'We can’t renew your access right now.', reason: 'renewal-failed' };

/** The sign-in URL that returns to `location` (path and query only: `next` must be local), saying why. */
export function signInAgainUrl(loginUrl, location, reason) {
  const here = `${location.pathname || '/'}${location.search || ''}`;
  const join = loginUrl.includes('?') ? '&' : '?';
  return `${loginUrl}${join}next=${encodeURIComponent(here)}&reason=${reason}`;
}

/**
 * The notice of one container. `loginUrl` (data-login-url) may be null: the notice then says to
 * sign in again without a link. Returns {show(cause), hide()}: one notice at a time, for the latest
 * cause (SESSION_ENDED by default); showing the one already shown changes nothing.
 */
export function createSessionNotice(container, { loginUrl, location }) {
  const doc = container.ownerDocument;
  let notice = null;

  function build({ message, reason }) {
    const box = doc.createElement('div');
    box.className = 'embed-session-ended';
    box.setAttribute('role', 'alert');
    box.setAttribute(`data-${reason}`, '');
    const p = doc.createElement('p');
    p.textContent = `${message} `;
    if (loginUrl) {
      const link = doc.createElement('a');
      link.setAttribute('href', signInAgainUrl(loginUrl, location, reason));
      link.textContent = 'Sign in again';
      p.append(link);
    }
    const rest = doc.createElement('span');
    rest.textContent = loginUrl ? ' to come back to this page.' : 'Sign in again, then reload this page.';
    p.append(rest);
    box.append(p);
    return box;
  }

  function hide() {
    if (!notice) return;
    notice.remove();
    notice = null;
  }

  return {
    show(cause = SESSION_ENDED) {
      if (notice && notice.hasAttribute(`data-${cause.reason}`)) return;
      hide();
      notice = build(cause);
      const first = container.children[0];
      if (first) first.before(notice);
      else container.append(notice);
    },
    hide,
  };
}

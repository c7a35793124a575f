// Re-rendering a Tableau web component by replacing it with a clone (docs/error-handling.md,
// "Why clone instead of changing attributes in place"): a fresh element renders from scratch,
// whether or not a given library version re-renders on attribute changes.

/**
 * A fresh copy of `old` to render again: a shallow clone (attributes, so `id`, `src` and an
 * existing `iframe-auth` are kept) plus its configuration children (e.g. filters) but not the
 * iframe the library rendered; `token` set or, when falsy, removed; `iframe-auth` added if asked.
 */
export function cloneForRerender(old, { token, iframeAuth = false }) {
  const fresh = old.cloneNode(false);
  for (const child of Array.from(old.children)) {
    if (child.localName !== 'iframe') fresh.append(child.cloneNode(true));
  }
  if (token) fresh.setAttribute('token', token);
  else fresh.removeAttribute('token');
  if (iframeAuth) fresh.setAttribute('iframe-auth', '');
  return fresh;
}

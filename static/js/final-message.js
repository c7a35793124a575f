// The final message for a view that never became interactive (first-interactive-watchdog.js):
// which view, the likely causes, and Tableau's documented advice about third-party cookies. The
// page cannot see inside Tableau's frame (another origin), so it names every likely cause rather
// than guess. Plain words for users; the code and the fix go to the debug rows (embed-slots.js).
// Built with createElement and textContent only (strict CSP).

export const NOT_INTERACTIVE_MESSAGE = 'This view did not finish loading.';
export const LIKELY_CAUSES = Object.freeze([
  'The view’s address is wrong (for example a renamed workbook or sheet).',
  'Your account may not have permission to see this view.',
  'Your browser may be blocking Tableau’s cookies (third-party cookies).',
]);
// Tableau's "Authentication and Embedding" (Embedding API v3), its note on signing in to
// embedded content; Safari, and Chrome in some modes, block third-party cookies by default.
export const COOKIE_ADVICE_PAGE = 'Authentication and Embedding';
export const COOKIE_ADVICE =
  'For users to successfully authenticate when they access embedded content, browsers must be ' +
  'configured to allow third-party cookies.';

function element(doc, tag, className, text) {
  const el = doc.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/** The origin of `src` ("https://tableau.example.com"), or `src` itself when it is not a URL. */
function originOf(src) {
  try {
    return new URL(src).origin;
  } catch {
    return src;
  }
}

/** The view line: "View:" and the component's src. */
function viewLine(doc, src) {
  const p = element(doc, 'p', 'embed-final-view', 'View: ');
  p.append(element(doc, 'code', null, src));
  return p;
}

/** Tableau's advice about third-party cookies, with the page it comes from. */
function cookieAdvice(doc, src) {
  const box = element(doc, 'div', 'embed-cookie-advice');
  box.setAttribute('data-cookie-advice', '');
  box.append(element(doc, 'p', null, `Tableau’s advice (“${COOKIE_ADVICE_PAGE}”): ${COOKIE_ADVICE}`));
  box.append(element(doc, 'p', null,
    `Allow cookies from ${originOf(src)} in your browser’s settings, or ask your administrator.`));
  return box;
}

/** The nodes that follow NOT_INTERACTIVE_MESSAGE in the error panel: view, causes, advice. */
export function notInteractiveExplanation(doc, src) {
  const causes = element(doc, 'ul', 'embed-final-causes');
  for (const text of LIKELY_CAUSES) causes.append(element(doc, 'li', null, text));
  return [viewLine(doc, src), element(doc, 'p', null, 'Likely causes:'), causes, cookieAdvice(doc, src)];
}

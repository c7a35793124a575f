// The error catalogue a page provides as a module instead of inline (docs/error-handling.md,
// "Using the browser module in your own app"). The host serves js/error-catalogue.js at its
// versioned URL, built at start from tableau_rules/catalogue.json and cached like every other
// file; it calls provideCatalogue(), and embed-page.js, run after it, reads providedCatalogue().
// A module of its own, never bundled: both scripts must share this one instance (one URL).

let provided = null;

/** Give embed-page.js the page's catalogue: the script calling it must come before embed-page.js. */
export function provideCatalogue(catalogue) {
  provided = catalogue ?? null;
}

/** The catalogue a module provided, or null. */
export function providedCatalogue() {
  return provided;
}

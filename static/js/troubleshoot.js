// Live filter for the troubleshooting page's code tables (templates/troubleshoot.html).
// Progressive enhancement of the server-side ?q= filter: same rule (case-insensitive substring
// of the row's data-search text), no inline code (the CSP has no 'unsafe-inline'), text set
// through textContent only.

/** Whether a row's search text matches the query (an empty query matches everything). */
export function matches(searchText, query) {
  const q = query.trim().toLowerCase();
  return q === "" || searchText.includes(q);
}

/** Show the matching rows, hide the others; returns how many are shown. */
export function filterRows(rows, query) {
  let shown = 0;
  for (const row of rows) {
    const visible = matches(row.dataset.search || "", query);
    row.hidden = !visible;
    if (visible) shown += 1;
  }
  return shown;
}

function wire(doc) {
  const input = doc.querySelector("[data-troubleshoot-search]");
  const count = doc.querySelector("[data-troubleshoot-count]");
  if (!input) return;
  const rows = [...doc.querySelectorAll("tr[data-search]")];
  const update = () => {
    const shown = filterRows(rows, input.value);
    if (count) count.textContent = `${shown} shown`;
  };
  input.addEventListener("input", update);
}

if (typeof document !== "undefined") wire(document);

// Tells the embedding page that the content has rendered (docs/architecture.md, web-component
// contract: "the iframe posts a message to its parent"). The target origin is the origin that
// signed in, so no other page learns anything; "*" only for sessions made on the sign-in page.
const page = document.querySelector("[data-simulator-page]");

if (page && window.parent !== window) {
  window.parent.postMessage(
    {
      source: "tableau-simulator",
      event: "firstinteractive",
      kind: page.dataset.simulatorPage,
      name: page.dataset.contentName,
    },
    page.dataset.parentOrigin || "*",
  );
}

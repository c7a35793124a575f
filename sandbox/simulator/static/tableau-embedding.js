// The simulator's stand-in for Tableau's Embedding API v3 library (tableau.embedding.3.latest.min.js).
// It implements the web-component contract in docs/architecture.md: <tableau-viz>,
// <tableau-authoring-viz> and <tableau-pulse>, the token sign-in with `vizloaderror`, the older
// iframe-auth flow, and `firstinteractive`. No inline styles or scripts: CSSOM properties only.

export const TableauEventType = Object.freeze({
  FirstInteractive: "firstinteractive",
  VizLoadError: "vizloaderror",
});

const ATTRIBUTES = ["src", "token", "width", "height", "toolbar", "hide-tabs", "device", "iframe-auth"];
const RENDER_ATTRIBUTES = new Set(["src", "token", "iframe-auth"]);
const MESSAGE_SOURCE = "tableau-simulator";
const SIGN_IN_PATH = "/api/embed/signin";
const IFRAME_AUTH_PATH = "/embed/iframe-auth";

// Sign-ins that share a token run one after the other, so the second viz on a page presents the
// session cookie the first one received ("Authentication and Embedding": one JWT shared by all
// vizzes on a page). A chain is dropped once its last sign-in settles: a long-lived page
// refreshing its token keeps no old ones.
const signInChains = new Map();
let frameCount = 0;

function signIn(server, token, site, component) {
  const key = `${server} ${token}`;
  const previous = signInChains.get(key) || Promise.resolve();
  const attempt = previous
    .catch(() => undefined)
    .then(() =>
      fetch(server + SIGN_IN_PATH, {
        method: "POST",
        mode: "cors",
        credentials: "include",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ jwt: token, site, component }),
      }),
    );
  signInChains.set(key, attempt);
  const forget = () => {
    if (signInChains.get(key) === attempt) signInChains.delete(key);
  };
  attempt.then(forget, forget);
  return attempt;
}

// The number of tokens with a sign-in under way; for tests of the library only.
export function pendingSignIns() {
  return signInChains.size;
}

// `src` is <server>/t/<site>/views/..., <server>/views/... (default site) or
// <server>/pulse/site/<site>/metrics/<id> (docs/architecture.md, "Content URLs").
function parseSrc(src) {
  const url = new URL(src, document.baseURI);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new TypeError("not an http(s) URL");
  const match = url.pathname.match(/^\/t\/([^/]+)\//) || url.pathname.match(/^\/pulse\/site\/([^/]+)\//);
  return { url, server: url.origin, site: match ? decodeURIComponent(match[1]) : "" };
}

function cssLength(value, fallback) {
  if (!value) return fallback;
  return /^\d+(\.\d+)?$/.test(value) ? `${value}px` : value;
}

function flag(element, name) {
  return element.hasAttribute(name) && element.getAttribute(name) !== "false";
}

class TableauComponent extends HTMLElement {
  static get observedAttributes() {
    return ATTRIBUTES;
  }

  #generation = 0;
  #pending = false;
  #cleanup = () => undefined;

  get src() {
    return this.getAttribute("src") || "";
  }

  set src(value) {
    this.setAttribute("src", value);
  }

  get token() {
    return this.getAttribute("token") || "";
  }

  set token(value) {
    if (value) this.setAttribute("token", value);
    else this.removeAttribute("token");
  }

  get iframeAuth() {
    return flag(this, "iframe-auth");
  }

  set iframeAuth(value) {
    this.toggleAttribute("iframe-auth", Boolean(value));
  }

  connectedCallback() {
    this.#schedule();
  }

  disconnectedCallback() {
    this.#generation += 1;
    this.#cleanup();
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue || !this.isConnected) return;
    if (RENDER_ATTRIBUTES.has(name)) this.#schedule();
    else if (name === "width" || name === "height") this.#applySize();
  }

  // Several attributes set in one task (src then token) give one render.
  #schedule() {
    if (this.#pending) return;
    this.#pending = true;
    queueMicrotask(() => {
      this.#pending = false;
      if (this.isConnected) this.#render();
    });
  }

  #applySize() {
    this.style.display = "block";
    this.style.position = "relative";
    this.style.width = cssLength(this.getAttribute("width"), "100%");
    this.style.height = cssLength(this.getAttribute("height"), "600px");
  }

  #render() {
    this.#generation += 1;
    const generation = this.#generation;
    this.#cleanup();
    this.replaceChildren();
    this.#applySize();
    const placeholder = this.#placeholder();
    let parsed;
    try {
      parsed = parseSrc(this.src);
    } catch (error) {
      this.#loadError("invalid-url", null, String(error.message || error), placeholder);
      return;
    }
    const frame = this.#frame(parsed, placeholder, generation);
    if (this.token && this.iframeAuth) {
      this.#postTokenIntoFrame(parsed, frame);
    } else if (this.token) {
      this.#signInThenLoad(parsed, frame, placeholder, generation);
    } else {
      frame.src = this.#contentUrl(parsed);
    }
  }

  #placeholder() {
    const placeholder = document.createElement("div");
    placeholder.textContent = "Loading Tableau content…";
    placeholder.setAttribute("role", "status");
    Object.assign(placeholder.style, {
      position: "absolute",
      inset: "0",
      display: "flex",
      alignItems: "center",
      justifyContent: "center",
      background: "#f5f5f5",
      color: "#555",
      font: "14px system-ui, sans-serif",
    });
    this.append(placeholder);
    return placeholder;
  }

  // The iframe, and the listeners that hide the placeholder and fire `firstinteractive`.
  #frame(parsed, placeholder, generation) {
    const frame = document.createElement("iframe");
    frameCount += 1;
    frame.name = `tableau-simulator-frame-${frameCount}`;
    frame.title = "Tableau content";
    Object.assign(frame.style, { border: "0", width: "100%", height: "100%", display: "block" });
    let interactive = false;
    const onMessage = (event) => {
      // Only the content page in this component's own iframe, from the Tableau server's origin.
      if (event.source !== frame.contentWindow || event.origin !== parsed.server) return;
      const data = event.data;
      if (!data || data.source !== MESSAGE_SOURCE || data.event !== "firstinteractive") return;
      if (interactive || generation !== this.#generation) return;
      interactive = true;
      placeholder.remove();
      this.dispatchEvent(
        new CustomEvent(TableauEventType.FirstInteractive, { bubbles: true, composed: true, detail: {} }),
      );
    };
    // A sign-in or error page never becomes interactive, but must still be seen.
    const onLoad = () => {
      if (!isBlank(frame)) placeholder.remove();
    };
    window.addEventListener("message", onMessage);
    frame.addEventListener("load", onLoad);
    this.#cleanup = () => window.removeEventListener("message", onMessage);
    this.append(frame);
    return frame;
  }

  async #signInThenLoad(parsed, frame, placeholder, generation) {
    let response;
    let body = "";
    try {
      response = await signIn(parsed.server, this.token, parsed.site, this.#component());
      if (!response.ok) body = await response.text();
    } catch (error) {
      // The request itself failed (network, CORS), or its error body never arrived: either way the
      // page learns nothing from Tableau, so "unknown-auth-error" (Embedding API reference,
      // `VizLoadErrorEvent`).
      if (generation === this.#generation) {
        this.#loadError("unknown-auth-error", null, String(error.message || error), placeholder);
      }
      return;
    }
    if (generation !== this.#generation) return;
    if (!response.ok) {
      this.#loadError("auth-failed", response.status, body, placeholder);
      return;
    }
    frame.src = this.#contentUrl(parsed);
  }

  // "Authentication and Embedding", iframe-auth: the token travels in a POSTed form aimed at the
  // iframe, never in a URL.
  #postTokenIntoFrame(parsed, frame) {
    const form = document.createElement("form");
    form.method = "post";
    form.action = parsed.server + IFRAME_AUTH_PATH;
    form.target = frame.name;
    form.style.display = "none";
    const url = new URL(this.#contentUrl(parsed));
    const fields = {
      jwt: this.token,
      site: parsed.site,
      component: this.#component(),
      target: url.pathname + url.search,
    };
    for (const [name, value] of Object.entries(fields)) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.append(input);
    }
    this.append(form);
    form.submit();
    form.remove();
  }

  #contentUrl(parsed) {
    const url = new URL(parsed.url.href);
    url.searchParams.set(":embed", "y");
    url.searchParams.set(":toolbar", this.getAttribute("toolbar") || "top");
    url.searchParams.set(":tabs", flag(this, "hide-tabs") ? "no" : "yes");
    if (this.getAttribute("device")) url.searchParams.set(":device", this.getAttribute("device"));
    return url.href;
  }

  #component() {
    return this.constructor.component;
  }

  #loadError(errorCode, statusCode, errorMessage, placeholder) {
    placeholder.textContent = "This content could not be loaded.";
    const message = JSON.stringify({ statusCode, errorMessage });
    this.dispatchEvent(
      new CustomEvent(TableauEventType.VizLoadError, {
        bubbles: true,
        composed: true,
        detail: { errorCode, message },
      }),
    );
  }
}

function isBlank(frame) {
  try {
    return frame.contentWindow.location.href === "about:blank";
  } catch {
    return false; // cross-origin: the simulator's page has loaded
  }
}

export class TableauViz extends TableauComponent {
  static component = "viz";
}

export class TableauAuthoringViz extends TableauComponent {
  static component = "authoring";
}

export class TableauPulse extends TableauComponent {
  static component = "pulse";
}

for (const [tag, element] of [
  ["tableau-viz", TableauViz],
  ["tableau-authoring-viz", TableauAuthoringViz],
  ["tableau-pulse", TableauPulse],
]) {
  if (!customElements.get(tag)) customElements.define(tag, element);
}

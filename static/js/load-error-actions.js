// The page's response to a component's `vizloaderror` (docs/error-handling.md, "The four
// actions"): load-errors.js decides the action from the catalogue; this applies it to the slot.
// "Authentication and Embedding": `unknown-auth-error` -> iframe-auth; other load errors -> remove
// the token so Tableau's sign-in shows; the catalogue refines this per connected-app code
// ("Troubleshoot Connected Apps", "Register EAS to Enable SSO for Embedded Content").

import {
  FAIL,
  IFRAME_AUTH,
  LOGIN,
  RETRY,
  actionFor,
  backoffDelay,
  messageFor,
  parseLoadError,
} from './load-errors.js';
import { LOADING_TEXT, failureDetailRows, setStatus, showFailurePanel } from './embed-slots.js';

/** A watchdog failed the component while an action was waiting: the action stops there. */
const gaveUp = (slot) => slot.phase === 'failed';

/**
 * deps: {catalogue, retrySettings (retrySettings(catalogue)), random, sleep(ms), tokens
 * (createTokenStore), tokenFailed(reason, err) (TokenRefresh), slots (EmbedSlots), report
 * (createEmbedReport), doc, debug (show integrator detail on FAIL panels)}.
 */
export class LoadErrorActions {
  constructor(deps) {
    Object.assign(this, deps);
  }

  /** Handle one `vizloaderror` detail: one error at a time per component; after FAIL nothing more. */
  async handle(slot, detail) {
    if (slot.busy || slot.phase === 'failed') return;
    slot.busy = true;
    try {
      const parsed = parseLoadError(detail);
      await this.apply(slot, parsed, this.decide(slot, parsed));
    } finally {
      slot.busy = false;
    }
  }

  /** The catalogue's action for `parsed`, given what this component has already used. */
  decide(slot, parsed) {
    return actionFor(parsed, this.catalogue, { attempts: slot.attempts });
  }

  /** Count the attempt, record the decision, and carry it out. */
  async apply(slot, parsed, decision) {
    if (decision.action !== FAIL) slot.attempts[decision.action] += 1;
    this.report.action(slot, decision);
    switch (decision.action) {
      case RETRY:
        return this.retryWithFreshToken(slot, parsed, decision);
      case IFRAME_AUTH:
        return this.switchToIframeAuth(slot);
      case LOGIN:
        return this.showTableauSignIn(slot);
      default:
        return this.showFailure(slot, decision);
    }
  }

  /** RETRY: wait the backoff delay, then render again with a fresh token (shared request). */
  async retryWithFreshToken(slot, parsed, decision) {
    setStatus(slot, 'retrying', messageFor(RETRY, this.catalogue));
    await this.sleep(backoffDelay(decision.attempt, this.random, this.retrySettings));
    if (gaveUp(slot)) return undefined;
    let token;
    try {
      token = await this.tokens.freshFor(slot.token);
    } catch (err) {
      this.tokenFailed('retry', err);
      if (gaveUp(slot)) return undefined;
      // One attempt used; decide again with the same error (RETRY again, or its fallback).
      const next = this.decide(slot, parsed);
      next.reason = `token refresh failed (${err.message}); ${next.reason}`;
      return this.apply(slot, parsed, next);
    }
    if (gaveUp(slot)) return undefined;
    setStatus(slot, 'loading', LOADING_TEXT);
    this.slots.rerender(slot, { token });
    return undefined;
  }

  /** IFRAME_AUTH: render again with iframe-auth, and a fresh token when the token API answers. */
  async switchToIframeAuth(slot) {
    setStatus(slot, 'iframe-auth', messageFor(IFRAME_AUTH, this.catalogue));
    // The failed sign-in may still have consumed the token's jti (a CORS failure can hide
    // a processed request); a fresh token avoids a 10091 we could no longer see, since
    // auth errors under iframe-auth show inside the iframe with no vizloaderror
    // ("Authentication and Embedding").
    const token = await this.tokens.freshFor(slot.token).catch((err) => {
      this.tokenFailed('iframe-auth', err);
      return slot.token;
    });
    if (gaveUp(slot)) return;
    this.slots.rerender(slot, { token, iframeAuth: true });
  }

  /**
   * LOGIN ("Authentication and Embedding"): render again without the token, so the user sees
   * Tableau's sign-in.
   */
  showTableauSignIn(slot) {
    setStatus(slot, 'login', messageFor(LOGIN, this.catalogue));
    this.slots.rerender(slot, { token: null });
  }

  /**
   * FAIL: the plain message (or `message` and the `extra` nodes after it); on debug pages also
   * the code, name, resolution and reason.
   */
  showFailure(slot, decision, { message = messageFor(FAIL, this.catalogue), extra = [] } = {}) {
    const detailRows = this.debug && decision.entry ? failureDetailRows(decision) : null;
    showFailurePanel(slot, this.doc, message, detailRows, extra);
  }

  /** Record and show a FAIL decided outside `vizloaderror` (the watchdogs); `text` as showFailure's. */
  fail(slot, decision, text = {}) {
    this.report.action(slot, decision);
    this.showFailure(slot, decision, text);
  }
}

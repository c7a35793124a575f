"""The troubleshooting page: the error-code catalogue, searchable, and a paste-a-JWT checker.

Open to everyone, signed in or not: the catalogue is public documentation text, the checker only
decodes what the visitor pastes (it never verifies signatures, so it is no oracle for the secret),
and the page is most needed exactly when signing in or embedding is broken. The pasted token is
never stored, logged or written back into the page; only its decoded header, claims and problems
are shown, under `Cache-Control: no-store`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, make_response, render_template, request
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from host.extension import current_host
from host.rate_limits import client_id
from tableau_rules.catalogue import catalogue
from tableau_rules.jwt_rules import TRUSTS, Expected, Inspection, inspect_token
from tableau_rules.references import CODE_PAGES, PAGES
from tableau_rules.scopes import COMPONENT_TAGS
from tableau_rules.uat_rules import UatExpected

bp = Blueprint("troubleshoot", __name__)

# Half again Tableau's 8000-byte limit (10103): room to diagnose an oversized token, and within the
# page's body limit (TROUBLESHOOT_MAX_BODY_BYTES, default 16 KB) with the form's other fields.
MAX_TOKEN_CHARS = 12 * 1024
TOO_LARGE = (f"That is over {MAX_TOKEN_CHARS // 1024} KB, too large to check here. Tableau refuses "
             "any JWT over 8000 bytes (code 10103): send fewer claims.")


UNCHECKABLE = "This token could not be checked: it is not a JWT this page can read."
TRUST_LABELS = {"direct": "direct trust (connected app)", "eas": "OAuth 2.0 trust (EAS)",
                "uat": "unified access token (UAT)"}


class TokenCheckForm(FlaskForm):
    """POSTed with a CSRF token (CSRFProtect); the token field is blanked before rendering."""

    token = TextAreaField("JWT", validators=[
        DataRequired(message="Paste a JWT to check."), Length(max=MAX_TOKEN_CHARS, message=TOO_LARGE)])
    component = SelectField("Component", default="", choices=[
        SelectChoice("", "any component"),
        *(SelectChoice(kind, f"<{tag}>") for kind, tag in COMPONENT_TAGS.items())])
    trust = SelectField("Trust", default="direct", choices=[SelectChoice(t, TRUST_LABELS[t]) for t in TRUSTS])


def _matches(query: str, *fields: Any) -> bool:
    return not query or query in " ".join(str(f) for f in fields).lower()


# Every row is rendered; rows not matching ?q= carry `hidden`, so the filter works without
# JavaScript and static/js/troubleshoot.js can widen or narrow it live without a round trip.
def code_rows(query: str = "") -> list[dict[str, Any]]:
    """Every catalogue code; `shown` when it matches `query` (code, name, texts or action)."""
    q = query.strip().lower()
    return [{"code": e.code, "name": e.name, "summary": e.summary, "resolution": e.resolution,
             "action": e.action, "sources": e.sources,
             "shown": _matches(q, e.code, e.name, e.summary, e.resolution, e.action)}
            for e in catalogue().codes.values()]


def load_error_rows(query: str = "") -> list[dict[str, Any]]:
    """Every Embedding API load errorCode (e.g. unknown-auth-error); `shown` when it matches."""
    q = query.strip().lower()
    return [{"error_code": e.error_code, "summary": e.summary, "resolution": e.resolution,
             "action": e.action, "shown": _matches(q, e.error_code, e.summary, e.resolution, e.action)}
            for e in catalogue().load_errors.values()]


def _inspect(form: TokenCheckForm) -> Inspection | None:
    """The pasted token's report; None, with a form error, when it cannot be checked at all."""
    try:
        return inspect_token(form.token.data.strip(), trust=form.trust.data,
                             component=form.component.data or None, expected=_username_claim())
    except (ArithmeticError, RecursionError, TypeError, ValueError):
        # The page is public and takes any string: inspect_token is meant to read anything, but a
        # value it cannot is this form's error (400), never a 500 for the visitor.
        form.token.errors.append(UNCHECKABLE)
        return None


def _username_claim() -> Expected | None:
    """With TRUST_MODE uat, a UAT names its user in the configured claim (UAT_USERNAME_CLAIM).
    Nothing else of the configuration is compared: the page is public."""
    uat = current_host().settings.uat
    return Expected(uat=UatExpected(username_claim=uat.username_claim)) if uat else None


@bp.route("/troubleshoot", methods=("GET", "POST"))
def page() -> Response:
    """The catalogue (filtered by ?q=) and, after a valid POST, the pasted token's report."""
    # A host that signs UATs checks UATs unless the visitor says otherwise.
    form = TokenCheckForm(trust="uat" if current_host().settings.uat else "direct")
    result: Inspection | None = None
    if request.method == "POST":
        limits = current_host().settings.limits
        current_host().rate_limits.hit(limits.troubleshoot_per_client, "troubleshoot", client_id())
    if form.validate_on_submit():
        result = _inspect(form)
    form.token.data = ""  # never echo the token back into the page
    query = request.args.get("q", "")[:200]
    html = render_template(
        "troubleshoot.html", form=form, result=result, query=query, codes=code_rows(query),
        load_errors=load_error_rows(query), messages=catalogue().messages,
        code_pages=[(title, PAGES[title]) for title in CODE_PAGES],
    )
    status = 400 if request.method == "POST" and result is None else 200
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"  # decoded claims are personal data
    return response

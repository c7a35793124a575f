"""Pages: the landing page, the gallery, one page per view, and dashboards of several views."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, g, make_response, render_template, request, session

from host.csrf import csrf_token
from host.embed.page_shells import Slots
from host.embed.token_panel import token_panel
from host.embed.views_file import EmbeddedView, ViewsFile
from host.embed.viz_token import page_trust, token_for_page
from host.extension import current_host
from host.signin.guard import login_required
from host.wording import count

bp = Blueprint("pages", __name__)
# {{ n|count('view') }}: "1 view", "3 views" on every page.
bp.add_app_template_filter(count, "count")


def views_file() -> ViewsFile:
    return current_host().views


@bp.get("/")
def index() -> str:
    """Landing page: what this is and how to sign in."""
    return render_template("index.html")


@bp.get("/favicon.ico")
def favicon() -> Response:
    """For clients that ask before (or without) reading the page's icon link: the same icon."""
    return current_app.send_static_file("favicon.svg")


@bp.get("/views")
@login_required
def gallery() -> str:
    """Every configured view and dashboard."""
    return render_template("gallery.html", views_file=views_file())


@bp.get("/views/<slug>")
@login_required
def view(slug: str) -> Response:
    """One embedded view."""
    item = views_file().views.get(slug) or abort(404)
    return _embed_page(slug, item.title, item.description, (item,))


@bp.get("/dashboards/<slug>")
@login_required
def dashboard(slug: str) -> Response:
    """Several views on one page, sharing one JWT (Authentication and Embedding: use the same JWT for all
    components)."""
    board = views_file().dashboards.get(slug) or abort(404)
    return _embed_page(slug, board.title, board.description, board.views)


def _embed_page(slug: str, title: str, description: str, views: tuple[EmbeddedView, ...]) -> Response:
    settings = current_host().settings
    components = sorted({v.kind for v in views})
    minted = token_for_page(components)
    trust = page_trust()

    def render(slots: Slots) -> str:
        return render_template(
            "embed.html", title=title, description=description, views=views,
            components=components, token=slots.token, expires_at=slots.expires_at,
            csrf_token=lambda: slots.csrf, debug=settings.sandbox or current_app.debug,
            token_panel=token_panel(components, trust),
        )

    html = current_host().page_shells.page(_shell_key(slug, trust), render, token=minted.token,
                          expires_at=minted.expires_at, csrf=csrf_token())
    response = make_response(html)
    # The page carries a token: no cache may keep it (RFC 9111 no-store).
    response.headers["Cache-Control"] = "no-store"
    return response


def _shell_key(slug: str, trust: str) -> tuple[str, ...] | None:
    """Everything besides the slots that the page shows; None (render in full) with a flashed
    message, which shows once, and while templates reload on change (debug). The views file and
    settings are fixed for the app's life."""
    if "_flashes" in session or current_app.jinja_env.auto_reload:
        return None
    user = g.user
    return (request.endpoint or "", slug, request.script_root, trust, user.login,
            user.display_name, user.tableau_username)


@bp.app_context_processor
def inject_globals() -> dict[str, Any]:
    settings = current_host().settings
    return {"sandbox": settings.sandbox, "tableau_server": settings.tableau_server_url,
            "tableau_library_url": settings.library_url,
            "current_user": g.get("user"), "local_sign_in": settings.local_sign_in,
            "eas_sign_in": settings.eas is not None, "lab": settings.lab is not None,
            "retry_fallback": settings.retry_fallback}  # TOKEN_RETRIES_EXHAUSTED, for the embed pages

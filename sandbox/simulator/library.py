"""The Embedding API v3 library, served where Tableau serves it (Embedding API docs:
load the library from the Tableau server itself)."""

from pathlib import Path

from flask import Blueprint, Response, send_from_directory

from tableau_rules.scopes import LIBRARY_PATH  # the one place the library's path is written

bp = Blueprint("library", __name__)
_STATIC = Path(__file__).parent / "static"


@bp.get(LIBRARY_PATH)
def embedding_library() -> Response:
    response = send_from_directory(_STATIC, "tableau-embedding.js", mimetype="text/javascript")
    # `<script type="module">` from another origin is fetched in CORS mode (no credentials).
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response

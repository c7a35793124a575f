"""What the browser does with a host page's token, done over HTTP against the live simulator: read
the token from the page, sign in with it as the library does, load the content as the frame does."""

from __future__ import annotations

import html
import re
from typing import Any

import jwt
import requests

from tests.host.conftest import signed_in
from tests.host.live_simulator import LiveSimulator

ORIGIN = "http://localhost:5000"  # in the demo connected app's domain allowlist


def page_token(app, login: str, slug: str) -> str:
    """The token on the view page `slug` for `login` (signed in through the real form)."""
    page = signed_in(app, login).client.get(f"/views/{slug}").get_data(as_text=True)
    match = re.search(r'<tableau-(?:authoring-)?viz [^>]*token="([^"]+)"', page)
    assert match, "the page carries no token"
    return html.unescape(match.group(1))


def claims_of(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


def embed_sign_in(simulator: LiveSimulator, token: str, component: str = "viz",
                  browser: requests.Session | None = None) -> requests.Response:
    """The library's sign-in (POST /api/embed/signin) from the host's origin."""
    browser = browser or requests.Session()
    return browser.post(f"{simulator.url}/api/embed/signin", headers={"Origin": ORIGIN}, timeout=5,
                        json={"jwt": token, "site": "demo", "component": component})


def tableau_page(simulator: LiveSimulator, token: str, path: str) -> requests.Response:
    """What the viz's frame shows: sign in with the page's token, then load the content."""
    browser = requests.Session()
    component = "authoring" if "/authoring/" in path else "viz"
    signin = embed_sign_in(simulator, token, component, browser)
    assert signin.status_code == 200, signin.text
    return browser.get(f"{simulator.url}{path}", timeout=5)


def refused_code(response: requests.Response) -> int:
    return response.json()["result"]["errors"][0]["code"]

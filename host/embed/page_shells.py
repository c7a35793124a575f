"""Embed pages rendered once per user and page, with the per-request values filled in each time.

A view page is the same HTML for the same signed-in user every time except for three values: the
viz token (fresh on every request), its expiry, and the session's CSRF token. Rendering the layout,
navigation and component macros was half of a page request, so the template is rendered once with
a placeholder for each of those values ("slots", random per process so no content can contain one),
split at them, and later requests join the pieces with their own values, HTML-escaped as Jinja
would. The key holds everything else the page shows (see pages.py); pages with a flashed message
are always rendered in full.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from markupsafe import escape

from host.remembered import Remembered

REMEMBERED_PAGES = 1024  # per process: users x pages; past it, the oldest half is forgotten


@dataclass(frozen=True)
class Slots:
    """What the template is given in place of the per-request values while the shell is rendered."""

    token: str
    expires_at: str
    csrf: str


class PageShells:
    def __init__(self) -> None:
        marker = secrets.token_hex(8)
        self.slots = Slots(f"slot-token-{marker}", f"slot-expiry-{marker}", f"slot-csrf-{marker}")
        names = (self.slots.token, self.slots.expires_at, self.slots.csrf)
        self._split = re.compile("(" + "|".join(map(re.escape, names)) + ")").split
        self._shells: Remembered[list[str]] = Remembered(REMEMBERED_PAGES)

    def page(self, key: Hashable | None, render: Callable[[Slots], str], *, token: str,
             expires_at: int, csrf: str) -> str:
        """The page for `key` (None: never remembered) with these values in its slots."""
        shell = self._shells.get(key) if key is not None else None
        if shell is None:
            shell = self._split(render(self.slots))
            if key is not None:
                self._shells.put(key, shell)
        values = {self.slots.token: str(escape(token)), self.slots.expires_at: str(int(expires_at)),
                  self.slots.csrf: str(escape(csrf))}
        return "".join([values.get(piece, piece) for piece in shell])

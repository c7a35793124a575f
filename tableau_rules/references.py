"""Tableau's public pages the rules in this package come from: each title, once, with its URL.

Code, docs and pages cite a rule by the page's title (docs/references.md lists which rule comes
from which page). The catalogue's `sources` name these titles.
"""

from __future__ import annotations

TROUBLESHOOT = "Troubleshoot Connected Apps"
REGISTER_EAS = "Register EAS to Enable SSO for Embedded Content"
OAUTH_TRUST = "Configure Connected Apps with OAuth 2.0 Trust"
EMBEDDING_AUTH = "Authentication and Embedding"
DIRECT_TRUST = "Configure Connected Apps with Direct Trust"
UNIFIED_ACCESS_TOKENS = "Unified Access Tokens"
REST_AUTH = "Authentication concepts"
EMBEDDING_REFERENCE = "Embedding API reference"

# None: no current URL (the EAS page is an older edition of the OAuth 2.0 trust page).
PAGES: dict[str, str | None] = {
    TROUBLESHOOT: "https://help.tableau.com/current/online/en-us/connected_apps_troubleshoot.htm",
    REGISTER_EAS: None,
    OAUTH_TRUST: "https://help.tableau.com/current/server/en-us/connected_apps_eas.htm",
    EMBEDDING_AUTH: "https://help.tableau.com/current/api/embedding_api/en-us/docs/embedding_api_auth.html",
    DIRECT_TRUST: "https://help.tableau.com/current/server/en-us/connected_apps_direct.htm",
    UNIFIED_ACCESS_TOKENS:
        "https://help.tableau.com/current/api/cloud-manager/en-us/docs/unified_access_tokens.html",
    REST_AUTH: "https://help.tableau.com/current/api/rest_api/en-us/REST/rest_api_concepts_auth.htm",
    EMBEDDING_REFERENCE:
        "https://help.tableau.com/current/api/embedding_api/en-us/reference/interfaces/VizLoadErrorEvent.html",
}

# The two pages with a table of connected-app error codes: a catalogue entry cites one or both.
CODE_PAGES: tuple[str, ...] = (TROUBLESHOOT, REGISTER_EAS)

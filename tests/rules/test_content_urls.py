"""Tableau's URL shapes: a pasted server URL gives its base and site; each src its parts or the fix."""

from __future__ import annotations

import pytest

from tableau_rules.content_urls import BadSrc, parse_src, server_url_problem, split_server_url


@pytest.mark.parametrize(("url", "base", "site"), [
    ("https://10ax.online.tableau.com/#/site/acme/home", "https://10ax.online.tableau.com", "acme"),
    ("https://10ax.online.tableau.com/#/site/acme/views/Sales/Overview?:iid=1",
     "https://10ax.online.tableau.com", "acme"),
    ("https://tableau.example.com/t/finance/views/Budget/Summary", "https://tableau.example.com", "finance"),
    ("https://tableau.example.com/#/home", "https://tableau.example.com", None),
    ("https://tableau.example.com:8443/some/path?x=1", "https://tableau.example.com:8443", None),
], ids=["address-bar", "address-bar-view", "t-path", "default-site", "path-and-query"])
def test_a_pasted_page_address_gives_the_base_and_the_site(url: str, base: str, site: str | None) -> None:
    found = split_server_url(url)
    assert (found.base, found.site, found.extra) == (base, site, True)
    message = server_url_problem("TABLEAU_SERVER_URL", url)
    assert f"set TABLEAU_SERVER_URL={base}" in message
    assert (f"site {site!r}: use /t/{site}/ in your views' src" in message) == (site is not None)


@pytest.mark.parametrize("url", ["https://10ax.online.tableau.com", "http://localhost:8001"])
def test_a_base_url_is_fine(url: str) -> None:
    assert server_url_problem("TABLEAU_SERVER_URL", url) is None


@pytest.mark.parametrize(("kind", "src", "site", "workbook", "sheet"), [
    ("viz", "/t/acme/views/Sales/Overview", "acme", "Sales", "Overview"),
    ("viz", "/views/Sales/Overview", None, "Sales", "Overview"),
    ("viz", "/t/acme/views/Sales/Overview?:showVizHome=no", "acme", "Sales", "Overview"),
    ("authoring", "/t/acme/authoring/Sales/Overview", "acme", "Sales", "Overview"),
    ("pulse", "/pulse/site/acme/metrics/4db45dc7-35b1-4b58-8802-73ef367d069d", "acme", None, None),
])
def test_each_components_path(kind: str, src: str, site: str | None, workbook: str | None,
                              sheet: str | None) -> None:
    found = parse_src(kind, src)
    assert (found.site, found.workbook, found.sheet) == (site, workbook, sheet)


@pytest.mark.parametrize(("kind", "src", "expected"), [
    ("viz", "/t/acme/views/Sales", "is not a <tableau-viz> path: use /t/<site>/views/<workbook>/<sheet>"),
    ("viz", "/t/acme/views/Sales/Overview/extra", "is not a <tableau-viz> path"),
    ("viz", "t/acme/views/Sales/Overview", "is not a <tableau-viz> path"),
    ("viz", "#/site/acme/views/Sales/Overview", "address-bar form: use /t/acme/views/Sales/Overview"),
    ("viz", "/#/site/acme/views/Sales/Overview?:iid=2", "address-bar form: use /t/acme/views/Sales/Overview"),
    ("viz", "#/views/Sales/Overview", "address-bar form: use /views/Sales/Overview"),
    ("viz", "https://10ax.online.tableau.com/t/acme/views/Sales/Overview",
     "is a full URL; src is a path on TABLEAU_SERVER_URL: use /t/acme/views/Sales/Overview"),
    ("viz", "https://10ax.online.tableau.com/#/site/acme/views/Sales/Overview",
     "is a full URL; src is a path on TABLEAU_SERVER_URL: use /t/acme/views/Sales/Overview"),
    ("viz", "/t/acme/views/Sales/Overview#tab", "has a #fragment"),
    ("viz", "/t/acme/authoring/Sales/Overview", "(this is a <tableau-authoring-viz> path: set kind to"),
    ("pulse", "/t/acme/views/Sales/Overview", "use /pulse/site/<site>/metrics/<metric id>"),
    ("pulse", "/pulse/site/acme/metrics/", "is not a <tableau-pulse> path"),
])
def test_each_bad_src_names_its_fix(kind: str, src: str, expected: str) -> None:
    with pytest.raises(BadSrc) as caught:
        parse_src(kind, src)
    assert expected in str(caught.value)

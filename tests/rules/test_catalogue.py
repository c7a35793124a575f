"""The error-code catalogue against the code tables of Tableau's pages, and its validator."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from tableau_rules import catalogue as cat
from tableau_rules.references import CODE_PAGES, PAGES, REGISTER_EAS, TROUBLESHOOT

REPO_ROOT = Path(__file__).resolve().parents[2]
# The facts these tests check, kept in the repo: per page title, each code with its name and
# summary as the page's table gives them.
DOCUMENTED = Path(__file__).with_name("documented_codes.json")


@pytest.fixture(scope="module")
def docs() -> dict[str, dict[int, dict]]:
    data = json.loads(DOCUMENTED.read_text(encoding="utf-8"))
    return {title: {int(code): row for code, row in data[title]["codes"].items()} for title in CODE_PAGES}


def test_the_data_holds_both_code_tables(docs):
    # Guards the data itself: codes only one of the pages lists are where they belong.
    assert {5, 126, 10106} <= docs[TROUBLESHOOT].keys()
    assert {5, 10081, 10088} <= docs[REGISTER_EAS].keys()
    assert 10081 not in docs[TROUBLESHOOT] and 126 not in docs[REGISTER_EAS]


def test_catalogue_holds_exactly_the_documented_codes(docs):
    documented = docs[TROUBLESHOOT].keys() | docs[REGISTER_EAS].keys()
    assert set(cat.catalogue().codes) == documented


def test_sources_name_the_pages_that_list_each_code(docs):
    for code, e in cat.catalogue().codes.items():
        expected = tuple(title for title in CODE_PAGES if code in docs[title])
        assert e.sources == expected, f"{code} {e.name}"


def test_sources_are_page_titles_listed_with_their_url():
    documents = cat.catalogue().raw["documents"]
    for code, e in cat.catalogue().codes.items():
        for title in e.sources:
            assert title in PAGES and title in documents, code
    assert documents[TROUBLESHOOT] == PAGES[TROUBLESHOOT]


def test_names_match_the_documents(docs):
    for code, e in cat.catalogue().codes.items():
        for title in e.sources:
            assert e.name == docs[title][code]["name"], f"{code} in {title}"


def test_summaries_are_the_documented_ones(docs):
    # Register EAS leaves 10096's summary empty, so one page carrying it is enough.
    for code, e in cat.catalogue().codes.items():
        summaries = {docs[title][code]["summary"] for title in e.sources} - {None}
        assert summaries == {e.summary}, f"{code} {e.summary!r} vs {summaries}"


def test_every_entry_has_a_valid_action_and_reason():
    for code, e in cat.catalogue().codes.items():
        assert e.action in cat.ACTIONS, code
        assert e.why.strip() and e.resolution.strip(), code


def test_action_policy():
    codes = cat.catalogue().codes
    # A fresh token is the documented fix only for these (Troubleshoot Connected Apps: "a new JWT
    # must be generated"), plus 16, whose usual cause is an expired token.
    assert {c for c, e in codes.items() if e.action == cat.RETRY} == {16, 10091, 10100}
    for config_error in (126, 127, 10083, 10084, 10085, 10089, 10090, 10092, 10097, 10099, 10103):
        assert codes[config_error].action == cat.FAIL, config_error
    # a user unknown to Tableau: show Tableau's sign-in (Authentication and Embedding)
    assert codes[5].action == cat.LOGIN


def test_load_error_codes():
    c = cat.catalogue()
    assert c.load_errors["auth-failed"].action == cat.BY_CODE
    # the example handler in Authentication and Embedding
    assert c.load_errors["unknown-auth-error"].action == cat.IFRAME_AUTH
    for error_code in ("incompatible-version-error", "browser-not-capable", "invalid-url",
                       "first-interactive-timeout"):
        assert c.load_errors[error_code].action == cat.FAIL


def test_defaults():
    defaults = cat.catalogue().defaults
    # Authentication and Embedding: other load errors remove the token so Tableau's sign-in shows ...
    assert defaults["unknownCode"] == defaults["noCode"] == defaults["unknownErrorCode"] == cat.LOGIN
    # ... but a 5xx without a code is an outage: sign-in would fail too, so retry (bounded).
    assert defaults["serverError"] == cat.RETRY


def test_fallback_chain_ends_in_fail():
    fallback = cat.catalogue().fallback
    # Spent retries end in a plain message, not Tableau's password form (a dead end for users
    # without a Tableau password); integrators who want the sign-in set fallback.RETRY to LOGIN.
    assert fallback[cat.RETRY] == cat.FAIL
    for start in cat.ACTIONS:
        seen, action = set(), start
        while action != cat.FAIL:
            assert action not in seen
            seen.add(action)
            action = fallback[action]


def test_messages_are_plain_and_per_action():
    messages = cat.catalogue().messages
    assert set(messages) == set(cat.ACTIONS)
    for text in messages.values():
        assert text.startswith("This view could not be loaded")
        assert not re.search(r"\d{2,}|JWT|jti|token", text), text  # no codes or jargon for users


def test_entry_accessor():
    assert cat.entry(10091).name == "JTI_ALREADY_USED"
    assert cat.entry("10091") is cat.entry(10091)
    with pytest.raises(cat.UnknownCode):
        cat.entry(4242)
    with pytest.raises(cat.UnknownCode):
        cat.entry("abc")
    assert {e.code for e in cat.catalogue().codes_named("CONNECTED_APP_NOT_FOUND")} == {126, 10089}


def test_catalogue_is_loaded_once():
    assert cat.catalogue() is cat.catalogue()


def test_for_browser_is_the_json_document_and_a_fresh_copy():
    served = cat.for_browser()
    on_disk = json.loads(cat.CATALOGUE_PATH.read_text(encoding="utf-8"))
    assert served == on_disk
    json.dumps(served)  # JSON-ready
    served["codes"]["10091"]["action"] = "FAIL"
    assert cat.for_browser()["codes"]["10091"]["action"] == "RETRY"
    assert cat.catalogue().codes[10091].action == cat.RETRY


# --- the validator names the bad entry ---------------------------------------------------------


@pytest.fixture
def good() -> dict:
    return copy.deepcopy(json.loads(cat.CATALOGUE_PATH.read_text(encoding="utf-8")))


def test_shipped_file_validates(good):
    assert len(cat.validate(good).codes) == len(good["codes"])


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["codes"]["10091"].update(action="RETRI"), r"codes\['10091'\]\.action.*RETRI"),
        (lambda d: d["codes"]["5"].pop("why"), r"codes\['5'\].*missing keys \['why'\]"),
        (lambda d: d["codes"]["5"].update(extra=1), r"codes\['5'\].*unexpected keys"),
        (lambda d: d["codes"]["16"].update(name="Login failed"), r"codes\['16'\]\.name"),
        (lambda d: d["codes"]["16"].update(sources=["Authentication and Embedding"]),
         r"codes\['16'\]\.sources.*not a page with a code table"),
        (lambda d: d["codes"]["16"].update(sources=[]), r"codes\['16'\]\.sources"),
        (lambda d: d["codes"]["16"].update(summary=" "), r"codes\['16'\]\.summary"),
        (lambda d: d["codes"].update({"0010091": d["codes"]["10091"]}), r"codes\['0010091'\]"),
        (lambda d: d["loadErrors"]["invalid-url"].update(action="BY_CODE"),
         r"loadErrors\['invalid-url'\]\.action"),
        (lambda d: d["loadErrors"].pop("auth-failed"), r"loadErrors"),
        (lambda d: d["fallback"].update(LOGIN="RETRY", RETRY="LOGIN"), r"fallback.*cycle"),
        (lambda d: d["fallback"].update(FAIL="LOGIN"), r"fallback\['FAIL'\]"),
        (lambda d: d["fallback"].pop("LOGIN"), r"fallback\['LOGIN'\].*missing"),
        (lambda d: d["defaults"].update(noCode="SHRUG"), r"defaults\['noCode'\]"),
        (lambda d: d["defaults"].update(serverError="BY_CODE"), r"defaults\['serverError'\]"),
        (lambda d: d["defaults"].pop("serverError"), r"defaults.*missing keys \['serverError'\]"),
        (lambda d: d["retry"].update(maxAttempts=0), r"retry\.maxAttempts"),
        (lambda d: d["retry"].update(maxAttempts=True), r"retry\.maxAttempts"),
        (lambda d: d["retry"].update(baseDelayMs=99999), r"retry.*baseDelayMs exceeds"),
        (lambda d: d["actions"]["FAIL"].pop("message"), r"actions\['FAIL'\]"),
        (lambda d: d.pop("codes"), r"top level.*missing keys \['codes'\]"),
        (lambda d: d["timeouts"].update(firstInteractiveMs=0), r"timeouts\.firstInteractiveMs"),
        (lambda d: d["timeouts"].update(firstInteractiveMs=600_000),
         r"timeouts\.firstInteractiveMs: at most 60000 ms"),
        (lambda d: d.pop("timeouts"), r"top level.*missing keys \['timeouts'\]"),
    ],
)
def test_validation_names_the_bad_entry(good, mutate, message):
    mutate(good)
    with pytest.raises(cat.CatalogueError, match=message):
        cat.validate(good)


def test_load_reports_invalid_json(tmp_path):
    bad = tmp_path / "catalogue.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(cat.CatalogueError, match="catalogue.json: not valid JSON"):
        cat.load(bad)


def test_error_handling_doc_table_matches_the_catalogue():
    """docs/error-handling.md lists every code, load errorCode and default with its action."""
    doc = (REPO_ROOT / "docs" / "error-handling.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| (\d+) \| `[A-Z0-9_]+` \| ([A-Z_]+) \|", doc, flags=re.MULTILINE))
    c = cat.catalogue()
    assert {int(k): v for k, v in rows.items()} == {k: e.action for k, e in c.codes.items()}
    load_rows = dict(re.findall(r"^\| `([a-z-]+)` \| ([A-Z_]+) \|", doc, flags=re.MULTILINE))
    assert load_rows == {k: e.action for k, e in c.load_errors.items()}
    default_rows = dict(re.findall(r"^\| `defaults\.(\w+)` \| ([A-Z_]+) \|", doc, flags=re.MULTILINE))
    assert default_rows == dict(c.defaults)

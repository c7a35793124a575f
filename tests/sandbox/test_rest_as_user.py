"""REST on the signed-in user's behalf, on the demo registry: each user lists only what they may
see, the JWT's scopes decide which methods answer, sign-out ends the REST session."""

import re

import pytest

from .helpers import answered_code
from .seed import ALICE, BOB, SEED_SITE_ID, seed_app, seed_token
from .uat_helpers import rest_sign_in, uat_config, uat_token

API = f"/api/3.24/sites/{SEED_SITE_ID}"
READ = ["tableau:content:read"]
JSON = {"Accept": "application/json"}


def _rest_token(client, claims, scp=READ) -> str:
    body = {"credentials": {"jwt": seed_token(claims, scp=scp), "site": {"contentUrl": "demo"}}}
    response = client.post("/api/3.24/auth/signin", json=body)
    assert response.status_code == 200, response.text
    return response.get_json()["credentials"]["token"]


def _get(client, path, token, **headers):
    return client.get(f"{API}{path}", headers={"X-Tableau-Auth": token, **headers})


def _workbook_names(client, token) -> set[str]:
    return {w["name"] for w in _get(client, "/workbooks", token, **JSON).get_json()["workbooks"]["workbook"]}


@pytest.fixture
def client():
    return seed_app().test_client()


def test_alice_and_bob_list_different_workbooks_and_views(client):
    alice, bob = _rest_token(client, ALICE), _rest_token(client, BOB)
    assert _workbook_names(client, alice) == {"Superstore", "Forecast"}
    assert _workbook_names(client, bob) == {"Superstore", "Budget", "Forecast"}
    alice_views = {v["contentUrl"] for v in _get(client, "/views", alice, **JSON).get_json()["views"]["view"]}
    bob_views = {v["contentUrl"] for v in _get(client, "/views", bob, **JSON).get_json()["views"]["view"]}
    assert bob_views - alice_views == {"Budget/sheets/Summary"}


def test_a_listing_carries_what_an_embedding_page_needs(client):
    views = _get(client, "/views", _rest_token(client, ALICE), **JSON).get_json()
    regional = next(v for v in views["views"]["view"] if v["name"] == "Regional")
    assert regional["viewUrlName"] == "Regional" and regional["contentUrl"] == "Superstore/sheets/Regional"
    assert regional["webpageUrl"].endswith("/t/demo/views/Superstore/Regional")
    assert views["pagination"] == {"pageNumber": "1", "pageSize": "100", "totalAvailable": "4"}


def test_lists_answer_xml_unless_json_is_asked_for(client):
    response = _get(client, "/workbooks", _rest_token(client, BOB))
    assert response.mimetype == "application/xml"
    assert '<pagination pageNumber="1" pageSize="100" totalAvailable="3"' in response.text
    assert len(re.findall(r"<workbook id=", response.text)) == 3


def test_a_workbook_the_user_may_not_see_is_not_found(client):
    bob = _rest_token(client, BOB)
    budget = next(w for w in _get(client, "/workbooks", bob, **JSON).get_json()["workbooks"]["workbook"]
                  if w["name"] == "Budget")
    assert [v["name"] for v in _get(client, f"/workbooks/{budget['id']}/views", bob, **JSON)
            .get_json()["views"]["view"]] == ["Summary"]
    hidden = _get(client, f"/workbooks/{budget['id']}/views", _rest_token(client, ALICE), **JSON)
    assert hidden.status_code == 404 and hidden.get_json()["error"]["code"] == "404006"


def test_a_token_without_content_read_is_refused_naming_the_scope(client):
    token = _rest_token(client, ALICE, scp=["tableau:views:embed"])
    response = _get(client, "/workbooks", token, **JSON)
    assert response.status_code == 403
    error = response.get_json()["error"]
    assert error["code"] == "403000" and "tableau:content:read" in error["detail"]


def test_sign_out_ends_the_rest_session(client):
    token = _rest_token(client, ALICE)
    assert _get(client, "/workbooks", token).status_code == 200
    assert client.post("/api/3.24/auth/signout", headers={"X-Tableau-Auth": token}).status_code == 204
    response = _get(client, "/workbooks", token, **JSON)
    assert (response.status_code, response.get_json()["error"]["code"]) == (401, "401002")


def test_lists_are_paged(client):
    token = _rest_token(client, BOB)
    first = _get(client, "/workbooks?pageSize=2&pageNumber=2", token, **JSON).get_json()
    assert len(first["workbooks"]["workbook"]) == 1 and first["pagination"]["totalAvailable"] == "3"
    assert _get(client, "/workbooks?pageSize=0", token).status_code == 400


def test_the_view_image_shows_the_users_own_rows(client):
    scopes = ["tableau:content:read", "tableau:views:download"]
    images = {}
    for who, claims in (("alice", ALICE), ("bob", BOB)):
        token = _rest_token(client, claims, scp=scopes)
        view = next(v for v in _get(client, "/views", token, **JSON).get_json()["views"]["view"]
                    if v["name"] == "Regional")
        images[who] = _get(client, f"/views/{view['id']}/image", token, Accept="image/svg+xml").text
    assert ": 252</title>" in images["alice"] and ": 209</title>" in images["bob"]
    assert ": 209</title>" not in images["alice"]


def test_a_refused_rest_sign_in_names_its_code(client):
    body = {"credentials": {"jwt": seed_token({"sub": "nobody@example.com"}, scp=READ),
                            "site": {"contentUrl": "demo"}}}
    assert answered_code(client.post("/api/3.24/auth/signin", json=body)) == 5


def test_a_unified_access_token_lists_as_its_user():
    client = seed_app(unifiedAccessToken=uat_config()).test_client()
    response = rest_sign_in(client, uat_token(claims={"email": "bob@example.com", "scp": READ}))
    assert _workbook_names(client, response.get_json()["credentials"]["token"]) == {
        "Superstore", "Budget", "Forecast"}

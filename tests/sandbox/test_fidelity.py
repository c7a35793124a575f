"""Fidelity: connected-app management, allowlists, project scope and sessions behave as documented."""

import pytest

from .helpers import (
    ADMIN,
    APP_URL,
    FINANCE,
    HOST_ORIGIN,
    METRIC,
    SECRET_ID,
    VIEW_URL,
    answered_code,
    build_registry,
    make_app,
    make_token,
    sign_in,
    state,
)


def test_two_secrets_are_both_valid(client):
    created = client.post(f"{APP_URL}/secrets", headers=ADMIN).get_json()["connectedApplicationSecret"]
    assert sign_in(client, make_token()).status_code == 200
    second = make_token(key=created["value"], headers={"kid": created["id"]})
    assert sign_in(client, second).status_code == 200


def test_a_deleted_secret_no_longer_signs(client):
    client.post(f"{APP_URL}/secrets", headers=ADMIN)
    assert client.delete(f"{APP_URL}/secrets/{SECRET_ID}", headers=ADMIN).status_code == 204
    assert answered_code(sign_in(client, make_token())) == 10085


def test_disabling_refuses_sign_in_and_voids_sessions_until_re_enabled(client):
    assert sign_in(client, make_token()).status_code == 200
    disable = {"connectedApplication": {"enabled": False}}
    updated = client.put(APP_URL, json=disable, headers=ADMIN).get_json()
    assert updated["connectedApplication"]["enabled"] is False
    assert answered_code(sign_in(client, make_token())) == 10090
    assert 'data-simulator-page="signin"' in client.get(VIEW_URL).text

    client.put(APP_URL, json={"connectedApplication": {"enabled": True}}, headers=ADMIN)
    assert sign_in(client, make_token()).status_code == 200
    assert 'data-simulator-page="viz"' in client.get(VIEW_URL).text


def test_a_new_app_is_disabled_until_enabled(client):
    body = {"connectedApplication": {"name": "Second", "domainSafelist": "https://app.example"}}
    created = client.post(f"{APP_URL.rsplit('/', 1)[0]}", json=body, headers=ADMIN)
    assert created.status_code == 201
    app = created.get_json()["connectedApplication"]
    assert app["enabled"] is False and app["domainSafelist"] == "https://app.example"
    listed = client.get(APP_URL.rsplit("/", 1)[0], headers=ADMIN).get_json()
    client_ids = {a["clientId"] for a in listed["connectedApplications"]["connectedApplication"]}
    assert app["clientId"] in client_ids


def test_a_deleted_app_is_not_found(client):
    assert client.delete(APP_URL, headers=ADMIN).status_code == 204
    assert answered_code(sign_in(client, make_token())) == 10089
    assert answered_code(client.get(APP_URL, headers=ADMIN)) == 126


@pytest.mark.parametrize(
    ("allowlist", "origin", "allowed"),
    [
        ("https://app.example", "https://app.example", True),
        ("https://app.example", "http://app.example", False),
        ("https://app.example", "https://app.example:8443", False),
        ("*.example.com", "https://shop.example.com", True),
        ("*.example.com", "https://example.com", False),
        ("https://a.example https://b.example:8443", "https://b.example:8443", True),
        ("https://a.example https://b.example:8443", "https://c.example", False),
        ("http://localhost:*", "http://localhost:5000", True),
        ("*", "https://anything.example", True),
        ("https:", "https://anything.example", True),
        ("", HOST_ORIGIN, False),
    ],
)
def test_allowlist_forms(client, allowlist, origin, allowed):
    update = {"connectedApplication": {"domainSafelist": allowlist}}
    assert client.put(APP_URL, json=update, headers=ADMIN).status_code == 200
    response = sign_in(client, make_token(), origin=origin)
    if allowed:
        assert response.status_code == 200
    else:
        assert (response.status_code, answered_code(response)) == (403, 10092)


def test_content_pages_carry_the_allowlist_as_frame_ancestors(client):
    client.put(APP_URL, json={"connectedApplication": {"domainSafelist": "http://localhost:5000"}},
               headers=ADMIN)
    sign_in(client, make_token())
    policy = client.get(VIEW_URL).headers["Content-Security-Policy"]
    assert "frame-ancestors http://localhost:5000" in policy


def test_project_scope_limits_content():
    app = make_app(build_registry(app__projectId=FINANCE))
    client = app.test_client()
    assert sign_in(client, make_token()).status_code == 200
    assert client.get("/t/demo/views/Budget/Summary").status_code == 200
    refused = client.get(VIEW_URL)
    assert refused.status_code == 403 and "outside the connected app" in refused.text


def test_a_second_viz_renders_from_the_session_the_shared_token_made(client):
    token = make_token(scp=["tableau:views:embed", "tableau:insights:embed"])
    first = sign_in(client, token)
    second = sign_in(client, token, component="pulse")  # same page, same token, cookie sent
    assert (first.status_code, second.status_code) == (200, 200)
    assert len(state(client.application).sessions) == 1
    assert client.get("/t/demo/views/Superstore/Trend").status_code == 200
    assert client.get(f"/pulse/site/demo/metrics/{METRIC}").status_code == 200


def test_a_shared_token_from_another_origin_is_not_reused(client):
    token = make_token()
    sign_in(client, token)
    assert answered_code(sign_in(client, token, origin="http://127.0.0.1:5000")) == 10091


def test_a_session_lacking_the_component_scope_shows_10099(client):
    sign_in(client, make_token())
    page = client.get("/t/demo/authoring/Superstore/Overview")
    assert page.status_code == 403 and answered_code(page) == 10099


def test_authoring_renders_in_a_mock_authoring_frame(client):
    scopes = ["tableau:views:embed_authoring", "tableau:views:embed"]
    assert sign_in(client, make_token(scp=scopes), component="authoring").status_code == 200
    page = client.get("/t/demo/authoring/Superstore/Overview")
    assert page.status_code == 200 and "Web authoring" in page.text and "<svg" in page.text


def test_sessions_expire(client):
    sign_in(client, make_token())
    simulator = state(client.application)
    now = simulator.clock()
    simulator.clock = lambda: now + 61 * 60  # the test registry's sessions last 60 minutes
    assert 'data-simulator-page="signin"' in client.get(VIEW_URL).text


def test_attributes_and_groups_are_captured_only_when_the_site_allows(client):
    claims = {"Region": "West", "https://tableau.com/groups": ["Sales"]}
    info = sign_in(client, make_token(**claims)).get_json()
    assert info["attributes"] == {"Region": "West"} and info["groups"] == ["Sales"]

    closed = make_app(build_registry(site__attributeCaptureEnabled=False,
                                     site__groupAssertionsEnabled=False)).test_client()
    info = sign_in(closed, make_token(**claims)).get_json()
    assert info["attributes"] == {} and info["groups"] == []


def test_site_embedding_settings_can_be_updated(client):
    url = APP_URL.split("/connected-applications")[0] + "/settings/embedding"
    body = {"site": {"unrestrictedEmbedding": False, "allowList": "https://portal.example"}}
    assert client.put(url, json=body, headers=ADMIN).get_json()["site"] == body["site"]
    policy = client.get(VIEW_URL).headers["Content-Security-Policy"]  # the sign-in page, no app
    assert "frame-ancestors https://portal.example" in policy
    bad = {"site": {"allowList": "https://portal.example,evil"}}
    assert answered_code(client.put(url, json=bad, headers=ADMIN)) == 133

"""Browser-facing pages: iframe-auth, the Tableau sign-in page, CORS, the library."""

from .helpers import HOST_ORIGIN, METRIC, VIEW_URL, make_token, sign_in, state

SIMULATOR = "http://localhost:8001"


def _iframe_auth(client, token, target=VIEW_URL):
    form = {"jwt": token, "site": "demo", "component": "viz", "target": target}
    return client.post("/embed/iframe-auth", data=form, headers={"Origin": HOST_ORIGIN})


def test_iframe_auth_signs_in_and_redirects_to_the_content(client):
    response = _iframe_auth(client, make_token())
    assert response.status_code == 303 and response.headers["Location"] == VIEW_URL
    assert client.get(VIEW_URL).status_code == 200


def test_iframe_auth_errors_show_inside_the_frame(client):
    response = _iframe_auth(client, make_token(scp="tableau:views:embed"))
    assert response.status_code == 401 and 'data-error-code="10097"' in response.text


def test_iframe_auth_never_redirects_off_the_simulator(client):
    assert _iframe_auth(client, make_token(), target="//evil.example/").status_code == 400


def test_the_sign_in_page_signs_in_a_user_with_a_password(client):
    form = {"site": "demo", "username": "bob@example.com", "password": "bob-password", "next": VIEW_URL}
    response = client.post("/signin", data=form, headers={"Origin": SIMULATOR})
    assert response.status_code == 303 and response.headers["Location"] == VIEW_URL
    assert 'data-simulator-page="viz"' in client.get(VIEW_URL).text


def test_the_sign_in_page_refuses_wrong_or_missing_passwords_and_other_origins(client):
    wrong = {"site": "demo", "username": "bob@example.com", "password": "nope", "next": VIEW_URL}
    assert client.post("/signin", data=wrong, headers={"Origin": SIMULATOR}).status_code == 401
    no_password = {**wrong, "username": "alice@example.com", "password": ""}
    assert client.post("/signin", data=no_password, headers={"Origin": SIMULATOR}).status_code == 401
    right = {**wrong, "password": "bob-password"}
    assert client.post("/signin", data=right, headers={"Origin": HOST_ORIGIN}).status_code == 403


def test_cors_is_not_granted_to_origins_nothing_admits(client):
    state(client.application).registry.sites[0].embedding.unrestricted = False
    response = sign_in(client, make_token(), origin="https://evil.example")
    assert "Access-Control-Allow-Origin" not in response.headers


def test_the_library_is_a_cors_enabled_module_defining_the_three_components(client):
    response = client.get("/javascripts/api/tableau.embedding.3.latest.min.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    for tag in ("tableau-viz", "tableau-authoring-viz", "tableau-pulse"):
        assert f'"{tag}"' in response.text
    assert "<style" not in response.text and "innerHTML" not in response.text


def test_content_pages_have_no_inline_script_or_style(client):
    sign_in(client, make_token(scp=["tableau:insights:embed"]), component="pulse")
    page = client.get(f"/pulse/site/demo/metrics/{METRIC}")
    assert page.status_code == 200
    assert "<script>" not in page.text and "style=" not in page.text and "<style" not in page.text
    assert "script-src" not in page.headers["Content-Security-Policy"]  # default-src 'self' only

"""REST API: JWT sign-in in XML and JSON, scopes on methods, Tableau's REST error shape."""

import re

from .helpers import API, SITE_ID, make_token

READ = ["tableau:content:read"]
DOWNLOAD = ["tableau:content:read", "tableau:views:download"]


def _json_sign_in(client, scopes):
    body = {"credentials": {"jwt": make_token(scp=scopes), "site": {"contentUrl": "demo"}}}
    return client.post("/api/3.24/auth/signin", json=body)


def test_sign_in_with_a_jwt_in_xml(client):
    xml = (f'<tsRequest><credentials jwt="{make_token(scp=READ)}">'
           '<site contentUrl="demo"/></credentials></tsRequest>')
    response = client.post("/api/3.24/auth/signin", data=xml, content_type="application/xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    assert re.search(r'<credentials token="[^"]+"', response.text)
    assert f'<site id="{SITE_ID}" contentUrl="demo"' in response.text


def test_sign_in_with_a_jwt_in_json_and_list_content(client):
    credentials = _json_sign_in(client, READ).get_json()["credentials"]
    assert credentials["site"]["id"] == SITE_ID
    auth = {"X-Tableau-Auth": credentials["token"], "Accept": "application/json"}
    workbooks = client.get(f"{API}/workbooks", headers=auth).get_json()["workbooks"]["workbook"]
    assert {w["name"] for w in workbooks} == {"Superstore", "Budget"}
    views = client.get(f"{API}/workbooks/{workbooks[0]['id']}/views", headers=auth).get_json()
    assert [v["name"] for v in views["views"]["view"]] == ["Overview", "Trend"]


def test_a_refused_rest_sign_in_uses_the_rest_error_shape(client):
    body = {"credentials": {"jwt": make_token(scp="tableau:content:read"), "site": {"contentUrl": "demo"}}}
    response = client.post("/api/3.24/auth/signin", json=body)
    error = response.get_json()["error"]
    assert response.status_code == 401
    assert (error["code"], error["summary"]) == ("10097", "SCOPES_MALFORMED")


def test_query_view_image_needs_views_download(client):
    token = _json_sign_in(client, READ).get_json()["credentials"]["token"]
    auth = {"X-Tableau-Auth": token, "Accept": "application/json"}
    view_id = client.get(f"{API}/views", headers=auth).get_json()["views"]["view"][0]["id"]
    refused = client.get(f"{API}/views/{view_id}/image", headers=auth)
    assert refused.status_code == 403
    assert "tableau:views:download" in refused.get_json()["error"]["detail"]


def test_query_view_image_as_png_or_svg(client):
    token = _json_sign_in(client, DOWNLOAD).get_json()["credentials"]["token"]
    auth = {"X-Tableau-Auth": token, "Accept": "application/json"}
    view_id = client.get(f"{API}/views", headers=auth).get_json()["views"]["view"][0]["id"]
    png = client.get(f"{API}/views/{view_id}/image", headers={"X-Tableau-Auth": token})
    assert png.mimetype == "image/png" and png.data.startswith(b"\x89PNG\r\n\x1a\n")
    svg = client.get(f"{API}/views/{view_id}/image",
                     headers={"X-Tableau-Auth": token, "Accept": "image/svg+xml"})
    assert svg.mimetype == "image/svg+xml" and svg.text.startswith("<svg")


def test_without_credentials_or_after_sign_out_calls_are_unauthorised(client):
    assert client.get(f"{API}/workbooks").status_code == 401
    token = _json_sign_in(client, READ).get_json()["credentials"]["token"]
    assert client.post("/api/3.24/auth/signout", headers={"X-Tableau-Auth": token}).status_code == 204
    assert client.get(f"{API}/workbooks", headers={"X-Tableau-Auth": token}).status_code == 401


def test_malformed_xml_is_a_bad_request(client):
    response = client.post("/api/3.24/auth/signin", data="<tsRequest>", content_type="application/xml")
    assert response.status_code == 400

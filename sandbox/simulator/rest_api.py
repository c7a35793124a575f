"""A slice of Tableau's REST API: JWT sign-in (XML or JSON; connected apps, or unified access
tokens with `isUat`) and sign-out, in Tableau's REST shapes (rest_format.py). The methods a signed-in
user may call are in rest_content.py.
"""

from typing import Any
from xml.etree import ElementTree

from flask import Blueprint, Response, request

from . import rest_format, tokens
from .codes import SignInError
from .state import current

bp = Blueprint("rest_api", __name__, url_prefix="/api/<version>")

_MAX_BODY = 64 * 1024
# What "Server Info" reports: the release that introduced unified access tokens and its REST version.
PRODUCT_VERSION, BUILD, REST_API_VERSION = "2025.3.0", "20253.simulator", "3.27"


@bp.get("/serverinfo")
@bp.get("/serverInfo")  # Tableau's paths are case-insensitive; tableauserverclient asks this one
def server_info(version: str) -> Response:
    """Tableau REST "Server Info" (no sign-in needed); tableauserverclient's use_server_version()."""
    if rest_format.wants_xml():
        root = ElementTree.Element("tsResponse", xmlns="http://tableau.com/api")
        info = ElementTree.SubElement(root, "serverInfo")
        ElementTree.SubElement(info, "productVersion", build=BUILD).text = PRODUCT_VERSION
        ElementTree.SubElement(info, "restApiVersion").text = REST_API_VERSION
        xml = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
        return Response(xml, mimetype="application/xml")
    return rest_format.respond({"serverInfo": {"productVersion": {"value": PRODUCT_VERSION, "build": BUILD},
                                               "restApiVersion": REST_API_VERSION}})


@bp.post("/auth/signin")
def sign_in(version: str) -> Response:
    try:
        jwt_text, site_url, is_uat = _credentials()
    except ValueError as exc:
        return rest_format.error(400, "400000", "Bad Request", str(exc))
    state = current()
    try:
        state.faults.before_sign_in()
        site = state.registry.site(site_url)
        if site is None:
            raise SignInError(16, "no site with that content URL")
        now = state.clock()
        accept = tokens.UAT_ONLY if is_uat else tokens.CONNECTED_APPS
        trusted = tokens.validate(jwt_text, site, state.registry, now, accept=accept)
        state.jtis.consume(trusted.issuer, trusted.jti, trusted.expires_at, now)
    except SignInError as failure:
        return rest_format.sign_in_error(failure)
    session = state.sessions.create(
        now, site_id=site.id, user_name=trusted.subject, scopes=trusted.scopes,
        expires_at=now + state.registry.session_lifetime_minutes * 60, client_id=trusted.client_id,
        jti=trusted.jti, on_demand=trusted.on_demand, trust=trusted.trust,
        attributes=trusted.attributes, groups=trusted.groups,
    )
    user = site.user(trusted.subject)
    return rest_format.respond({"credentials": {
        "token": session.id,
        "site": {"id": site.id, "contentUrl": site.content_url},
        "user": {"id": user.id if user else None},
    }})


@bp.post("/auth/signout")
def sign_out(version: str) -> Response:
    current().sessions.delete(request.headers.get("X-Tableau-Auth"))
    return Response(status=204)


def _credentials() -> tuple[str, str, bool]:
    """(jwt, site contentUrl, isUat) from the XML or JSON sign-in body."""
    if (request.content_length or 0) > _MAX_BODY:
        raise ValueError("request body too large")
    if request.is_json:
        body = request.get_json(silent=True)
        credentials = body.get("credentials") if isinstance(body, dict) else None
        if not isinstance(credentials, dict):
            raise ValueError('expected {"credentials": {"jwt": ..., "site": {"contentUrl": ...}}}')
        site = credentials.get("site") if isinstance(credentials.get("site"), dict) else {}
        return str(credentials.get("jwt", "")), str(site.get("contentUrl", "")), \
            _is_true(credentials.get("isUat"))
    return _xml_credentials(request.get_data(cache=False))


def _xml_credentials(data: bytes) -> tuple[str, str, bool]:
    try:
        # The standard parser does not fetch external entities and expat >= 2.4 bounds entity
        # expansion; the body size is capped above.
        root = ElementTree.fromstring(data)  # noqa: S314
    except ElementTree.ParseError as exc:
        raise ValueError("the body is neither JSON nor well-formed XML") from exc
    credentials = _child(root, "credentials")
    site = _child(credentials, "site") if credentials is not None else None
    if credentials is None or site is None:
        raise ValueError('expected <tsRequest><credentials jwt=".."><site contentUrl=".."/>')
    return credentials.get("jwt", ""), site.get("contentUrl", ""), _is_true(credentials.get("isUat"))


def _child(element: ElementTree.Element, name: str) -> ElementTree.Element | None:
    # Namespace-agnostic: clients may or may not send xmlns="http://tableau.com/api".
    return next((c for c in element if c.tag.rsplit("}", 1)[-1] == name), None)


def _is_true(value: Any) -> bool:
    return value is True or str(value).lower() == "true"

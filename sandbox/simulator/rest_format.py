"""Tableau REST answers in JSON or XML, and Tableau's REST error shape.

JSON: `{"error": {"summary", "detail", "code"}}`; XML: `<tsResponse><error code=".."><summary/>
<detail/></error></tsResponse>`. The same structure serialises both ways: scalars become XML
attributes, objects child elements, lists repeated elements (as Tableau's REST API does).
"""

from typing import Any
from xml.etree import ElementTree

from flask import Response, jsonify, request

from .codes import SignInError

_NAMESPACE = "http://tableau.com/api"


def wants_xml() -> bool:
    """XML unless the client asks for JSON (Accept) or sent JSON (Content-Type), as Tableau."""
    asked = {mimetype for mimetype, _ in request.accept_mimetypes}
    if "application/json" in asked:
        return False
    return bool(asked & {"application/xml", "text/xml"}) or not request.is_json


def respond(payload: dict[str, Any], status: int = 200) -> Response:
    if wants_xml():
        return Response(to_xml(payload), status=status, mimetype="application/xml")
    response = jsonify(payload)
    response.status_code = status
    return response


def error(status: int, code: str, summary: str, detail: str) -> Response:
    return respond({"error": {"code": code, "summary": summary, "detail": detail}}, status)


def sign_in_error(failure: SignInError) -> Response:
    """A connected-app code in the REST error shape: the code as a string, its name as summary."""
    return error(failure.http_status, str(failure.code), failure.summary,
                 failure.body()["result"]["errors"][0]["detail"])


def to_xml(payload: dict[str, Any]) -> bytes:
    root = ElementTree.Element("tsResponse", xmlns=_NAMESPACE)
    _fill(root, payload)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def _fill(element: ElementTree.Element, data: dict[str, Any]) -> None:
    for key, value in data.items():
        if isinstance(value, dict):
            _fill(ElementTree.SubElement(element, key), value)
        elif isinstance(value, list):
            for item in value:
                _fill(ElementTree.SubElement(element, key), item)
        elif key in ("summary", "detail"):
            ElementTree.SubElement(element, key).text = str(value)  # text, as in Tableau's errors
        elif value is not None:
            element.set(key, str(value).lower() if isinstance(value, bool) else str(value))

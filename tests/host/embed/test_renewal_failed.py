"""The way back after "We can't renew your access right now" (the token API failing past its
retries): the sign-in page says why the user is there and returns them to the page."""

from __future__ import annotations

from tests.conftest import csrf_from


def test_the_sign_in_page_explains_a_failed_renewal_and_goes_back_to_the_page(client):
    html = client.get("/login?next=%2Fdashboards%2Fsales&reason=renewal-failed").get_data(as_text=True)
    assert "We couldn’t renew your access. Sign in again to go back to the page you were on." in html
    assert "Your session has ended" not in html  # the session may well still be there
    answer = client.post("/login", data={"login": "alice", "password": "alice-demo",
                                         "csrf_token": csrf_from(html), "next": "/dashboards/sales"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/dashboards/sales"

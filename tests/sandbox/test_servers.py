"""The sandbox launcher's request log keeps OAuth codes and states out."""

import logging

from sandbox.servers import RedactQueryCredentials


def test_request_lines_are_logged_without_codes_or_states():
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1,
                               '"%s %s" %s', ("GET", "/auth/eas/callback?code=abc123&state=xyz&iss=h", 302),
                               None)
    RedactQueryCredentials().filter(record)
    line = record.getMessage()
    assert "abc123" not in line and "xyz" not in line
    assert "code=<redacted>&state=<redacted>&iss=h" in line

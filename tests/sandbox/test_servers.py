"""The sandbox launcher's request log keeps OAuth codes and states out (the host's filter, which the
launcher installs on the dev servers' shared logger)."""

import logging

import sandbox.servers  # noqa: F401  (installs the filter)


def test_request_lines_are_logged_without_codes_or_states():
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1,
                               '"%s %s" %s', ("GET", "/auth/eas/callback?code=abc123&state=xyz&iss=h", 302),
                               None)
    for log_filter in logging.getLogger("werkzeug").filters:
        log_filter.filter(record)
    line = record.getMessage()
    assert "abc123" not in line and "xyz" not in line
    assert "code=<redacted>&state=<redacted>&iss=h" in line

"""Diagnostics for integrators: `flask tableau doctor|inspect|token` (cli.py, doctor.py), the public
troubleshooting page (troubleshoot.py), and `python -m host.diagnostics` when the host won't start."""

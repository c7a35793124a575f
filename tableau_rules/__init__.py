"""Tableau's documented connected-app rules, written once (docs/references.md names
the Tableau page each rule comes from).

Used by the host (minting, preflight), the sandbox simulator (validation) and, through the
catalogue JSON, by the browser module. Nothing here imports the host or the sandbox.
"""

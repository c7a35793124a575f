"""Offline stand-ins for Tableau used by the demo and the tests (see docs/simulator.md)."""

"""Rotation with zero failed loads (docs/rotation.md): the connected-app secret, the UAT keys and
the EAS keys, step by step. `flask tableau rotate` carries the steps out against the sandbox's
simulator (its admin API) and prints them for a real site.
"""

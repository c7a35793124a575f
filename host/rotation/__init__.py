"""Rotation with zero failed loads (docs/rotation.md) of the connected-app secret, UAT keys and EAS
keys: `flask tableau rotate` carries the steps out in the sandbox and prints them for a real site."""

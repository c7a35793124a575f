"""The one error a registry that cannot be used raises (registry.py, content_registry.py)."""


class RegistryError(ValueError):
    """The registry cannot be used; the message says which entry and why."""

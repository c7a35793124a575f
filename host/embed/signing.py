"""The secrets and keys that sign right now: the settings' own, or, with SIGNING_SETTINGS_FILE, that
file as it is now (config/signing_file.py), so a rotation switches signing without a restart.

Every mint asks `signing_now(settings)`; without a file it is `settings` itself. With one, a stat
per call notices a rewritten file, which is read again once (under a lock) and validated by the
same code as at start. A file that has become unusable (half a rotation typed by hand, a key that
cannot be read) does not stop the host: it keeps signing with the last good settings and logs,
once per change, which setting is wrong (never a value).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from config import ConfigError, Settings, reload_signing, signing_file_stamp

log = logging.getLogger(__name__)


@dataclass
class _Loaded:
    base: Settings  # the settings the host started with (the entry is theirs only)
    stamp: tuple[int, int, int] | None
    settings: Settings  # with the file's signing settings as last read


# One entry per host configuration that has a signing file (by identity: the settings object
# lives as long as its app).
_loaded: dict[int, _Loaded] = {}
_lock = threading.Lock()


def signing_now(settings: Settings) -> Settings:
    """`settings` with the signing secrets and keys in force now."""
    if settings.signing_file is None:
        return settings
    stamp = signing_file_stamp(settings)
    loaded = _current(settings)
    if loaded is not None and loaded.stamp == stamp:
        return loaded.settings
    with _lock:
        loaded = _current(settings)
        if loaded is None or loaded.stamp != stamp:
            loaded = _reload(settings, stamp, loaded)
            _loaded[id(settings)] = loaded
    return loaded.settings


def _current(settings: Settings) -> _Loaded | None:
    loaded = _loaded.get(id(settings))
    return loaded if loaded is not None and loaded.base is settings else None


def _reload(settings: Settings, stamp: tuple[int, int, int] | None, last: _Loaded | None) -> _Loaded:
    try:
        fresh = reload_signing(settings)
    except ConfigError as exc:
        kept = last.settings if last is not None else settings
        log.error("SIGNING_SETTINGS_FILE %s changed and cannot be used; still signing as before: %s",
                  settings.signing_file, "; ".join(exc.problems))
        return _Loaded(settings, stamp, kept)
    if last is not None:
        log.info("signing settings re-read from %s: %s", settings.signing_file, describe(fresh))
    return _Loaded(settings, stamp, fresh)


def describe(settings: Settings) -> str:
    """Which secret and key sign, by ID and file name only (for logs and the rotate helper)."""
    parts = []
    if settings.direct is not None:
        spare = settings.direct.spare_secret
        parts.append(f"secret {settings.direct.signing_secret.id!r} signs"
                     + (f", {spare.id!r} spare" if spare else ""))
    if settings.uat is not None:
        spare_key = settings.uat.spare_key
        parts.append(f"UAT key {settings.uat.signing_key.name} signs"
                     + (f", {spare_key.name} spare" if spare_key else ""))
    return "; ".join(parts) or "nothing signed here"

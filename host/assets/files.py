"""The files the host serves at versioned URLs (/assets/<version>/<path>): their bytes, type and
digest, and the deployment's version, one hash over all of them."""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# Text types with their charset; anything else is guessed from the name.
TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
}


class UnknownAsset(LookupError):
    """A template asked for a file that is not under static/."""


# Compressed once at start, at the highest level: files never change while the host runs.
COMPRESSED_TYPES = ("text/", "application/json", "image/svg+xml")


@dataclass(frozen=True)
class AssetFile:
    body: bytes
    content_type: str
    etag: str  # a digest of the body: the same bytes, the same tag
    gzipped: bytes | None = None  # the body gzip-compressed, when that is smaller


def gzip_of(body: bytes, kind: str) -> bytes | None:
    """The body compressed (reproducibly: no time stamp), for text types when it saves bytes."""
    if not kind.startswith(COMPRESSED_TYPES):
        return None
    packed = gzip.compress(body, compresslevel=9, mtime=0)
    return packed if len(packed) < len(body) else None


@dataclass(frozen=True)
class Assets:
    """Every served file by path under static/ (e.g. "js/embed-page.js"), and the version in their
    URLs. The version is a hash of every file's path and bytes: any change to any file gives every
    URL a new version, so a browser never mixes files of two deployments, and relative imports
    between ES modules ('./token-store.js') inherit it."""

    version: str
    files: Mapping[str, AssetFile]
    # Each ES module's static imports, transitively (modules.py): what a page preloads with it.
    imports: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def get(self, version: str, path: str) -> AssetFile | None:
        """The file at this versioned URL; None for another version or an unknown path."""
        return self.files.get(path) if version == self.version else None

    def preloads(self, entries: Sequence[str], on_demand: Sequence[str] = ()) -> list[str]:
        """What a page running `entries` asks for at once: every module they import, directly or
        not, and the `on_demand` modules (loaded later with import()) with theirs; each once."""
        found: list[str] = []
        for path in (*entries, *on_demand):
            self.require(path)
            wanted = (*self.imports.get(path, ()), *([path] if path in on_demand else []))
            found += [p for p in wanted if p not in found and p not in entries]
        return found

    def require(self, path: str) -> AssetFile:
        found = self.files.get(path)
        if found is None:
            raise UnknownAsset(f"no static file {path!r} under static/ (asked for by asset_url)")
        return found


def read_folder(folder: Path) -> dict[str, bytes]:
    """Every regular file under `folder` (hidden ones skipped), by POSIX path relative to it."""
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            files[relative.as_posix()] = path.read_bytes()
    return files


def content_type(path: str) -> str:
    suffix = Path(path).suffix.lower()
    return TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))  # length-prefixed: no two lists of parts collide
        h.update(part)
    return h.hexdigest()


def assets_of(bodies: Mapping[str, bytes], imports: Mapping[str, tuple[str, ...]]) -> Assets:
    """The served files and their version (the first 12 hex digits of one hash over all of them)."""
    files = {path: AssetFile(body, content_type(path), digest(body)[:16], gzip_of(body, content_type(path)))
             for path, body in bodies.items()}
    version = digest(*(part for path in sorted(bodies) for part in (path.encode(), bodies[path])))[:12]
    return Assets(version=version, files=files, imports=imports)

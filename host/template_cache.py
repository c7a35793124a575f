"""Compiled templates shared by every app in a process: Jinja's bytecode cache, kept in memory.

Compiling the host's templates costs tens of milliseconds per app. One app per process (gunicorn's
workers) pays it once either way; a process that builds many apps (the tests build one per test)
compiles each template once. Jinja checks each entry against the template's source, so an edited
template is compiled again.
"""

from __future__ import annotations

from jinja2.bccache import Bucket, BytecodeCache


class SharedBytecodeCache(BytecodeCache):
    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}  # bucket key (template name and file) -> marshalled code

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # dropped by Jinja when the source's checksum differs

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


BYTECODE_CACHE = SharedBytecodeCache()  # the one per process, for every app

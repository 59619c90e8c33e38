"""Compiled templates kept between runs that cannot be swapped.

Jinja's bytecode cache holds code: Jinja loads each file with ``marshal`` and runs it, so a
file put into ``build/.cache/jinja/`` by whoever can write there would run inside the build.
Each entry is therefore sealed like the PDF and site caches (see core.sealed): the file is the
seal of its key and bytecode, then the bytecode; one that is not a regular file, or whose seal
is not right, is ignored and the template compiled again.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from policypress.core.files import write_atomic_bytes
from policypress.core.sealed import matches, read_regular, seal

_SEAL_LENGTH = 64  # hex digits of an HMAC-SHA256
_MAX_BYTES = 16 * 1024 * 1024  # far beyond any compiled template


class SealedBytecodeCache(jinja2.FileSystemBytecodeCache):
    def load_bytecode(self, bucket: Bucket) -> None:
        data = read_regular(Path(self._get_cache_filename(bucket)), _MAX_BYTES)
        if data is None or len(data) <= _SEAL_LENGTH + 1:
            return
        recorded, code = data[:_SEAL_LENGTH], data[_SEAL_LENGTH + 1 :]
        if matches(bucket.key, hashlib.sha256(code).digest(), recorded):
            bucket.load_bytecode(io.BytesIO(code))

    def dump_bytecode(self, bucket: Bucket) -> None:
        buffer = io.BytesIO()
        bucket.write_bytecode(buffer)
        code = buffer.getvalue()
        sealed = seal(bucket.key, code).encode() + b"\n" + code
        write_atomic_bytes(Path(self._get_cache_filename(bucket)), sealed)

"""Cache entries that cannot be swapped: each is sealed with an HMAC whose key is outside
``build/``.

A plain SHA-256 sidecar proves nothing: whoever can replace a cached PDF (or a page of the
cached site) can write its digest too, and the build would publish the swapped file as the
current one. The key lives in the user's own cache folder (``$POLICYPRESS_KEY_DIR``, else
``$XDG_CACHE_HOME/policypress``, else ``~/.cache/policypress``), readable by that user only,
so a file in ``build/`` cannot carry a valid seal unless policypress made it. A seal covers the
entry's name (its cache key) as well as its bytes, so an older version's PDF and seal copied
under the current key do not match either. Entries are read only as regular files, never
through a symlink (``O_NOFOLLOW``), and in one open: what was checked is what is published.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from policypress.core.messages import gettext as _

# Tests, and anyone who keeps caches elsewhere, point this at a folder of their own.
KEY_DIR_VARIABLE = "POLICYPRESS_KEY_DIR"
_KEY_FILE = "cache-key"
_KEY_BYTES = 32


def key_dir() -> Path:
    override = os.environ.get(KEY_DIR_VARIABLE)
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "policypress"


def _key() -> bytes:
    """The key, made on first use (0600, in a 0700 folder). Anything else found in its place
    (a symlink, a file of the wrong size) is replaced: the caches it sealed are then rendered
    again."""
    folder = key_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / _KEY_FILE
    found = read_regular(path, _KEY_BYTES)
    if found is not None and len(found) == _KEY_BYTES:
        return found
    partial = folder / f".{_KEY_FILE}.{os.getpid()}"
    handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    with os.fdopen(handle, "wb") as out:
        out.write(secrets.token_bytes(_KEY_BYTES))
    if os.path.lexists(path):
        os.replace(partial, path)  # replaces a symlink itself, never the file it points to
    else:
        # Another process may make one meanwhile: theirs wins, so both use the same key.
        with contextlib.suppress(FileExistsError):
            os.link(partial, path)
        os.unlink(partial)
    key = read_regular(path, _KEY_BYTES)
    if key is None or len(key) != _KEY_BYTES:
        raise OSError(
            _("%(path)s is not a key policypress made; remove it and build again") % {"path": path}
        )
    return key


def seal(name: str, data: bytes) -> str:
    """The seal of the entry ``name`` holding ``data``."""
    return seal_digest(name, hashlib.sha256(data).digest())


def seal_digest(name: str, digest: bytes) -> str:
    message = name.encode("utf-8") + b"\0" + digest
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def matches(name: str, digest: bytes, recorded: bytes | None) -> bool:
    if recorded is None:
        return False
    return hmac.compare_digest(seal_digest(name, digest).encode(), recorded.strip())


def read_regular(path: Path, limit: int) -> bytes | None:
    """``path``'s bytes if it is a regular file (not a symlink) of at most ``limit`` bytes,
    else None."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(handle, "rb") as file:
        st = os.fstat(file.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        data = file.read(limit + 1)
    return data if len(data) <= limit else None


def read_sealed(path: Path, name: str, seal_path: Path, limit: int) -> bytes | None:
    """The entry's bytes when both it and its seal are regular files and the seal is right
    for ``name`` and these bytes; None (render it again) otherwise."""
    data = read_regular(path, limit)
    if data is None:
        return None
    recorded = read_regular(seal_path, 256)
    return data if matches(name, hashlib.sha256(data).digest(), recorded) else None

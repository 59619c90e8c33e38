"""Reuse the site engine's output when its input has not changed.

MkDocs (or Zensical) turns the generated ``docs/`` tree and config into ``site/``; it is a
separate process and takes about two seconds even when nothing changed. Its output depends only
on what it reads, so it is kept under a key made of: every file of the docs tree and the theme
overrides (path and bytes), the generated config, the engine and strict flag, the build date
(the sitemap carries it) and the versions of the engine and the packages that shape its HTML.
A cached site is served only when its seal (an HMAC, see core.sealed) is right for its key and
every file, and it holds nothing but folders and regular files.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from collections.abc import Callable
from contextlib import ExitStack
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from policypress import __version__
from policypress.core.dates import build_date
from policypress.core.files import exclusive
from policypress.core.sealed import matches, read_regular, seal_digest

if TYPE_CHECKING:
    from policypress.outputs.site.pages import EngineRun

# Packages whose code decides the engine's HTML: the engines, the theme and the Markdown stack.
_ENGINE_PACKAGES = (
    "mkdocs",
    "mkdocs-material",
    "mkdocs-material-extensions",
    "pymdown-extensions",
    "Markdown",
    "Pygments",
    "zensical",
)


# What a cached site is: the engine's output after hardening (harden.py) and the fidelity
# check. Changed whenever that changes, so an older cache is never served as this one.
_FORMAT = "hardened-checked-sealed-4"


def _versions() -> str:
    found = []
    for name in _ENGINE_PACKAGES:
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=none")
    return ";".join(found)


def site_key(engine: str, strict: bool, config: Path, *trees: Path) -> str:
    """The key of the engine's output for this config and these input folders (the docs
    tree, the theme overrides)."""
    digest = hashlib.sha256(
        f"{_FORMAT};{engine};strict={strict};{build_date()};policypress={__version__};"
        f"{_versions()}\0".encode()
    )
    digest.update(config.read_bytes())
    for tree in trees:
        digest.update(b"\0tree\0" + tree.name.encode())
        for path in sorted(p for p in tree.rglob("*") if p.is_file()):
            digest.update(b"\0" + path.relative_to(tree).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


# Far beyond any page, script or image of a site (each source file is at most 10 MB).
_MAX_SITE_FILE = 256 * 1024 * 1024


def _files(folder: Path) -> list[str] | None:
    """Every file under ``folder`` (relative, sorted), or None when anything in it is a
    symlink (to a file or a folder) or not a regular file: a cached site holds only what the
    engine wrote, so such an entry was put there by someone else."""
    found = []
    for top, folders, files in os.walk(folder):
        for name in folders + files:
            path = Path(top) / name
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode) or not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                return None
        found += [(Path(top) / name).relative_to(folder).as_posix() for name in files]
    return sorted(found)


def _copy_digest(source: Path, target: Path) -> bytes | None:
    """Copy the tree ``source`` to ``target``, returning one SHA-256 over every file's path and
    bytes; each file is read once, as a regular file, so what is checked is what is published.
    None when the tree holds anything but folders and regular files."""
    files = _files(source)
    if files is None:
        return None
    digest = hashlib.sha256()
    target.mkdir(parents=True, exist_ok=True)
    for relative in files:
        data = read_regular(source / relative, _MAX_SITE_FILE)
        if data is None:
            return None
        digest.update(relative.encode() + b"\0" + hashlib.sha256(data).digest())
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        (target / relative).write_bytes(data)
    return digest.digest()


def _restore(cached: Path, recorded: Path, site: Path, name: str) -> bool:
    """Copy the cached site to ``site`` if its seal is right; otherwise leave no copy."""
    expected = read_regular(recorded, 256)
    if expected is None or not cached.is_dir() or cached.is_symlink():
        return False
    found = _copy_digest(cached, site)
    if found is not None and matches(name, found, expected):
        return True
    shutil.rmtree(site, ignore_errors=True)
    return False


def start_site_cached(
    start: Callable[[], EngineRun],
    site: Path,
    cache: Path,
    key: str,
    user: str,
    running: ExitStack,
    finish_engine: Callable[[], bool] = lambda: True,
) -> Callable[[], bool]:
    """Start putting the site for ``key`` at ``site``: from ``cache`` when it is there, else
    with the engine ``start`` starts (stopped by ``running`` if the build fails first), then
    ``finish_engine`` (which works on the engine's output and says whether it is sound),
    keeping a copy only of sound output. Returns the function that waits; it says whether
    the cache served."""
    cached = cache / f"site-{key}"
    recorded = cache / f"site-{key}.sha256"
    lock = cache / ".site.lock"
    with exclusive(lock):
        if _restore(cached, recorded, site, cached.name):
            _prune(cache, user, cached.name)
            return lambda: True
    engine = start()
    running.callback(engine.stop)

    def wait() -> bool:
        engine.wait()
        if not finish_engine():
            return False
        partial = cache / f".site-{key}.{os.getpid()}.part"
        shutil.rmtree(partial, ignore_errors=True)
        digest = _copy_digest(site, partial)
        if digest is None:  # the engine wrote a symlink: nothing to keep
            shutil.rmtree(partial, ignore_errors=True)
            return False
        with exclusive(lock):
            recorded.write_text(seal_digest(cached.name, digest))
            shutil.rmtree(cached, ignore_errors=True)
            os.replace(partial, cached)
            _prune(cache, user, cached.name)
        return False

    return wait


def _prune(cache: Path, user: str, used: str) -> None:
    """Keep the output each kind of build (public, preview) used last; drop the rest."""
    (cache / f"site-used-by-{user}.txt").write_text(used + "\n")
    wanted = {record.read_text().strip() for record in cache.glob("site-used-by-*.txt")}
    for stale in cache.glob("site-*"):
        if stale.is_dir() and stale.name not in wanted:
            shutil.rmtree(stale, ignore_errors=True)
        elif stale.suffix == ".sha256" and stale.stem not in wanted:
            stale.unlink()
    for partial in cache.glob(f".site-*.{os.getpid()}.part"):  # others' may be in use
        shutil.rmtree(partial, ignore_errors=True)

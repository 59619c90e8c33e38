"""``policypress verify FILE``: is this downloaded copy exactly an approved version? And
``verify --against MANIFEST``: is this build, or this copy of the site, exactly the published
one?

Builds are reproducible, so every published file's SHA-256 is in ``build/manifest.json``. A file
that matches is identified; one that does not is checked for what it claims to be (its PDF
keywords name the policy, version and text hash), so an altered copy is called out as such.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from policypress.core.messages import gettext as _
from policypress.core.release import is_unlisted
from policypress.governance.rollback import PolicyHead, UnreadableManifest, read_heads
from policypress.outputs.manifest import ManifestEntry, read_manifest, sha256_file
from policypress.outputs.pdf.jobs import MAX_PDF_BYTES
from policypress.outputs.urls import SITE

VERIFIABLE = {"policy-pdf", "policy-page", "archive-page", "agreement-pdf", "agreement-page"}
_CLAIM = re.compile(rb"([a-z0-9-]+), version (\d+\.\d+), sha256 ([0-9a-f]{12})")


def _pdf_keywords(file: Path) -> bytes:
    """The PDF's /Keywords (where policypress records slug, version and text hash). The reader
    seeks to the objects it needs in the open file; the file is never read whole."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        with file.open("rb") as handle:
            if handle.read(4) != b"%PDF":
                return b""
            info = PdfFileReader(handle, strict=False).trailer_view.get("/Info")
            keywords = info.get_object().get("/Keywords") if info is not None else None
    except Exception:
        return b""
    return str(keywords or "").encode("utf-8")


@dataclass(frozen=True)
class Verdict:
    matches: bool
    message: str
    entry: ManifestEntry | None = None


class TooLarge(Exception):
    """The file is larger than any file a build publishes, so it cannot match one."""


def _sha256(file: Path) -> str:
    """The file's SHA-256, read in blocks, refusing a file larger than any a build publishes
    before reading it (a 6 GB sparse file was read whole)."""
    limit = MAX_PDF_BYTES
    with file.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise TooLarge(
                _(
                    "%(file)s: is %(size)s MB; no file a build publishes is larger than "
                    "%(limit)s MB, so it is not an approved version"
                )
                % {
                    "file": file,
                    "size": f"{size / (1024 * 1024):,.0f}",
                    "limit": limit // (1024 * 1024),
                }
            )
        digest = hashlib.sha256()
        read = 0
        for block in iter(lambda: handle.read(1 << 16), b""):
            read += len(block)
            if read > limit:  # it grew while being read
                raise TooLarge(
                    _("%(file)s: grew beyond %(limit)s MB while being read")
                    % {"file": file, "limit": limit // (1024 * 1024)}
                )
            digest.update(block)
    return digest.hexdigest()


def verify(file: Path, manifest: Path) -> Verdict:
    try:
        digest = _sha256(file)
    except TooLarge as exc:
        return Verdict(False, str(exc))
    entries = [e for e in read_manifest(manifest) if e.kind in VERIFIABLE]
    for entry in entries:
        if entry.sha256 == digest and entry.version != "draft":
            values = {
                "file": file,
                "policy": entry.policy,
                "form": entry.path.rsplit("/", 1)[-1],
                "version": entry.version,
                "path": entry.path,
                "sha256": digest[:12],
            }
            verdict = (
                _(
                    "%(file)s: matches %(policy)s version %(version)s, published as %(path)s "
                    "(sha256 %(sha256)s…)"
                )
                if entry.policy
                else _(
                    "%(file)s: matches form %(form)s (%(version)s), published as %(path)s "
                    "(sha256 %(sha256)s…)"
                )
            )
            return Verdict(True, verdict % values, entry)
    claim = _CLAIM.search(_pdf_keywords(file))
    if claim:
        slug, version, text_hash = (part.decode() for part in claim.groups())
        return Verdict(
            False,
            _(
                "%(file)s: does NOT match any approved file. It says it is %(slug)s version "
                "%(version)s (text sha256 %(hash)s), but its contents differ from the published "
                "copy: it has been altered or is not genuine"
            )
            % {"file": file, "slug": slug, "version": version, "hash": text_hash},
        )
    return Verdict(
        False,
        _("%(file)s: does NOT match any approved version in %(manifest)s (sha256 %(sha256)s…)")
        % {"file": file, "manifest": manifest, "sha256": digest[:12]},
    )


def verify_against(manifest: Path, folder: Path) -> list[str]:
    """``policypress verify --against MANIFEST [FOLDER]``: every difference between a build
    folder (with ``site/``) or a copy of the site and a published manifest, one line each;
    empty when they are identical. A copy of the site is compared with the manifest's
    ``site/`` files only, and has no manifest of its own whose policy heads could differ."""
    entries = {e.path: e for e in read_manifest(manifest)}
    is_build = (folder / SITE).is_dir()
    if is_build:
        roots = sorted({path.split("/", 1)[0] for path in entries})
        expected = entries
    else:
        roots = ["."]
        expected = {
            path.removeprefix(f"{SITE}/"): e
            for path, e in entries.items()
            if path.startswith(f"{SITE}/")
        }
    found: set[str] = set()
    links: dict[str, str] = {}
    for root in roots:
        _walk(folder, root, found, links)
    problems = [
        _("%(path)s: a symlink to %(target)s; a published copy holds only regular files")
        % {"path": folder / path, "target": target}
        for path, target in sorted(links.items())
    ]
    for path, entry in sorted(expected.items()):
        if path in links:
            continue
        if path not in found:
            problems.append(_("%(path)s: missing; the manifest lists it") % {"path": folder / path})
        elif (size := (folder / path).stat().st_size) > MAX_PDF_BYTES:
            problems.append(
                _("%(path)s: %(size)s bytes, larger than any file a build publishes")
                % {"path": folder / path, "size": f"{size:,}"}
            )
        elif (actual := sha256_file(folder / path)) != entry.sha256:
            problems.append(
                _(
                    "%(path)s: SHA-256 %(actual)s… differs from the manifest's %(listed)s…; this "
                    "file was changed after the build"
                )
                % {"path": folder / path, "actual": actual[:12], "listed": entry.sha256[:12]}
            )
    if is_build:  # the register's report is kept beside the review packs, never listed
        found = {path for path in found if not is_unlisted(path)}
    problems += [
        _("%(path)s: not in the manifest") % {"path": folder / path}
        for path in sorted(found - set(expected))
    ]
    if is_build:
        problems += _head_differences(read_heads(manifest), folder / "manifest.json")
    return problems


def _walk(folder: Path, root: str, files: set[str], links: dict[str, str]) -> None:
    """Add the regular files under ``folder/root`` to ``files`` and every symlink (to a file or
    a folder, never followed) to ``links`` with its target, all relative to ``folder``. A
    build's own ``site``, ``staff`` and ``governors`` are links to its current release, inside
    the build folder; those are followed, and only those."""
    top = folder / root
    if top.is_symlink() and not top.resolve().is_relative_to(folder.resolve()):
        links[top.relative_to(folder).as_posix()] = os.readlink(top)
        return
    for where, folders, names in os.walk(top):
        for name in [*folders, *names]:
            path = Path(where) / name
            if path.is_symlink():
                links[path.relative_to(folder).as_posix()] = os.readlink(path)
            elif name in names and path.is_file():
                files.add(path.relative_to(folder).as_posix())


def _head_differences(published: dict[str, PolicyHead], manifest: Path) -> list[str]:
    try:
        heads = read_heads(manifest) if manifest.is_file() else None
    except UnreadableManifest as exc:
        return [
            _("%(manifest)s: cannot be read (%(exc)s); expected a policypress manifest")
            % {"manifest": manifest, "exc": exc}
        ]
    if heads is None:
        return [_("%(manifest)s: missing; expected the build's manifest") % {"manifest": manifest}]
    problems = []
    for slug in sorted(set(published) | set(heads)):
        old, new = published.get(slug), heads.get(slug)
        if old is None or new is None:
            problems.append(
                (
                    _("%(manifest)s: policy %(slug)s is not in the published manifest")
                    if old is None
                    else _("%(manifest)s: policy %(slug)s is not in the build")
                )
                % {"manifest": manifest, "slug": slug}
            )
        elif (old.version, old.sha256, old.chain) != (new.version, new.sha256, new.chain):
            problems.append(
                _(
                    "%(manifest)s: policy %(slug)s is version %(new)s (chain %(new_chain)s…); the "
                    "published manifest has version %(old)s (chain %(old_chain)s…)"
                )
                % {
                    "manifest": manifest,
                    "slug": slug,
                    "new": new.version,
                    "new_chain": new.chain[:12],
                    "old": old.version,
                    "old_chain": old.chain[:12],
                }
            )
    return problems

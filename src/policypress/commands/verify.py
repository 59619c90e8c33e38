"""``policypress verify FILE``: is this downloaded copy exactly an approved version?

Builds are reproducible, so every published file's SHA-256 is in ``build/manifest.json``. A file
that matches is identified; one that does not is checked for what it claims to be (its PDF
keywords name the policy, version and text hash), so an altered copy is called out as such.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from policypress.outputs.manifest import ManifestEntry, read_manifest

VERIFIABLE = {"policy-pdf", "policy-page", "archive-page", "agreement-pdf", "agreement-page"}
_CLAIM = re.compile(rb"([a-z0-9-]+), version (\d+\.\d+), sha256 ([0-9a-f]{12})")


def _pdf_keywords(data: bytes) -> bytes:
    """The PDF's /Keywords (where policypress records slug, version and text hash)."""
    if not data.startswith(b"%PDF"):
        return b""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        info = PdfFileReader(io.BytesIO(data), strict=False).trailer_view.get("/Info")
        keywords = info.get_object().get("/Keywords") if info is not None else None
    except Exception:
        return b""
    return str(keywords or "").encode("utf-8")


@dataclass(frozen=True)
class Verdict:
    matches: bool
    message: str
    entry: ManifestEntry | None = None


def verify(file: Path, manifest: Path) -> Verdict:
    data = file.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    entries = [e for e in read_manifest(manifest) if e.kind in VERIFIABLE]
    for entry in entries:
        if entry.sha256 == digest and entry.version != "draft":
            what = (
                f"{entry.policy} version {entry.version}"
                if entry.policy
                else f"form {entry.path.rsplit('/', 1)[-1]} ({entry.version})"
            )
            return Verdict(
                True,
                f"{file}: matches {what}, published as {entry.path} (sha256 {digest[:12]}…)",
                entry,
            )
    claim = _CLAIM.search(_pdf_keywords(data))
    if claim:
        slug, version, text_hash = (part.decode() for part in claim.groups())
        return Verdict(
            False,
            f"{file}: does NOT match any approved file. It says it is "
            f"{slug} version {version} (text sha256 {text_hash}), but its contents "
            f"differ from the published copy: it has been altered or is not genuine",
        )
    return Verdict(
        False, f"{file}: does NOT match any approved version in {manifest} (sha256 {digest[:12]}…)"
    )

"""``build/manifest.json``: every output with its kind, source, policy version and SHA-256."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from policypress import __version__


@dataclass(frozen=True)
class ManifestEntry:
    kind: str
    path: str  # relative to build/
    sha256: str
    source: str | None = None  # relative to the project
    policy: str | None = None
    version: str | None = None


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(path: Path, entries: list[ManifestEntry]) -> None:
    data = {
        "generator": f"policypress {__version__}",
        "outputs": [
            {k: v for k, v in vars(e).items() if v is not None}
            for e in sorted(entries, key=lambda e: e.path)
        ],
    }
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def read_manifest(path: Path) -> list[ManifestEntry]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [ManifestEntry(**item) for item in data["outputs"]]

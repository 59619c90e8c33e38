"""``build/manifest.json``: every output with its kind, source, policy version and SHA-256."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from policypress import __version__
from policypress.core.project import Project
from policypress.governance.rollback import PolicyHead, heads_json
from policypress.outputs.generator import Output


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


def manifest_entries(
    project: Project, stage: Path, outputs: list[Output], roots: tuple[str, ...]
) -> list[ManifestEntry]:
    """The manifest as a fold over what the generators say they wrote, checked against what
    is on disk: a file nobody claims, or claimed twice, is a bug in policypress."""
    claimed: dict[str, Output] = {}
    for output in outputs:
        if output.path in claimed:
            raise RuntimeError(f"two outputs claim {output.path}")
        claimed[output.path] = output
    on_disk = {
        p.relative_to(stage).as_posix()
        for root in roots
        for p in (stage / root).rglob("*")
        if p.is_file()
    }
    if on_disk != set(claimed):
        raise RuntimeError(
            f"outputs and files differ: unclaimed {sorted(on_disk - set(claimed))}"
            f", missing {sorted(set(claimed) - on_disk)}"
        )
    return [
        ManifestEntry(
            o.kind,
            o.path,
            sha256_file(stage / o.path),
            project.relative(o.source) if o.source else None,
            o.policy,
            o.version,
        )
        for o in sorted(outputs, key=lambda o: o.path)
    ]


def write_manifest(
    path: Path, entries: list[ManifestEntry], heads: Mapping[str, PolicyHead] | None = None
) -> None:
    """Every output, and every policy's chain head (what the next build compares with)."""
    data: dict[str, object] = {
        "generator": f"policypress {__version__}",
        "outputs": [
            {k: v for k, v in vars(e).items() if v is not None}
            for e in sorted(entries, key=lambda e: e.path)
        ],
    }
    if heads is not None:
        data["policies"] = heads_json(heads)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def read_manifest(path: Path) -> list[ManifestEntry]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [ManifestEntry(**item) for item in data["outputs"]]

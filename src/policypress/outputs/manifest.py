"""``build/manifest.json``: every output with its kind, source, policy version and SHA-256.

A build makes the manifest from what its generators wrote (:func:`manifest_entries`); a
command that adds files between builds (a review pack, a quiz export) publishes them with
:func:`publish_outputs`: the same stage, manifest and switch, under the same lock.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from policypress import __version__
from policypress.core.files import write_atomic_bytes
from policypress.core.project import Project
from policypress.core.release import CARRIED_OVER, amended_release, is_unlisted
from policypress.governance.rollback import PolicyHead, heads_json, read_heads
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
        relative
        for root in roots
        for p in (stage / root).rglob("*")
        if p.is_file() and not is_unlisted(relative := p.relative_to(stage).as_posix())
    }
    if on_disk != set(claimed):
        raise RuntimeError(
            f"outputs and files differ: unclaimed {sorted(on_disk - set(claimed))}"
            f", missing {sorted(set(claimed) - on_disk)}"
        )
    return [_entry(project, stage, o) for o in sorted(outputs, key=lambda o: o.path)]


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


REVIEW_PACK = "review-pack"  # governors/<slug>-review-pack-after-v<version>.pdf


def carried_outputs(project: Project, published: Path, paths: list[str]) -> list[Output]:
    """The records of files a build carried over from the published release (review packs):
    as the published ``manifest.json`` lists them, or, for a file it does not list (written by
    a version of policypress before review packs were published), as a review pack of no
    known source."""
    listed = {e.path: e for e in read_manifest(published)} if published.is_file() else {}
    outputs = []
    for path in paths:
        entry = listed.get(path)
        if entry is None:
            outputs.append(Output(REVIEW_PACK, path))
        else:
            source = project.root / entry.source if entry.source else None
            outputs.append(Output(entry.kind, path, source, entry.policy, entry.version))
    return outputs


def publish_outputs(project: Project, files: Sequence[tuple[Output, bytes]]) -> list[Path]:
    """Publish ``files`` into the built site's output folder between builds, as a build
    publishes: under its lock, in a new release that starts as the published one, with a
    manifest that lists them (in place of any entries for the same paths), in one switch.
    Returns the published paths (through the build folder's fixed links). Raises
    :class:`~policypress.core.release.OutputLocked` at once while a build holds the lock."""
    out = project.out
    new = {output.path: output for output, _ in files}
    with amended_release(out) as stage:
        published = out / "manifest.json"
        kept = (
            [e for e in read_manifest(published) if e.path not in new]
            if published.is_file()
            else []
        )
        for output, data in files:
            write_atomic_bytes(stage / output.path, data)
        listed = {e.path for e in kept} | set(new)
        unlisted = sorted(
            relative
            for path in (stage / CARRIED_OVER).rglob("*")
            if path.is_file()
            and (relative := path.relative_to(stage).as_posix()) not in listed
            and not is_unlisted(relative)
        )
        entries = kept + [
            _entry(project, stage, output)
            for output in [*new.values(), *carried_outputs(project, published, unlisted)]
        ]
        write_manifest(stage / "manifest.json", entries, read_heads(published))
    return [out / path for path in new]


def _entry(project: Project, stage: Path, output: Output) -> ManifestEntry:
    return ManifestEntry(
        output.kind,
        output.path,
        sha256_file(stage / output.path),
        project.relative(output.source) if output.source else None,
        output.policy,
        output.version,
    )

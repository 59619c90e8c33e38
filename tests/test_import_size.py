"""`policypress import`: one size limit for the file imported, whatever its kind and whichever
import it is (a new policy, or ``--update`` from Word), said in one message."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, RunCli, make_project
from policypress.importer.package import MAX_FILE_BYTES, PackageRefused, check_size, read_file

LIMIT_MESSAGE = (
    f"{MAX_FILE_BYTES + 1:,} bytes; expected at most {MAX_FILE_BYTES:,} bytes for a policy"
)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _one_byte_over(path: Path) -> Path:
    # Sparse: the size is what is refused, before a byte of the file is read.
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    return path


@pytest.mark.parametrize("name", ["policy.docx", "policy.md"])
def test_a_file_one_byte_over_the_limit_is_refused_and_nothing_is_written(
    tmp_path: Path, run_cli: RunCli, name: str
) -> None:
    project = make_project(tmp_path / "project", FIXTURES / "minimal" / "content")
    before = _files(project)
    source = _one_byte_over(tmp_path / name)
    result = run_cli("import", source, "--slug", "too-big", "--project", project)
    assert result.code == 1, result.err
    assert result.err.strip() == f"policypress: {source}: {LIMIT_MESSAGE}"
    assert "Traceback" not in result.err
    assert _files(project) == before


def test_an_update_from_word_has_the_same_limit(tmp_path: Path, run_cli: RunCli) -> None:
    project = make_project(tmp_path / "project", FIXTURES / "minimal" / "content")
    slug = next((project / "content" / "policies").iterdir()).name
    before = _files(project)
    source = _one_byte_over(tmp_path / "edited.docx")
    result = run_cli("import", source, "--update", slug, "--project", project)
    assert result.code == 1, result.err
    assert result.err.strip() == f"policypress: cannot import: {source}: {LIMIT_MESSAGE}"
    assert _files(project) == before


def test_the_limit_is_inclusive_and_the_reader_keeps_to_it(tmp_path: Path) -> None:
    check_size(MAX_FILE_BYTES)  # exactly the limit is allowed
    with pytest.raises(PackageRefused, match=LIMIT_MESSAGE):
        check_size(MAX_FILE_BYTES + 1)
    with pytest.raises(PackageRefused, match=LIMIT_MESSAGE):
        read_file(_one_byte_over(tmp_path / "policy.odt"))

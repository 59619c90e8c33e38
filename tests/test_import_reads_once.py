"""An imported file is read once: the package is checked and read by one reader, and pandoc,
python-docx and the tab and style readers all take what it read (so what was checked is what
is read). Python's audit events count every open of the file and every program started
with its name, whoever does it (zipfile, python-docx, pandoc given the path)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import FIXTURES, RunCli, make_project
from policypress.importer import convert

# What the hook records while a test watches a file: (event, the file's path), in order.
_WATCHING: list[tuple[Path, list[str]]] = []


def _audit(event: str, args: tuple[object, ...]) -> None:
    if not _WATCHING:
        return
    watched, seen = _WATCHING[-1]
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        opened = os.fsdecode(os.fspath(args[0]))
        if Path(opened).resolve() == watched:
            seen.append("open")
    elif event == "subprocess.Popen":
        command = args[1] if isinstance(args[1], (list, tuple)) else [args[1]]
        if any(str(watched.name) in os.fsdecode(str(part)) for part in command):
            seen.append("program given the file")


sys.addaudithook(_audit)  # hooks cannot be removed: it records only while a test watches


@contextmanager
def reads_of(path: Path) -> Iterator[list[str]]:
    seen: list[str] = []
    _WATCHING.append((path.resolve(), seen))
    try:
        yield seen
    finally:
        _WATCHING.pop()


@pytest.mark.parametrize(
    "source",
    [
        FIXTURES / "import" / "struct-tabs-docx" / "policy.docx",  # tabs and python-docx
        FIXTURES / "import" / "docx-styles" / "policy.docx",  # bold by a Word style
        FIXTURES / "import" / "struct-tabs-odt" / "policy.odt",  # tabs from content.xml
        FIXTURES / "import" / "txt" / "policy.txt",
    ],
)
def test_an_imported_file_is_opened_once(source: Path, tmp_path: Path) -> None:
    copy = tmp_path / source.name  # a name no other file in the run has
    copy.write_bytes(source.read_bytes())
    with reads_of(copy) as seen:
        doc = convert(copy)
    assert seen == ["open"]
    assert doc.sections  # it was imported, not refused


def test_the_tabs_and_bold_styles_are_still_read_from_the_one_reading() -> None:
    """What pandoc drops is read from the package as read: the tabbed lines still make a
    table, the styled paragraph still comes out bold (and so a heading)."""
    tabs = convert(FIXTURES / "import" / "struct-tabs-docx" / "policy.docx")
    assert any("tab-separated line(s) read as a table" in line for line in tabs.report.lines())
    odt = convert(FIXTURES / "import" / "struct-tabs-odt" / "policy.odt")
    assert any("tab-separated line(s) read as a table" in line for line in odt.report.lines())
    styled = convert(FIXTURES / "import" / "docx-styles" / "policy.docx")
    assert any(
        "bold paragraph (style 'Policy Subheading')" in line for line in styled.report.lines()
    )


def test_a_word_update_opens_the_file_once(tmp_path: Path, run_cli: RunCli) -> None:
    project = make_project(tmp_path, FIXTURES / "minimal" / "content")
    target = tmp_path / "edited-internet-use.docx"
    exported = run_cli("export-docx", "internet-use", "--project", project, "--out", target)
    assert exported.code == 0, exported.err
    with reads_of(target) as seen:
        result = run_cli("import", target, "--update", "internet-use", "--project", project)
    assert result.code == 0, result.err
    assert seen == ["open"]

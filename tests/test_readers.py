"""One reading of the sources: each project file is opened once, by its reader, through one
gate (core/safefile.read_bytes); the loader and the group only compose the readers."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import shutil
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PIL import Image

from conftest import FIXTURES, REPO, make_project
from policypress.build import build, check_everything
from policypress.commands.adoption import AdoptionRequest, adopt
from policypress.commands.approval import ApprovalRequest, approve, leftover_snapshot
from policypress.content.history import History, read_history
from policypress.content.policy import read_policy_text
from policypress.content.school import read_school, read_trust
from policypress.core.diagnostics import Diagnostics
from policypress.core.project import Project
from policypress.core.safefile import read_bytes, reading_once
from policypress.model.variables import Variables
from policypress.source.markdown import create_parser
from policypress.source.tree import read_tree

_opened: list[Counter[str]] = []  # the counters of the blocks now counting


def _audit(event: str, args: tuple[object, ...]) -> None:
    # "open" is raised by open(), io.open, os.open and Path.open/read_*: every way in.
    if _opened and event == "open" and isinstance(args[0], str | bytes | os.PathLike):
        path = os.path.realpath(os.fsdecode(args[0]))
        for counter in _opened:
            counter[path] += 1


sys.addaudithook(_audit)  # audit hooks cannot be removed: it counts only inside counting()


@contextmanager
def counting() -> Iterator[Counter[str]]:
    """Every file opened inside the block, by real path, with how many times."""
    counter: Counter[str] = Counter()
    _opened.append(counter)
    try:
        yield counter
    finally:
        _opened.remove(counter)


def _sources(root: Path, *folders: str) -> set[str]:
    """The project's source files (text and images) under ``folders`` of ``root``."""
    found = set()
    for name in folders:
        top = root / name
        paths = top.rglob("*") if top.is_dir() else [top]
        found |= {os.path.realpath(p) for p in paths if p.is_file() and not p.is_symlink()}
    return found


def _sample(tmp_path: Path) -> Path:
    return make_project(tmp_path / "sample", REPO / "content")


def _uncache_one_pdf_of_each_kind(out: Path) -> list[str]:
    """Remove from the PDF cache of the build in ``out`` a policy, a form, a poster, a
    worksheet and an answer key (a cached PDF holds the bytes that were published); their
    paths in the release, which the next build renders again."""
    release = out / "current"
    chosen = [
        min(release.glob(pattern)).relative_to(release).as_posix()
        for pattern in (
            "site/policies/*/*.pdf",
            "site/forms/*/*.pdf",
            "site/posters/*/*-a4.pdf",
            "site/quizzes/*/*-worksheet.pdf",
            "staff/quizzes/*-answer-key.pdf",
        )
    ]
    digests = {hashlib.sha256((release / path).read_bytes()).digest() for path in chosen}
    cached = list((out / ".cache" / "pdf").glob("*.pdf"))
    removed = [p for p in cached if hashlib.sha256(p.read_bytes()).digest() in digests]
    assert len(removed) == len(chosen), (chosen, removed)
    for path in removed:
        path.unlink()
    return sorted(chosen)


def _trust(tmp_path: Path) -> Path:
    root = tmp_path / "trust"
    shutil.copytree(REPO / "examples" / "trust", root, ignore=shutil.ignore_patterns("build"))
    return root


def _texts(sources: set[str]) -> set[str]:
    """The text sources among ``sources``: a folder's README.md explains it, is not read."""
    return {p for p in sources if p.endswith((".md", ".yml")) and not p.endswith("README.md")}


def _read_twice_or_more(opened: Counter[str], sources: set[str]) -> dict[str, int]:
    return {path: count for path, count in opened.items() if path in sources and count != 1}


def test_check_of_the_sample_opens_each_source_file_once(tmp_path: Path) -> None:
    root = _sample(tmp_path)
    sources = _sources(root, "content", "quizzes")
    with counting() as opened:
        diags = check_everything(Project.at(root))
    assert not diags.errors, [str(d) for d in diags.errors]
    assert _read_twice_or_more(opened, sources) == {}
    texts = _texts(sources)
    assert texts <= set(opened), sorted(texts - set(opened))  # every one was read


def test_check_of_the_example_trust_opens_each_source_file_once(tmp_path: Path) -> None:
    """A group reads the models once for each school (with the school's details); each
    model file is still opened once, and trust.yml once, not once a school."""
    root = _trust(tmp_path)
    sources = _sources(root, "content", "quizzes", "schools", "trust.yml")
    with counting() as opened:
        diags = check_everything(Project.at(root))
    assert not diags.errors, [str(d) for d in diags.errors]
    assert _read_twice_or_more(opened, sources) == {}
    texts = _texts(sources)
    assert texts <= set(opened), sorted(texts - set(opened))
    assert opened[os.path.realpath(root / "trust.yml")] == 1


@pytest.mark.builds
def test_a_build_of_the_sample_opens_each_text_source_once(sample_built: Path) -> None:
    """The outputs work from the model: after loading, no policy, history, agreement,
    poster, quiz or school file is opened again (images are copied into the outputs, so
    they are opened again there). One worker renders in this process, where opens are
    counted: one PDF of each kind is taken out of the first build's cache to be rendered
    here; the others are reused, which reads no source."""
    root = sample_built
    rendered = _uncache_one_pdf_of_each_kind(root / "build")
    texts = _texts(_sources(root, "content", "quizzes"))
    with counting() as opened:
        result = build(Project.at(root), workers=1)
    assert result.outputs > 0
    assert sorted(result.pdfs.rendered) == rendered
    assert _read_twice_or_more(opened, texts) == {}
    assert texts <= set(opened), sorted(texts - set(opened))


def test_the_gate_opens_a_file_once_while_reading_once(tmp_path: Path) -> None:
    path = tmp_path / "a.yml"
    path.write_text("name: A\n", encoding="utf-8")
    diags = Diagnostics(tmp_path)
    with counting() as opened, reading_once():
        first = read_bytes(path, diags)
        path.write_text("name: B\n", encoding="utf-8")  # unseen: the file was read already
        second = read_bytes(path, diags)
    assert first == second == b"name: A\n"
    assert opened[os.path.realpath(path)] == 2  # the read, and the test's own write
    assert read_bytes(path, diags) == b"name: B\n"  # outside, every read opens the file


def test_a_refused_file_is_reported_to_every_reader_while_reading_once(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "school.yml")
    with reading_once():
        for _ in range(2):
            diags = Diagnostics(tmp_path)
            assert read_school(tmp_path, diags, read_tree(diags, [tmp_path / "school.yml"])) is None
            assert [str(d) for d in diags.errors] == [
                "school.yml:1:1: is a FIFO (named pipe); expected a regular file"
            ]


def test_the_school_and_trust_readers_keep_where_their_details_are() -> None:
    diags = Diagnostics(REPO)
    trust_root = REPO / "examples" / "trust"
    tree = read_tree(diags, [REPO / "content" / "school.yml", trust_root / "trust.yml"])
    school = read_school(REPO / "content", diags, tree)
    trust = read_trust(trust_root, diags, tree)
    assert not diags.items, [str(d) for d in diags.items]
    assert school is not None and school.details == REPO / "content" / "school.yml"
    assert trust is not None and trust.details == REPO / "examples" / "trust" / "trust.yml"
    assert school.contacts and trust.contacts


def test_the_policy_reader_reports_at_the_line_and_column(tmp_path: Path) -> None:
    """What approve and adopt use to read a working text: its sections with their lines,
    its problems at their line and column, the text approve writes and its images."""
    details = Diagnostics(REPO)
    school = read_school(REPO / "content", details, read_tree(details, [REPO / "content"]))
    diags = Diagnostics(tmp_path)
    source = tmp_path / "policy.md"
    source.write_text(
        "---\ntitle: T\nsummary: to-confirm\nowner: nobody\naudiences: [staff]\n"
        "review_cycle_months: 12\n---\n\n## Scope {#scope}\n\n![A red square](images/red.png)\n",
        encoding="utf-8",
    )
    image = io.BytesIO()
    Image.new("RGB", (120, 60), (200, 0, 0)).save(image, "PNG")
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "red.png").write_bytes(image.getvalue())
    assert school is not None
    variables = Variables.for_school(school)
    md, tree = create_parser(), read_tree(diags, [tmp_path])
    read_policy_text(source, "t", md, school, diags, tree, variables=variables)
    owner = [str(d) for d in diags.errors]
    assert len(owner) == 1 and owner[0].startswith("policy.md:4:8: owner 'nobody' is not a")
    source.write_text(source.read_text().replace("nobody", "headteacher"), encoding="utf-8")
    diags = Diagnostics(tmp_path)
    tree = read_tree(diags, [tmp_path])
    text = read_policy_text(source, "t", md, school, diags, tree, variables=variables)
    assert text is not None, [str(d) for d in diags.items]
    assert [(c.id, c.line) for c in text.policy.clauses] == [("scope", 9)]
    assert text.text == source.read_text(encoding="utf-8")
    sha256 = hashlib.sha256(image.getvalue()).hexdigest()
    assert [i.sha256 for i in text.policy.images] == [sha256]
    assert f"(images/{sha256}.png)" in text.frozen and "(images/red.png)" not in text.frozen
    assert [(u.what, u.at.line, u.at.col) for u in text.unconfirmed] == [("the summary", 3, 10)]


def test_the_history_reader_keeps_the_text_it_read(tmp_path: Path) -> None:
    """approve and adopt append a new entry to the history as read, without reading again."""
    path = REPO / "content" / "policies" / "online-safety" / "history.yml"
    diags = Diagnostics(REPO)
    history = read_history(path, diags, read_tree(diags, [path]))
    assert history is not None and history.entries
    assert history.text == path.read_text(encoding="utf-8")
    assert History().text == "versions: []\n"  # a school that has adopted nothing yet


def test_approve_opens_each_source_file_of_the_policy_once(tmp_path: Path) -> None:
    """approve reads the policy through its reader: the working text, its image, the history
    (whose text it appends to) and the approved snapshots, each opened once."""
    root = make_project(tmp_path / "images", FIXTURES / "images" / "content", quizzes=False)
    folder = root / "content" / "policies" / "internet-use"
    policy = folder / "policy.md"
    policy.write_text(policy.read_text("utf-8") + "\nStaff log every concern the same day.\n")
    sources = _sources(root, "content")
    request = ApprovalRequest(
        "internet-use", "Full Governing Board", dt.date(2026, 10, 21), None, "minor", "Logging."
    )
    with counting() as opened:
        record = approve(Project.at(root), Diagnostics(root), request, 12)
    # Files are written to a temporary name and renamed over, so what was opened was read:
    # history.yml, which the new entry replaces, was read once too.
    assert _read_twice_or_more(opened, sources) == {}
    wanted = [policy, folder / "history.yml", folder / "images" / "who-to-tell.png"]
    assert {os.path.realpath(p) for p in wanted} <= set(opened)
    assert record.snapshot.read_text("utf-8").endswith("the same day.\n")


def test_adopt_opens_each_source_file_once(tmp_path: Path) -> None:
    """adopt reads the model policy, the school's details, history and local text and the
    group's school names through the readers, each file opened once."""
    root = _trust(tmp_path)
    sources = _sources(root, "content", "schools", "trust.yml")
    request = AdoptionRequest(
        "millpond-primary", "online-safety", "1.1", "Local Governing Body", dt.date(2026, 10, 14)
    )
    with counting() as opened:
        record = adopt(root, root / "content", Diagnostics(root), request)
    assert _read_twice_or_more(opened, sources) == {}  # history.yml included (see above)
    school = root / "schools" / "millpond-primary"
    model = root / "content" / "policies" / "online-safety"
    wanted = [
        model / "history.yml",
        model / "versions" / "1.1.md",
        school / "school.yml",
        school / "policies" / "online-safety" / "history.yml",
        school / "local" / "online-safety.md",
    ]
    assert {os.path.realpath(p) for p in wanted} <= set(opened)
    assert str(record.number) == "1.1"


def test_a_leftover_snapshot_of_the_working_text_is_found_through_the_readers(
    tmp_path: Path,
) -> None:
    """An interrupted approval left versions/<next>.md without its history entry: it is the
    working text as approve writes it (read by the policy's reader), so it may be replaced;
    a snapshot of some other text is not."""
    root = _sample(tmp_path)
    folder = root / "content" / "policies" / "online-safety"
    policy = folder / "policy.md"
    policy.write_text(policy.read_text("utf-8") + "\nStaff log every concern the same day.\n")
    leftover = folder / "versions" / "3.2.md"
    leftover.write_text(policy.read_text("utf-8"), "utf-8")
    project = Project.at(root)
    assert leftover_snapshot(project, "online-safety", "minor") == leftover
    assert leftover_snapshot(project, "online-safety", "major") is None  # 4.0 is not there
    leftover.write_text(policy.read_text("utf-8") + "\nAnother text.\n", "utf-8")
    assert leftover_snapshot(project, "online-safety", "minor") is None


def test_a_stray_file_no_reader_wants_is_read_but_not_reported(tmp_path: Path) -> None:
    """The reading pass reads every file of the content folders, yet what is wrong with a
    file no reader takes (broken YAML beside a policy, bytes that are not UTF-8 among the
    posters, an image no policy shows that is over the image limit) gives no message, as
    before the pass; the readers' own files are still opened once each."""
    root = _sample(tmp_path)
    policy = root / "content" / "policies" / "online-safety"
    (policy / "notes.yml").write_text("key: [unclosed\n", encoding="utf-8")
    (root / "content" / "posters" / "old-export.txt").write_bytes(b"\xff\xfe broken")
    (policy / "images").mkdir(exist_ok=True)
    (policy / "images" / "unused.png").write_bytes(b"\x89PNG" + b"\0" * (3 * 1024 * 1024))
    sources = _sources(root, "content", "quizzes")
    with counting() as opened:
        diags = check_everything(Project.at(root))
    assert not diags.errors, [str(d) for d in diags.errors]
    assert _read_twice_or_more(opened, sources) == {}
    assert os.path.realpath(policy / "notes.yml") in opened  # read by the pass, not reported


def test_a_file_in_the_tree_is_reported_to_each_reader_at_its_limit(tmp_path: Path) -> None:
    """A file taken twice reports its problems to each reader's diagnostics (a refusal once
    to the same ones); bytes are held up to the largest limit and refused at the reader's."""
    bad = tmp_path / "bad.yml"
    bad.write_text("a: 1\na: 2\n", encoding="utf-8")
    image = tmp_path / "big.png"
    image.write_bytes(b"\0" * (3 * 1024 * 1024))
    huge = tmp_path / "huge.png"  # beyond every limit: its size is kept, not its bytes
    huge.write_bytes(b"\0" * (11 * 1024 * 1024))
    os.mkfifo(tmp_path / "pipe.md")
    tree = read_tree(Diagnostics(tmp_path), [tmp_path])
    for _ in range(2):
        diags = Diagnostics(tmp_path)
        assert tree[bad].yaml(diags) is None
        assert [str(d) for d in diags.errors] == [
            "bad.yml:2:1: duplicate key 'a' (first given at line 1); expected each key once"
        ]
    diags = Diagnostics(tmp_path)
    assert tree[image].data(diags, limit=10 * 1024 * 1024) == image.read_bytes()
    assert tree[image].data(diags, limit=2 * 1024 * 1024) is None
    assert tree[tmp_path / "pipe.md"].as_text(diags) is None
    assert tree[tmp_path / "pipe.md"].as_text(diags) is None
    assert tree[huge].data(diags, limit=2 * 1024 * 1024) is None
    shorter = "expected a much shorter file: split it, or remove what was pasted in by mistake"
    assert [str(d) for d in diags.errors] == [
        f"big.png:1:1: file is larger than 2.0 MB (it is 3.0 MB); {shorter}",
        "pipe.md:1:1: is a FIFO (named pipe); expected a regular file",
        f"huge.png:1:1: file is larger than 2.0 MB (it is 11.0 MB); {shorter}",
    ]


def test_the_tree_is_read_once_and_cannot_change(tmp_path: Path) -> None:
    """What the readers take is what the pass read: a file edited afterwards is not seen,
    and the tree itself cannot be changed; a file outside the places read is read when
    asked for, through the same gate."""
    path = tmp_path / "a.yml"
    path.write_text("name: A\n", encoding="utf-8")
    outside = tmp_path / "elsewhere.yml"
    outside.write_text("name: C\n", encoding="utf-8")
    diags = Diagnostics(tmp_path)
    with counting() as opened:
        tree = read_tree(diags, [path])
        path.write_text("name: B\n", encoding="utf-8")
        first, second = tree[path].yaml(diags), tree[path].yaml(diags)
        assert first is not None and second is not None
        assert first[1].data == second[1].data == {"name": "A"}
        first[1].data["name"] = "changed"  # each reader has its own copy
        assert tree[path].as_text(diags) == "name: A\n"
        taken = tree[path].yaml(diags)
        assert taken is not None and taken[1].data == {"name": "A"}
        assert tree[outside].as_text(diags) == "name: C\n"
    assert opened[os.path.realpath(path)] == 2  # the pass's read, and the test's own write
    assert opened[os.path.realpath(outside)] == 1
    with pytest.raises(TypeError):
        tree.files[outside] = tree[outside]  # type: ignore[index]
    assert not diags.items

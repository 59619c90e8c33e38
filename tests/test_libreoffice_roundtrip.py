"""Word round trip through LibreOffice: an export re-saved by ``soffice`` reads back as it was.

LibreOffice rewrites the whole package when it saves: its own relationship type for the core
properties, one numbering instance per list item, links relative to where it saved the file.
Every file is converted in one ``soffice`` run per LibreOffice filter (each run takes seconds),
made once for the module: exports of three policies unchanged, and two with their
``word/document.xml`` edited first (as a school's edit in LibreOffice arrives).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import time
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import EPOCH, FIXTURES, REPO, RunCli, make_project
from policypress.cli import main
from policypress.importer import update
from policypress.importer.docxin import TrackChanges, WordText, read_word
from policypress.importer.wordast import Cleaning, clean_inlines
from policypress.importer.wordparts import continue_lists, parse, qn
from policypress.importer.wordvariables import LostVariable, lost_variables, restore

SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice's soffice is not installed (Debian package libreoffice-writer-nogui, "
    "in scripts/system-packages.txt)",
)


@dataclass(frozen=True)
class Case:
    content: Path  # the content folder a project is made from
    slug: str
    edits: tuple[tuple[str, str], ...] = ()  # text in document.xml → what it becomes
    appended: str = ""  # added to policy.md first (then the working draft is exported)


# Lists LibreOffice renumbers (a list starting at 3, one nested in another, two lists with a
# paragraph between), a quotation, code, and a table whose columns are centred and right-aligned.
LAYOUTS = """
### Lending laptops {#laptop-loans}

Pupils borrowing a laptop overnight:

3. ask their class teacher the day before;
4. collect it from the office:
   - before 3.15 pm on weekdays;
   - from the deputy head on trip days;
5. return it charged the next morning.

Lost chargers are replaced by the school.

1. Report a fault at once.
2. Never open the case.

> Advice from the county IT service: the `pupil-loan` profile blocks downloads.

| Year group | Laptops | Hours a week |
|---|:---:|---:|
| Year 5 | shared | 4 |
| Year 6 | one each | 10 |

- Charging trolleys
  1. lock after use
  2. keep the key in the office
- Spare batteries stay in the trolley.
"""


CASES = {
    "sample": Case(REPO / "content", "online-safety"),
    "minimal": Case(FIXTURES / "minimal" / "content", "internet-use"),
    "variables": Case(FIXTURES / "variables" / "content", "contacts-policy"),
    "layouts": Case(FIXTURES / "minimal" / "content", "internet-use", appended=LAYOUTS),
    "minimal-edited": Case(
        FIXTURES / "minimal" / "content",
        "internet-use",
        (
            ("tell a trusted adult", "tell a teacher or another trusted adult"),
            # gaps typed between paragraphs, in a clause not edited: a no-break space, empty
            (
                '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:bookmarkStart w:id="1"',
                "<w:p><w:r><w:t>\u00a0</w:t></w:r></w:p><w:p/>"
                '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:bookmarkStart w:id="1"',
            ),
        ),
    ),
    "variables-edited": Case(
        FIXTURES / "variables" / "content",
        "contacts-policy",
        (
            ("Reporting at", "Reporting worries at"),  # a heading holding a variable
            ("reports a worry", "always reports a worry"),
            ("Our office is at", "Our main office is at"),
        ),
    ),
}


def _edit(data: bytes, edits: tuple[tuple[str, str], ...]) -> bytes:
    """The package with ``word/document.xml``'s text edited (each text found exactly once)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            part = source.read(name)
            if name == "word/document.xml":
                xml = part.decode("utf-8")
                for old, new in edits:
                    assert xml.count(old) == 1, old
                    xml = xml.replace(old, new)
                part = xml.encode("utf-8")
            target.writestr(name, part)
    return out.getvalue()


# LibreOffice's two ways to write .docx: what "--convert-to docx" picks, and "Word 2007-365",
# the first .docx choice of Save As (it writes "left" on every table cell's paragraphs).
FILTERS = {"office-open-xml": "docx", "word-2007-365": "docx:MS Word 2007 XML"}


@pytest.fixture(scope="module")
def resaved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every case exported, edited, and re-saved by LibreOffice: one run per filter, into
    ``<folder>/<filter>/<case>.docx``."""
    assert SOFFICE is not None
    root = tmp_path_factory.mktemp("libreoffice")
    exported = root / "exported"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        for name, case in CASES.items():
            project = _project(root / "projects" / name, name)
            target = exported / f"{name}.docx"
            args = ["export-docx", case.slug, "--project", str(project), "--out", str(target)]
            args += ["--draft"] if case.appended else []
            assert main(args) == 0
            target.write_bytes(_edit(target.read_bytes(), case.edits))
    for folder, how in FILTERS.items():
        started = time.monotonic()
        done = subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation={(root / 'profile').as_uri()}",  # its own: runs can overlap
                "--headless",
                "--convert-to",
                how,
                "--outdir",
                str(root / folder),
                *(str(exported / f"{name}.docx") for name in CASES),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        seconds = time.monotonic() - started
        print(f"soffice ({how}) re-saved {len(CASES)} files in {seconds:.1f} s")  # pytest -s
    return root


def _project(tmp_path: Path, name: str) -> Path:
    project = make_project(tmp_path, CASES[name].content)
    if CASES[name].appended:
        with _policy(project, name).open("a") as policy:
            policy.write(CASES[name].appended)
    return project


def _policy(project: Path, name: str) -> Path:
    return project / "content" / "policies" / CASES[name].slug / "policy.md"


@needs_soffice
@pytest.mark.parametrize("how", FILTERS)
@pytest.mark.parametrize("name", ["sample", "minimal", "variables", "layouts"])
def test_libreoffice_resave_reads_back_unchanged(
    resaved: Path, tmp_path: Path, run_cli: RunCli, name: str, how: str
) -> None:
    """Lists (bulleted, numbered, nested, starting at 3), tables (aligned columns), a
    quotation, links to other policies and to clauses, and variables: no clause reworded, not
    one byte of policy.md changed, no notice."""
    project = _project(tmp_path, name)
    before = _policy(project, name).read_bytes()
    word = resaved / how / f"{name}.docx"
    result = run_cli("import", word, "--update", CASES[name].slug, "--project", project)
    assert result.code == 0, result.err
    assert "no changes: the Word file holds the same text" in result.out
    assert result.err == ""  # no notice: the export's mark was found, nothing was dropped
    assert _policy(project, name).read_bytes() == before


@needs_soffice
@pytest.mark.parametrize("how", FILTERS)
def test_libreoffice_file_reads_without_any_warning(resaved: Path, how: str) -> None:
    """python-docx once wrote a second docProps/core.xml for LibreOffice's files (a raw
    UserWarning); the reader now raises none, and finds the export's mark."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        word = read_word(resaved / how / "sample.docx")
    assert word.identifier.startswith("policypress:online-safety:")
    assert word.problems == []


@needs_soffice
@pytest.mark.parametrize("how", FILTERS)
def test_one_edit_in_libreoffice_rewords_only_its_clause(
    resaved: Path, tmp_path: Path, run_cli: RunCli, how: str
) -> None:
    project = _project(tmp_path, "minimal-edited")
    policy = _policy(project, "minimal-edited")
    before = policy.read_text()
    word = resaved / how / "minimal-edited.docx"
    result = run_cli("import", word, "--update", "internet-use", "--project", project)
    assert result.code == 0, result.err
    changed = [line.split() for line in result.out.splitlines() if line.startswith("  ")]
    assert changed == [["reworded", "2.1", "pupil-rules", "For", "pupils"]]
    # the edited paragraph is written anew (on one line); every other byte is as it was
    old = "Pupils tell a trusted adult when something online worries them.\nSee [the purpose]"
    new = "Pupils tell a teacher or another trusted adult when something online worries them. "
    assert before.count(old) == 1
    assert policy.read_text() == before.replace(old, f"{new}See [the purpose]")


@needs_soffice
@pytest.mark.parametrize("how", FILTERS)
def test_variables_written_out_in_libreoffice_are_refused_then_restored(
    resaved: Path, tmp_path: Path, run_cli: RunCli, how: str
) -> None:
    project = _project(tmp_path, "variables-edited")
    policy = _policy(project, "variables-edited")
    before = policy.read_text()
    word = resaved / how / "variables-edited.docx"
    args = ("import", word, "--update", "contacts-policy", "--project", project)

    refused = run_cli(*args)
    assert refused.code == 1
    said = " ".join(refused.err.split())
    assert (
        f"{word}: clause 1 (reporting): {{{{ school.name }}}} is written out as "
        "'Hollybrook & Vale Primary School' (2 times); expected the variable" in said
    )
    assert (
        f"{word}: clause 2 (finding-us): {{{{ school.address }}}} is written out as "
        "'4 Orchard Row, Hollybrook, HB3 9QT'" in said
    )
    assert "--restore-variables" in said and "--keep-values" in said
    assert "Traceback" not in said
    assert policy.read_text() == before  # nothing written until told which

    restored = run_cli(*args, "--restore-variables")
    assert restored.code == 0, restored.err
    assert (
        "clause 1 (reporting): put {{ school.name }} back in place of "
        "'Hollybrook & Vale Primary School'" in restored.out
    )
    # each variable as it was written, the edits kept, the other clauses' lines as they were
    edits = {
        "## Reporting at {{ school.name }}": "## Reporting worries at {{ school.name }}",
        "Everyone at {{school.name}} reports": "Everyone at {{school.name}} always reports",
        (
            "Our office is at {{ school.address }}, and this policy is published at "
            "{{ school.website }}.\nThe {{ contact.headteacher.role }} reads every report the "
            "same week.\nWritten in code,"
        ): (
            "Our main office is at {{ school.address }}, and this policy is published at "
            "{{ school.website }}. The {{ contact.headteacher.role }} reads every report the "
            "same week. Written in code,"
        ),
    }
    expected = before
    for old, new in edits.items():
        assert expected.count(old) == 1
        expected = expected.replace(old, new)
    assert policy.read_text() == expected


@needs_soffice
def test_keep_values_writes_the_words_as_typed(
    resaved: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    project = _project(tmp_path, "variables-edited")
    word = resaved / "word-2007-365" / "variables-edited.docx"
    kept = run_cli(
        "import", word, "--update", "contacts-policy", "--project", project, "--keep-values"
    )
    assert kept.code == 0, kept.err
    assert (
        "clause 1 (reporting): kept 'Hollybrook & Vale Primary School' as typed instead of "
        "{{ school.name }}" in kept.out
    )
    text = _policy(project, "variables-edited").read_text()
    assert "Everyone at Hollybrook & Vale Primary School always reports" in text
    assert "## Reporting worries at Hollybrook & Vale Primary School {#reporting}" in text
    # the one left is code, shown as written; the lists' variables were not edited
    assert "{{school.name}}" not in text and text.count("{{ school.name }}") == 1
    assert "{{ contact.dsl.name }}" in text


def test_duplicate_part_names_are_refused_plainly(tmp_path: Path, run_cli: RunCli) -> None:
    """A package with two parts of one name: which one a reader takes is up to the reader, so
    it is refused with the file's name, not read one way or another or warned about."""
    project = make_project(tmp_path, FIXTURES / "minimal" / "content")
    good = project / "good.docx"
    assert run_cli("export-docx", "internet-use", "--project", project, "--out", good).code == 0
    twice = project / "twice.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(twice, "w") as target:
        for name in source.namelist():
            target.writestr(name, source.read(name))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile's own warning, making the bad file
            target.writestr("docProps/core.xml", b"<other/>")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = run_cli("import", twice, "--update", "internet-use", "--project", project)
    assert result.code == 1
    assert (
        f"policypress: cannot import: {twice}: holds more than one part named "
        "'docProps/core.xml'; expected each part once" in result.err
    )
    assert "Traceback" not in result.err and "Warning" not in result.err


@pytest.mark.parametrize(
    ("href", "kept"),
    [
        ("../staff-code#phones", "staff-code#phones"),
        ("../../policies/staff-code#phones", "staff-code#phones"),
        ("./staff-code", "staff-code"),
        ("file:///home/office/Policies/staff-code#phones", "staff-code#phones"),
        ("staff-code#phones", "staff-code#phones"),
        ("#phones", "#phones"),
        ("https://example.org/a/b#c", "https://example.org/a/b#c"),
        ("mailto:office@example.org", "mailto:office@example.org"),
    ],
)
def test_links_saved_from_another_folder_keep_the_policy(href: str, kept: str) -> None:
    link = {"t": "Link", "c": [["", [], []], [{"t": "Str", "c": "the code"}], [href, ""]]}
    cleaned = clean_inlines([link], Cleaning())
    assert cleaned[0]["c"][2] == [kept, ""]


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NUMBERING = f"""<w:numbering xmlns:w="{_W}">
<w:abstractNum w:abstractNumId="7"/><w:abstractNum w:abstractNumId="8"/>
<w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="7"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="7"/>
  <w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="8"/></w:num>
</w:numbering>"""


def _paragraphs(*numbers: str | None) -> str:
    body = "".join(
        f'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{n}"/></w:numPr></w:pPr></w:p>'
        if n
        else "<w:p/>"
        for n in numbers
    )
    return f'<w:body xmlns:w="{_W}">{body}</w:body>'


@pytest.mark.parametrize(
    ("given", "read"),
    [
        (["1", "2", "2"], ["1", "1", "1"]),  # instances of one list: one list
        (["1", "3", "2"], ["1", "3", "3"]),  # a restart starts a new list, which goes on
        (["1", None, "2"], ["1", None, "2"]),  # a paragraph between: two lists
        (["1", "4", "2"], ["1", "4", "1"]),  # another definition nested inside: one list
        (["9", "2"], ["9", "2"]),  # an instance numbering does not define: left alone
    ],
)
def test_list_items_continue_the_list_as_word_numbers_them(
    given: list[str | None], read: list[str | None]
) -> None:
    body = parse(_paragraphs(*given).encode())
    continue_lists(body, parse(_NUMBERING.encode()))
    found = [
        number.get(qn("val")) if number is not None else None
        for number in (p.find(f"{qn('pPr')}/{qn('numPr')}/{qn('numId')}") for p in body)
    ]
    assert found == read


VALUES = {"school.name": "Brookfield Vale School", "contact.head.role": "HT"}


def test_lost_variables_need_the_variable_gone_and_its_value_added() -> None:
    old = [
        "## Welcome {#welcome}",
        "",
        "{{ school.name }} welcomes you; so does the {{ contact.head.role }}.",
    ]
    new = [
        "## Welcome {#welcome}",
        "",
        "Brookfield Vale School warmly welcomes you; so does the HT.",
    ]
    lost = lost_variables(old, new, VALUES)
    # "HT" is too short a value to tell from any other word: it is left as typed
    assert lost == [LostVariable("Brookfield Vale School", ("{{ school.name }}",))]
    assert restore(old, new, lost)[2] == ("{{ school.name }} warmly welcomes you; so does the HT.")
    # the value was in the text as words already, and the variable is still there: nothing lost
    same = ["Brookfield Vale School (Brookfield Vale Schools Trust) is {{ school.name }}."]
    assert lost_variables(same, [*same, "More."], VALUES) == []
    # a longer word that starts with the value is not a copy of it
    longer = ["{{ school.name }}s rule."]
    assert lost_variables(longer, ["Brookfield Vale Schools rule."], VALUES) == []


def test_each_lost_copy_comes_back_as_it_was_written() -> None:
    old = ["## About {{school.name}} {#about}", "", "Welcome to {{ school.name }}."]
    new = ["## About Brookfield Vale School {#about}", "", "Welcome to Brookfield Vale School!"]
    lost = lost_variables(old, new, VALUES)
    assert lost == [
        LostVariable("Brookfield Vale School", ("{{school.name}}", "{{ school.name }}"))
    ]
    assert restore(old, new, lost) == [
        "## About {{school.name}} {#about}",
        "",
        "Welcome to {{ school.name }}!",
    ]


def test_a_library_warning_becomes_one_notice(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever a library warns about while reading the file is said as a notice naming the
    file, once, never as a Python warning with a source line."""
    project = make_project(tmp_path, FIXTURES / "minimal" / "content")
    word = project / "same.docx"
    assert run_cli("export-docx", "internet-use", "--project", project, "--out", word).code == 0

    def warned(path: Path, track_changes: TrackChanges = "accept") -> WordText:
        for _ in range(2):
            warnings.warn("style 'Fancy Heading' is not defined", UserWarning, stacklevel=1)
        return read_word(path, track_changes)

    monkeypatch.setattr(update, "read_word", warned)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = run_cli("import", word, "--update", "internet-use", "--project", project)
    assert result.code == 0, result.err
    assert result.err == f"policypress: notice: {word}: style 'Fancy Heading' is not defined\n"

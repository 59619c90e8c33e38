"""What a printed copy looks like: no sheet wasted on a few lines, a signing block never alone."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import cast
from xml.etree import ElementTree

import pytest
from PIL import Image
from pypdf import PageObject, PdfReader
from pypdf.generic import DictionaryObject

from conftest import REPO, make_project
from pdftext import BOTTOM_MARGIN, TOP_MARGIN, page_fill, words
from policypress.build import check
from policypress.commands.buildreport import LogProgress
from policypress.commands.reviewpack import build_review_pack
from policypress.core.colour import contrast_ratio
from policypress.core.diagnostics import Diagnostics
from policypress.core.project import Project
from policypress.model import Content, Poster, School
from policypress.outputs.pdf.errors import PdfRenderError
from policypress.outputs.pdf.palette import (
    DARK,
    LARGE_TEXT,
    NORMAL_TEXT,
    check_poster_colours,
    fallback_warnings,
    poster_palette,
    readable_contrast,
)
from policypress.outputs.pdf.posters import poster_jobs
from policypress.outputs.pdf.render import render_pdf
from policypress.outputs.templating import create_environment
from policypress.quizzes.generate import Quiz

QUARTER = 0.25


def _paths(build_dir: Path, *kinds: str) -> list[Path]:
    outputs = json.loads((build_dir / "manifest.json").read_text())["outputs"]
    return [build_dir / o["path"] for o in outputs if o["kind"] in kinds]


def test_no_page_of_a_form_worksheet_or_answer_key_is_less_than_a_quarter_full(
    sample_build: Path,
) -> None:
    paths = _paths(sample_build, "agreement-pdf", "quiz-answer-key", "quiz-worksheet")
    assert len(paths) >= 18
    thin = {
        path.name: [round(fill, 2) for fill in fills]
        for path in paths
        if min(fills := page_fill(path)) < QUARTER
    }
    assert thin == {}


def test_the_ks1_form_is_one_sheet_and_its_answer_key_a_few(sample_build: Path) -> None:
    [form] = [p for p in _paths(sample_build, "agreement-pdf") if p.name == "ks1-pupils.pdf"]
    assert len(PdfReader(form).pages) == 1
    [key] = [p for p in _paths(sample_build, "quiz-answer-key") if p.name == "ks1-answer-key.pdf"]
    assert len(PdfReader(key).pages) <= 3


def _page_lines(page: PageObject) -> list[str]:
    """The page's body text, one entry per line, top to bottom."""
    height = float(page.mediabox.height)
    lines: dict[int, list[str]] = {}

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        y = cm[5] + tm[5] * cm[3] if cm else tm[5]
        if text.strip() and BOTTOM_MARGIN - 2 < y < height - TOP_MARGIN + 2:
            lines.setdefault(round(y), []).append(text)

    page.extract_text(visitor_text=visit)
    return [" ".join("".join(parts).split()) for _, parts in sorted(lines.items(), reverse=True)]


def test_a_signing_block_shares_its_page_with_what_is_being_signed(
    sample_build: Path, content: Content
) -> None:
    forms = {p.stem: p for p in _paths(sample_build, "agreement-pdf")}
    for agreement in content.agreements:
        first_label = next(line.label for line in agreement.sign if line.after is None)
        reader = PdfReader(forms[agreement.slug])
        for page in reader.pages:
            lines = _page_lines(page)
            at = next((i for i, line in enumerate(lines) if line.startswith(first_label)), None)
            if at is not None:
                above = [w for line in lines[:at] for w in words(line)]
                assert len(above) >= 5, (agreement.slug, lines[: at + 1])
                break
        else:
            pytest.fail(f"{agreement.slug}: signing label {first_label!r} not found")


# Posters ---------------------------------------------------------------------------------

POSTER_MARGIN = 12 * 72 / 25.4  # content/posters.py MARGIN_MM
MIN_GAP = 4.0  # points of clear space between any two text boxes on a poster
PALE = {"primary": "#767676", "accent": "#c25400"}  # the palest colours check accepts (4.5:1)
Rect = tuple[float, float, float, float]  # x0, y0 (top), x1, y1, in points from the top left
XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Line:
    words: tuple[str, ...]
    box: Rect
    word_boxes: tuple[tuple[str, Rect], ...]  # each word as poppler splits them


def poster_lines(pdf: Path) -> tuple[float, float, list[Line]]:
    """Page size and every line of text with its box, as poppler's pdftotext lays them out."""
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    root = ElementTree.fromstring(xml)
    page = next(root.iter(f"{XHTML}page"))

    def rect(e: ElementTree.Element) -> Rect:
        return (float(e.get("xMin", 0)), float(e.get("yMin", 0)), float(e.get("xMax", 0)),
                float(e.get("yMax", 0)))  # fmt: skip

    lines = [
        Line(
            tuple(w for word in line.iter(f"{XHTML}word") for w in words(word.text or "")),
            rect(line),
            tuple((word.text or "", rect(word)) for word in line.iter(f"{XHTML}word")),
        )
        for line in page.iter(f"{XHTML}line")
    ]
    return float(page.get("width", 0)), float(page.get("height", 0)), lines


def footer_lead(school: School) -> str:
    """How a poster's footer begins: the example marker on example content, then the school."""
    lead = f"{school.name} · From"
    if school.example:
        return f"Example content. {school.name} is a made-up school. {lead}"
    return lead


def poster_texts(poster: Poster, school: str) -> list[tuple[str, str]]:
    """Each text box a poster shows, as (kind, text): the title, every item, the footer
    (``school``: how it begins, see footer_lead)."""
    texts = [("title", poster.title)]
    texts += [("intro", poster.intro)] if poster.intro else []
    texts += [("item", item.text) for item in poster.rules]
    texts += [("heading", "Do")] if poster.dos else []
    texts += [("item", item.text) for item in poster.dos]
    texts += [("heading", "Don’t")] if poster.donts else []
    texts += [("item", item.text) for item in poster.donts]
    texts += [("item", person) for person in poster.people]
    texts += [("item", f"{c.name}, {c.role}" if c.name else c.role) for c in poster.contacts]
    texts += [("item", f"{name}: {number}") for name, number in poster.helplines]
    return [*texts, ("footer", school)]


def text_boxes(poster: Poster, school: str, lines: list[Line]) -> list[tuple[str, str, Rect]]:
    """Each of the poster's texts with the box of the lines that show it. A line belongs to the
    first text whose next words it is (texts and lines both come in reading order)."""
    texts = poster_texts(poster, school)
    wanted = [[w.lower() for w in words(text)] for _, text in texts]
    taken = [0] * len(texts)
    boxes: list[list[Rect]] = [[] for _ in texts]
    for line in lines:
        said = [w.lower() for w in line.words]
        for index, text_words in enumerate(wanted):
            if not said or (taken[index] >= len(text_words) and texts[index][0] != "footer"):
                continue
            start = taken[index]
            if texts[index][0] == "footer" and start >= len(text_words):
                boxes[index].append(line.box)  # the rest of the small print
                break
            if text_words[start : start + len(said)] == said or (
                texts[index][0] == "footer" and said[: len(text_words)] == text_words
            ):
                taken[index] = start + len(said)
                boxes[index].append(line.box)
                break
    found = []
    for (kind, text), rects in zip(texts, boxes, strict=True):
        assert rects, f"{poster.slug}: {text!r} not found on the poster"
        found.append((kind, text, _union(rects)))
    return found


def _union(rects: list[Rect]) -> Rect:
    return (min(r[0] for r in rects), min(r[1] for r in rects), max(r[2] for r in rects),
            max(r[3] for r in rects))  # fmt: skip


def _gap(a: Rect, b: Rect) -> float:
    """Clear space between two boxes (negative: they overlap)."""
    return max(b[0] - a[2], a[0] - b[2], b[1] - a[3], a[1] - b[3])


def poster_pdfs(build_dir: Path, content: Content) -> list[tuple[Poster, Path]]:
    return [
        (poster, build_dir / "site" / "posters" / poster.slug / f"{poster.slug}-{size}.pdf")
        for poster in content.posters
        for size in ("a4", "a3")
    ]


def layout_problems(poster: Poster, school: str, pdf: Path) -> list[str]:
    width, height, lines = poster_lines(pdf)
    problems = [
        f"{pdf.name}: {' '.join(line.words)!r} outside the margins at {line.box}"
        for line in lines
        if line.words
        and not (
            line.box[0] >= POSTER_MARGIN - 1
            and line.box[2] <= width - POSTER_MARGIN + 1
            and line.box[1] >= POSTER_MARGIN - 1
            and line.box[3] <= height - POSTER_MARGIN + 1
        )
    ]
    boxes = text_boxes(poster, school, lines)
    for index, (_, text, box) in enumerate(boxes):
        for _, other, other_box in boxes[index + 1 :]:
            if _gap(box, other_box) < MIN_GAP:
                problems.append(
                    f"{pdf.name}: {text[:30]!r} and {other[:30]!r} are "
                    f"{_gap(box, other_box):.1f} pt apart (at least {MIN_GAP} expected)"
                )
    return problems


def test_poster_text_boxes_never_touch_and_stay_inside_the_margins(
    sample_build: Path, content: Content
) -> None:
    problems = [
        problem
        for poster, pdf in poster_pdfs(sample_build, content)
        for problem in layout_problems(poster, footer_lead(content.school), pdf)
    ]
    assert problems == []


DPI = 200


def _page_image(pdf: Path, grey: bool) -> Image.Image:
    out = pdf.with_name(pdf.stem + ("-grey" if grey else "-colour"))
    args = ["pdftoppm", "-png", "-r", str(DPI), "-singlefile", *(["-gray"] if grey else [])]
    subprocess.run([*args, str(pdf), str(out)], check=True, capture_output=True)
    return Image.open(out.with_suffix(".png")).convert("RGB")


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def word_contrast(image: Image.Image, box: Rect) -> float:
    """The contrast between a word and what it is printed on, measured in the picture: the
    background is the commonest colour in the middle band of the word, the text the colour
    (covering at least 2 % of it: the cores of the strokes) farthest from it."""
    scale = DPI / 72
    x0, y0, x1, y1 = box
    top, bottom = y0 + (y1 - y0) * 0.3, y1 - (y1 - y0) * 0.3
    crop = image.crop((int(x0 * scale), int(top * scale), int(x1 * scale), int(bottom * scale)))
    counts = crop.getcolors(max(1, crop.width * crop.height)) or []
    total = sum(n for n, _ in counts)
    background = _hex(cast(tuple[int, int, int], max(counts)[1]))
    return max(
        contrast_ratio(_hex(cast(tuple[int, int, int], colour)), background)
        for n, colour in counts
        if n >= total * 0.02
    )


def contrast_problems(pdf: Path) -> list[str]:
    """Every word below WCAG AA: 4.5:1, or 3:1 for large text (a line box at least 30 pt
    high: 18.6 pt type in Andika, 25 pt in DejaVu Sans), in colour and printed in grey."""
    _, _, lines = poster_lines(pdf)
    problems = []
    for grey in (False, True):
        image = _page_image(pdf, grey)
        for line in lines:
            needed = 3.0 if line.box[3] - line.box[1] >= 30 else 4.5
            for word, box in line.word_boxes:
                ratio = word_contrast(image, box)
                if ratio < needed - 0.05:  # anti-aliasing may blur the last hundredth
                    where = "in grey" if grey else "in colour"
                    problems.append(f"{pdf.name}: {word!r} {ratio:.2f}:1 {where}")
    return problems


def test_poster_text_contrast_holds_in_colour_and_in_grey(
    sample_build: Path, content: Content, tmp_path: Path
) -> None:
    problems = []
    for _poster, pdf in poster_pdfs(sample_build, content):
        if pdf.name.endswith("-a4.pdf"):
            copy = tmp_path / pdf.name
            shutil.copyfile(pdf, copy)
            problems += contrast_problems(copy)
    assert problems == []


@pytest.fixture(scope="module")
def pale_posters(tmp_path_factory: pytest.TempPathFactory) -> tuple[Content, Path, Diagnostics]:
    """The sample's A4 posters for a school whose colours are as pale as check allows."""
    tmp = tmp_path_factory.mktemp("pale")
    root = make_project(tmp / "p", REPO / "content")
    school = root / "content" / "school.yml"
    text = school.read_text()
    for key, colour in PALE.items():
        text = re.sub(rf'({key}: )"#[0-9a-f]{{6}}"', rf'\1"{colour}"', text)
    school.write_text(text)
    project = Project.at(root)
    loaded, diags = check(project)
    assert loaded is not None, [str(d) for d in diags.items]
    assert loaded.school.primary_colour == PALE["primary"]
    env = create_environment(project.template_folders)
    for job in poster_jobs(project, loaded, env, diags):
        if job.path.endswith("-a4.pdf"):
            pdf = render_pdf(job.html, job.base_url, job.allowed, fit=tuple(i[0] for i in job.fit))
            (tmp / Path(job.path).name).write_bytes(pdf.pdf)
    return loaded, tmp, diags


@pytest.mark.pdf
@pytest.mark.slow  # renders every poster in pale colours
def test_pale_school_colours_keep_poster_text_readable(
    pale_posters: tuple[Content, Path, Diagnostics],
) -> None:
    content, folder, warnings = pale_posters
    pdfs = sorted(folder.glob("*-a4.pdf"))
    assert len(pdfs) == len(content.posters)
    assert [p for pdf in pdfs for p in contrast_problems(pdf)] == []
    # the names go dark on the pale cards, and the build says so at the colour in school.yml
    # (only the colour's warning: others, such as a review falling due, depend on the day)
    [warning] = [str(w) for w in warnings.warnings if "colours." in str(w)]
    assert warning.startswith("content/school.yml:") and "colours.primary #767676" in warning
    assert "names on its pale cards" in warning
    # and the pale colours are still the school's: the title band is grey #767676
    image = _page_image(pdfs[0], grey=False)
    assert (0x76, 0x76, 0x76) in {colour for _, colour in image.getcolors(1 << 20) or []}


def test_a_colour_posters_cannot_use_is_replaced_and_reported() -> None:
    """Colours that fail (here, a pale yellow and a pale blue: check would refuse them for
    the site, so this is the palette on its own) give way to a safe dark, each named."""
    palette = poster_palette("#ffd54f", "#90caf9")
    assert palette.band == DARK and palette.second_band == DARK
    pairs = [
        (palette.band_text, palette.band, LARGE_TEXT),
        (palette.second_band_text, palette.second_band, LARGE_TEXT),
        *((palette.card_text, card, NORMAL_TEXT) for card in palette.cards),
        *((palette.ink, card, NORMAL_TEXT) for card in palette.cards),
    ]
    assert all(readable_contrast(text, on) >= needed for text, on, needed in pairs), pairs
    messages = dict(fallback_warnings(palette.fallbacks))
    assert messages["primary"].startswith("colours.primary #ffd54f cannot be used on posters")
    assert messages["accent"].startswith("colours.accent #90caf9 cannot be used on posters")
    assert poster_palette("#1b4d7a", "#8a3b00").fallbacks == ()


# The governors' review pack ------------------------------------------------------------------


def _structure(node: object, tag: str) -> list[DictionaryObject]:
    """Every structure element with the role ``tag`` under ``node``."""
    node = node.get_object() if hasattr(node, "get_object") else node
    found: list[DictionaryObject] = []
    if isinstance(node, DictionaryObject):
        if node.get("/S") == tag:
            found.append(node)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            found += _structure(kid, tag)
    return found


@pytest.fixture(scope="module")
def review_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("pack") / "p", REPO / "content")
    policy = project / "content" / "policies" / "online-safety" / "policy.md"
    text = policy.read_text()
    body = text.index("\n\n", text.index("{#staff-passwords}")) + 2
    policy.write_text(text[:body] + "Staff change passwords every term. " + text[body:])
    return build_review_pack(Project.at(project), "online-safety").path


@pytest.mark.builds
def test_review_pack_has_no_empty_table(review_pack: Path, quizzes: dict[str, Quiz]) -> None:
    root = cast(DictionaryObject, PdfReader(review_pack).root_object["/StructTreeRoot"])
    tables = _structure(root, "/Table")
    assert tables
    for table in tables:
        assert _structure(table, "/TD"), "a table with a header and no rows"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(review_pack).pages).split())
    # the quiz part lists the questions from the changed section's learning point: it is a
    # staff point, and every staff point is in the staff quiz's bank
    affected = text[text.index("Learning points and quiz questions affected") :]
    asked = [
        q
        for quiz in quizzes.values()
        if quiz.tier == "staff"
        for q in quiz.questions
        if q.point == "staff-passwords-and-mfa"
    ]
    assert asked, "the sample's staff quizzes no longer ask about the changed section"
    assert "I use a long, unique password for each school system" in affected
    assert "Staff induction" in affected
    assert "so no quiz question changes" not in affected


@pytest.mark.builds
def test_review_pack_names_sections_by_number_not_clause_id(
    review_pack: Path, content: Content
) -> None:
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(review_pack).pages).split())
    assert "Staff Acceptable Use Agreement — cites 6.1 Staff passwords" in text
    assert "6.1 Staff passwords Taught to: Staff induction" in text
    policy = content.policy("online-safety")
    assert policy is not None
    ids = [c.id for c in policy.all_clauses if "-" in c.id]
    assert [i for i in ids if re.search(rf"(?<![\w/-]){re.escape(i)}(?![\w/-])", text)] == []
    assert "online-safety#" not in text


@pytest.mark.builds
def test_review_pack_sign_off_page_is_for_signing_on_paper(review_pack: Path) -> None:
    reader = PdfReader(review_pack)
    last = " ".join(reader.pages[-1].extract_text().split())
    for label in ("Approved by", "Meeting date", "Minute reference", "Chair's signature"):
        assert label in last
    assert "major revision: version 4.0" in last and "minor revision: version 3.2" in last
    body = last.split("Approval", 1)[1]
    assert "policypress" not in body and "--" not in body


# What a build says ---------------------------------------------------------------------------


def test_a_build_logs_progress_and_names_every_folder_it_wrote(
    sample_build: Path, sample_build_log: subprocess.CompletedProcess[str]
) -> None:
    """Output that is not a terminal (CI): a line per stage with the seconds since the start,
    PDF counts, and a final message naming site/, staff/, governors/ and the manifest (in
    full: the output folder is outside the project)."""
    out, result = sample_build, sample_build_log
    lines = result.stderr.splitlines()
    stages = [re.fullmatch(r"\[\s*\d+\.\d s\] (.+)", line) for line in lines]
    said = [m.group(1) for m in stages if m]
    for stage in ("Checking content", "Rendering PDFs", "Writing manifest"):
        assert stage in said, result.stderr
    assert any(re.match(r"Rendering PDFs: \d+ of \d+ PDFs to render", s) for s in said), said
    for folder in ("site", "staff", "governors"):
        assert f"{out}/{folder}/" in result.stdout, result.stdout
    assert "answer keys" in result.stdout and "learning-platform exports" in result.stdout
    assert f"{out}/manifest.json" in result.stdout


def test_a_quiet_log_still_says_where_the_build_is() -> None:
    now = [0.0]
    said: list[str] = []
    log = LogProgress(said.append, clock=lambda: now[0])
    log.step("Rendering PDFs")
    log.detail("41 of 41 PDFs to render")  # the stage's first count: said at once
    for second in range(1, 31):
        now[0] = float(second)
        log.tick()
        if second == 3:
            log.detail("1 of 41 PDFs rendered")  # too soon after the last line: held
    assert said == [
        "[   0.0 s] Rendering PDFs",
        "[   0.0 s] Rendering PDFs: 41 of 41 PDFs to render",
        "[  15.0 s] Rendering PDFs: 1 of 41 PDFs rendered",
        "[  30.0 s] Rendering PDFs: still working",
    ]


def test_the_warning_names_the_colour_in_school_yml(tmp_path: Path) -> None:
    """A colour check lets through but a poster cannot use (here put straight into the model)
    is one warning at its place in school.yml, from the rule check runs; the posters still
    render with the colour they give way to, and rendering warns nothing more."""
    project = Project.at(make_project(tmp_path / "p", REPO / "content"))
    loaded, diags = check(project)
    assert loaded is not None and not diags.warnings
    pale = dataclasses.replace(loaded.school, primary_colour="#ffd54f")
    check_poster_colours(pale, diags)
    lines = (project.content / "school.yml").read_text().splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if "primary:" in text)
    warnings = [str(w) for w in diags.warnings]
    assert len(warnings) == 1, warnings
    assert f"school.yml:{line}:" in warnings[0] and "colours.primary #ffd54f" in warnings[0]
    jobs = poster_jobs(project, dataclasses.replace(loaded, school=pale), create_environment(
        project.template_folders), diags)  # fmt: skip
    assert jobs
    assert len(diags.warnings) == 1  # generating repeats nothing


@pytest.mark.pdf
def test_a_rule_that_would_run_into_the_small_print_fails_the_poster(tmp_path: Path) -> None:
    """Seven rules on the KS2 poster: the cards keep their size and spacing, so the last one
    would reach the small print; rendering refuses, naming it, and never squeezes."""
    project = Project.at(make_project(tmp_path / "p", REPO / "content"))
    poster_file = project.content / "posters" / "ks2-rules.yml"
    poster_file.write_text(
        poster_file.read_text()
        + "  - text: I tell a grown-up at home or at school if something online upsets me.\n"
        + "    clause: online-safety#role-pupils\n    icon: tell-adult\n"
    )
    loaded, diags = check(project)
    assert loaded is not None, [str(d) for d in diags.items]
    [job] = [
        job
        for job in poster_jobs(project, loaded, create_environment(project.template_folders), diags)
        if job.path.endswith("ks2-rules-a4.pdf")
    ]
    with pytest.raises(PdfRenderError) as failure:
        render_pdf(job.html, job.base_url, job.allowed, fit=tuple(i[0] for i in job.fit))
    assert "item-6" in failure.value.unfit
    [(_, line, col, _)] = [item for item in job.fit if item[0] == "item-6"]
    assert (line, col) == (len(poster_file.read_text().splitlines()) - 2, 5)

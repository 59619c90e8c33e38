"""Fidelity on what is drawn: every approved sentence must be on the printed page.

The HTML of a PDF can hold every approved word while the page loses some: an unwrapped line
runs off the right margin, a box hides what overflows it, a positioned element lands outside
the page. Each rendered PDF is read back from WeasyPrint's laid-out boxes and the build fails,
naming the words lost, the output and the source line. Crafted HTML with the project's own
stylesheets stands in for what a template or a code block could make (the loader refuses code
blocks, so they are written here directly).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, RunCli, make_project
from policypress.build import check
from policypress.content.local import read_local
from policypress.core.diagnostics import Diagnostics
from policypress.core.project import DEFAULT_TEMPLATES, Project
from policypress.outputs.fidelity import Words, first_lost
from policypress.outputs.pdf.documents import plan_pdfs
from policypress.outputs.pdf.errors import PdfRenderError
from policypress.outputs.pdf.posters import poster_jobs
from policypress.outputs.pdf.render import render_pdf
from policypress.outputs.templating import create_environment
from policypress.source.markdown import create_parser
from policypress.source.tree import read_tree

TEMPLATES = DEFAULT_TEMPLATES


def _page(body: str, style: str = "") -> str:
    """A document laid out by the policy PDFs' own stylesheets, with ``style`` after them."""
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Drawn</title>'
        '<link rel="stylesheet" href="pdf/base.css"><link rel="stylesheet" href="pdf/policy.css">'
        f"<style>{style}</style></head><body><main>{body}</main></body></html>"
    )


def _undrawn(html: str, *expected: str) -> PdfRenderError:
    with pytest.raises(PdfRenderError) as caught:
        render_pdf(html, TEMPLATES, (TEMPLATES,), expected=expected)
    assert caught.value.undrawn is not None, caught.value
    return caught.value


def _drawn(html: str, *expected: str) -> bytes:
    return render_pdf(html, TEMPLATES, (TEMPLATES,), expected=expected).pdf


# A short first line, then a long one; the long one must be printed whole.
LONG_LINES = [
    (
        "Phones are handed in at registration.",
        "Phones are kept in the locked cupboard in the school office until the end of the "
        "school day, when pupils collect them from the office window on their way home",
    ),
    (
        "VISITORS",
        "visitors sign in at reception, wear the red lanyard they are given at all times "
        "and are accompanied by a member of staff whenever they are with pupils in school",
    ),
    (
        "Laptops: rules for staff!",
        "staff laptops are encrypted; a lost or stolen laptop is reported to the data "
        "protection officer within the hour, whatever the time of day or night it happens",
    ),
]
# What makes the long line unbreakable: preformatted text as it was drawn before the
# stylesheets wrapped it (today's case: a nested list item read as code), or a no-wrap rule.
UNWRAPPED = {
    "pre": lambda line: f'<pre style="white-space: pre">{line}</pre>',
    "nowrap": lambda line: f'<p style="white-space: nowrap">{line}</p>',
}


@pytest.mark.parametrize("how", sorted(UNWRAPPED))
@pytest.mark.parametrize(("first", "long"), LONG_LINES)
@pytest.mark.pdf
def test_text_drawn_past_the_right_margin_fails(first: str, long: str, how: str) -> None:
    error = _undrawn(_page(f"<p>{first}</p>{UNWRAPPED[how](long)}"), first, long)
    lost = error.undrawn
    assert lost is not None
    assert lost.sentence == 1  # the long line, not the one before it
    assert lost.why == "runs past the right margin"
    last_words = " ".join(long.split()[-3:])
    assert last_words in lost.words or lost.words.endswith("…")
    assert lost.words.split()[0] in long.split()[4:]  # its start is on the page
    assert lost.words in str(error)


@pytest.mark.parametrize(("first", "long"), LONG_LINES)
@pytest.mark.pdf
def test_the_same_text_passes_when_it_wraps(first: str, long: str) -> None:
    """The project's stylesheets wrap preformatted text: the same line is printed whole."""
    pdf = _drawn(_page(f"<p>{first}</p><pre>{long}</pre>"), first, long)
    assert pdf.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("style", "why"),
    [
        (".moved { position: absolute; left: 240mm; }", "lies outside the page"),
        (".moved { position: absolute; top: 330mm; }", "lies outside the page"),
        (".moved { margin-left: -40mm; }", "runs into the page's margin"),
        (
            ".box { height: 16pt; overflow: hidden; } .box p { margin: 0; }",
            "is cut off by a box that hides what does not fit in it",
        ),
        (".moved { visibility: hidden; }", "is hidden"),
    ],
)
@pytest.mark.pdf
def test_text_outside_the_page_or_cut_off_fails(style: str, why: str) -> None:
    html = _page(
        '<div class="box"><p>Every classroom has a first aid kit.</p>'
        '<p class="moved">Spare inhalers are kept in the medical room.</p></div>'
        "<p>Allergies are listed on each class register.</p>",
        style,
    )
    sentences = (
        "Every classroom has a first aid kit.",
        "Spare inhalers are kept in the medical room.",
        "Allergies are listed on each class register.",
    )
    error = _undrawn(html, *sentences)
    assert error.undrawn is not None
    assert error.undrawn.sentence == 1
    assert error.undrawn.why == why
    assert "inhalers" in error.undrawn.words
    _drawn(html.replace(style, ""), *sentences)  # the same page without the rule passes


# Long unbroken cell content (no space, slash or hyphen to break at): an email address, a
# reference number, words run together.
WIDE_CELLS = [
    "safeguarding.lead.for.every.school.in.the.trust.and.its.nurseries@learningtrust.example.org",
    "REF-2026-00000000000000000000000000000000000000000000000000000000000000000000000000001",
    "PupilsNeverShareTheirPasswordsWithAnyoneNotEvenTheirBestFriendOrTheirBrotherOrSister",
]


@pytest.mark.parametrize("cell", WIDE_CELLS)
@pytest.mark.pdf
def test_a_table_wider_than_the_page_wraps_its_cells(cell: str) -> None:
    html = _page(
        "<table><thead><tr><th>Where to report</th><th>Address or reference</th>"
        f"<th>Who</th></tr></thead><tbody><tr><td>Online</td><td>{cell}</td>"
        "<td>Designated Safeguarding Lead</td></tr></tbody></table>"
    )
    sentences = ("Where to report", "Address or reference", "Who", "Online", cell, "Lead")
    _drawn(html, *sentences)  # the cell breaks the long content over lines; all of it drawn
    unwrapped = html.replace("</style>", "th, td { overflow-wrap: normal; }</style>")
    error = _undrawn(unwrapped, *sentences)
    assert error.undrawn is not None
    assert error.undrawn.why in ("runs past the right margin", "lies outside the page")


def test_the_matcher_joins_a_word_broken_over_lines_and_keeps_order() -> None:
    words = Words(["Report it to the DSL", "immedi", "ately.", "Then tell", "a parent."])
    assert first_lost(["Report it", "to the DSL immediately", "tell a parent"], words) is None
    assert first_lost(["tell a parent", "Report it"], words) == 1  # out of order
    assert first_lost(["ately"], Words(["immediately"])) == 0  # never half a word
    assert first_lost(["port it"], words) == 0


@pytest.mark.builds
def test_the_check_runs_on_the_builds_pdfs(tmp_path: Path, run_cli: RunCli) -> None:
    """A stylesheet that pushes the policy's text off the page fails the build, naming the
    output, the source line of the first paragraph lost and its words; nothing is cached."""
    project = make_project(tmp_path, FIXTURES / "minimal" / "content", quizzes=False)
    shutil.copytree(TEMPLATES, project / "templates")
    css = project / "templates" / "pdf" / "policy.css"
    css.write_text(
        css.read_text() + "\nmain .clause p { white-space: nowrap; margin-left: 120mm; }\n"
    )
    result = run_cli("build", "--project", project)
    assert result.code == 1, result.err
    lost = re.findall(
        r"^(content/policies/internet-use/\S+\.md):(\d+):1: "
        r"(site/policies/internet-use/\S+\.pdf) does not print '([^']+)'",
        result.err,
        re.MULTILINE,
    )
    assert lost, result.err
    # Each approved version's PDF, at its first paragraph (under "## Purpose"): the first
    # approved words the page loses.
    assert sorted((source, int(line), pdf) for source, line, pdf, _ in lost) == [
        (
            "content/policies/internet-use/versions/1.0.md",
            12,
            "site/policies/internet-use/internet-use-v1.0.pdf",
        ),
        (
            "content/policies/internet-use/versions/1.1.md",
            12,
            "site/policies/internet-use/internet-use-v1.1.pdf",
        ),
    ], result.err
    # The start of the line is on the page; its end is named as lost.
    assert all(words.endswith("internet use safe.") for *_, words in lost), result.err
    assert all(not words.startswith("This") for *_, words in lost), result.err
    assert "runs past the right margin" in result.err
    assert not list((project / "build" / ".cache" / "pdf").glob("*.pdf"))


def test_every_pdf_of_approved_text_is_checked(sample_build: Path) -> None:
    """The sample builds with the check active, and every policy, form and poster PDF it
    renders carries the approved text the check compares with its pages."""
    outputs = json.loads((sample_build / "manifest.json").read_text())["outputs"]
    kinds = [o["kind"] for o in outputs]
    project = Project.at(REPO)
    content, diags = check(project, "public")
    assert content is not None
    env = create_environment(project.template_folders)
    jobs = plan_pdfs(project, content, env, diags, [])
    jobs += poster_jobs(project, content, env, diags)
    checked = {
        "policy-pdf",
        "translated-policy-pdf",
        "agreement-pdf",
        "translated-agreement-pdf",
        "bilingual-agreement-pdf",
        "poster-pdf",
    }
    assert len(jobs) == sum(kind in checked for kind in kinds)
    assert all(job.expected for job in jobs)
    assert all(job.frame == "frame" for job in jobs if job.kind == "poster-pdf")


def test_every_pdf_of_the_example_trust_passes(trust_build: Path) -> None:
    """Each school's build (which runs the drawn check on every PDF it renders) passed, and
    rendered its policy PDFs and forms."""
    for school in sorted((trust_build / "schools").iterdir()):
        manifest = trust_build / "build" / "schools" / school.name / "manifest.json"
        kinds = [o["kind"] for o in json.loads(manifest.read_text())["outputs"]]
        assert "policy-pdf" in kinds and "agreement-pdf" in kinds, school.name


def test_check_reports_a_code_block_in_a_local_section(tmp_path: Path) -> None:
    path = tmp_path / "online-safety.md"
    path.write_text(
        "## {#local-arrangements}\n\nOur filtering is run by the county.\n\n"
        "    * Reports are read every Friday.\n\n## {#contacts}\n\n~~~\nRing the office.\n~~~\n"
    )
    diags = Diagnostics(tmp_path)
    assert read_local(path, create_parser(), diags, read_tree(diags, [path])) is None
    found = [(d.location.line, d.location.col) for d in diags.errors]
    assert found == [(5, 5), (9, 1)]
    assert "put it under a parent list item" in diags.errors[0].message
    assert "remove the ``` (or ~~~) lines" in diags.errors[1].message


# A picture's alternative text is approved text: drawn where the picture is drawn.
PICTURE = (
    '<p>Before.</p><img src="{src}" alt="A red lanyard with a visitor badge" '
    'style="width: 20mm; height: 20mm{extra}"><p>After.</p>'
)


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        ("", None),
        ("; margin-left: 250mm", "lies outside the page"),
        ("; visibility: hidden", "is hidden"),
    ],
)
@pytest.mark.pdf
def test_a_pictures_alt_text_counts_where_the_picture_is_drawn(
    tmp_path: Path, extra: str, why: str | None
) -> None:
    image = next((FIXTURES / "images").rglob("*.png"))
    shutil.copyfile(image, tmp_path / "picture.png")
    html = _page(PICTURE.format(src=(tmp_path / "picture.png").as_uri(), extra=extra))
    expected = ("Before.", "A red lanyard with a visitor badge", "After.")
    if why is None:
        assert render_pdf(html, TEMPLATES, (tmp_path, TEMPLATES), expected=expected).pdf
        return
    with pytest.raises(PdfRenderError) as caught:
        render_pdf(html, TEMPLATES, (tmp_path, TEMPLATES), expected=expected)
    assert caught.value.undrawn is not None and caught.value.undrawn.why == why
    assert "red lanyard" in caught.value.undrawn.words

"""Images in policies: shown as figures with alt text and caption on the site and in the PDF,
and frozen with the version governors approved (content-addressed copies the snapshot cites).

tests/fixtures/images is the minimal project with one image in the working text and in
approved version 1.2 (made by ``policypress approve``); bad inputs are in fixtures/bad-input.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from conftest import FIXTURES, RunCli, make_project
from pdftext import pdf_body_text, words
from policypress.content.images import MAX_IMAGE_BYTES, image_problems
from policypress.content.logo import Subject, image_message

POLICY = Path("content/policies/internet-use")
WORKING_IMAGE = POLICY / "images" / "who-to-tell.png"
FROZEN = "2912103aa3af4f4abb8ba781e7bc7ea1ea6b99498d5495d0c404b7f40b67354a"
ALT = "A blue frame around an orange circle: the pupil and the trusted adult they tell"
CAPTION = "Figure 1: Tell a trusted adult first"
IMAGE_LINE = 20  # of policy.md
APPROVE = [
    "approve",
    "internet-use",
    "--by",
    "Full Governing Board",
    "--meeting",
    "2026-10-21",
    "--minute",
    "FGB 2026/10 item 9",
    "--minor",
    "--note",
    "Redrew the figure.",
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", FIXTURES / "images" / "content", quizzes=False)


def _png(colour: tuple[int, int, int], size: tuple[int, int] = (120, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def _figure(html: str) -> dict[str, str]:
    """The one figure of a page: its img's src and alt, and its caption."""
    [figure] = re.findall(r"<figure>(.*?)</figure>", html, re.DOTALL)
    [img] = re.findall(r"<img [^>]*>", figure)
    attrs = dict(re.findall(r'(\w+)="([^"]*)"', img))
    [caption] = re.findall(r"<figcaption>(.*?)</figcaption>", figure, re.DOTALL)
    return {"src": attrs["src"], "alt": attrs["alt"], "caption": caption, "img": img}


def _image_xobjects(pdf: Path) -> set[str]:
    """The SHA-256 of the raw stream of every image XObject drawn in the PDF."""
    found = set()
    for page in PdfReader(pdf).pages:
        resources: Any = page["/Resources"]
        xobjects: Any = resources.get("/XObject")
        for ref in (xobjects.get_object() if xobjects else {}).values():
            stream: Any = ref.get_object()
            if stream.get("/Subtype") == "/Image":
                found.add(hashlib.sha256(stream.get_data()).hexdigest())
    return found


def _struct_elements(pdf: Path, kind: str) -> list[Any]:
    """Structure elements of type ``kind`` (e.g. /Figure), depth first."""
    found: list[Any] = []
    root: Any = PdfReader(pdf).trailer["/Root"]
    stack: list[Any] = [root["/StructTreeRoot"]]
    while stack:
        element = stack.pop().get_object()
        if not hasattr(element, "get"):
            continue
        if element.get("/S") == kind:
            found.append(element)
        kids = element.get("/K")
        stack.extend(kids if isinstance(kids, list) else [kids] if kids is not None else [])
    return found


def test_fixture_checks_clean(project: Path, run_cli: RunCli) -> None:
    result = run_cli("check", "--project", project)
    assert result.code == 0, result.err
    assert "warning" not in result.err


@pytest.mark.builds
def test_public_build_shows_the_approved_frozen_image(project: Path, run_cli: RunCli) -> None:
    result = run_cli("build", "--project", project)
    assert result.code == 0, result.err
    site = project / "build" / "site"
    frozen = project / POLICY / "versions" / "images" / f"{FROZEN}.png"
    for page in ("policies/internet-use/index.html", "policies/internet-use/v1.2/index.html"):
        figure = _figure((site / page).read_text(encoding="utf-8"))
        assert figure["alt"] == ALT
        assert figure["caption"] == CAPTION
        assert "title=" not in figure["img"]  # the caption is not read out twice
        assert figure["src"].endswith(f"assets/figures/{FROZEN}.png")
        shown = (site / page).parent / figure["src"]
        assert shown.resolve().read_bytes() == frozen.read_bytes()
    # versions before the image have no figure
    assert "<figure" not in (site / "policies/internet-use/v1.1/index.html").read_text()
    manifest = json.loads((project / "build" / "manifest.json").read_text())
    [entry] = [o for o in manifest["outputs"] if o["kind"] == "policy-image"]
    assert entry == {
        "kind": "policy-image",
        "path": f"site/assets/figures/{FROZEN}.png",
        "policy": "internet-use",
        "sha256": FROZEN,
        "source": f"{POLICY}/versions/images/{FROZEN}.png",
    }

    pdf = site / "policies/internet-use/internet-use-v1.2.pdf"
    assert len(_image_xobjects(pdf)) == 1
    body = words(pdf_body_text(pdf))
    assert " ".join(words(CAPTION)) in " ".join(body)
    [figure_element] = _struct_elements(pdf, "/Figure")
    assert figure_element["/Alt"] == ALT
    assert _struct_elements(pdf, "/Caption")
    assert not _image_xobjects(site / "policies/internet-use/internet-use-v1.1.pdf")


@pytest.mark.builds
def test_an_edited_image_changes_no_approved_output_until_approved(
    project: Path, run_cli: RunCli
) -> None:
    assert run_cli("build", "--project", project).code == 0
    site = project / "build" / "site"
    published = {
        p: (site / p).read_bytes()
        for p in (
            "policies/internet-use/index.html",
            "policies/internet-use/v1.2/index.html",
            "policies/internet-use/internet-use-v1.2.pdf",
        )
    }
    redrawn = _png((200, 30, 30))
    (project / WORKING_IMAGE).write_bytes(redrawn)

    result = run_cli("build", "--project", project)
    assert result.code == 0, result.err
    assert {p: (site / p).read_bytes() for p in published} == published
    # the working text is a draft again: its digest covers the image's bytes
    preview = run_cli("build", "--preview", "--project", project)
    assert preview.code == 0, preview.err
    draft = (project / "build/preview/site/policies/internet-use/index.html").read_text()
    assert "Draft (not approved)" in draft
    new_sha = hashlib.sha256(redrawn).hexdigest()
    assert _figure(draft)["src"].endswith(f"assets/figures/{new_sha}.png")
    # the changes page shows governors that the picture changed, though its words did not
    changes = project / "build/preview/site/policies/internet-use/compare/1.2-1.3-draft"
    compared = (changes / "index.html").read_text()
    deleted, inserted = rf"<del>.*?{FROZEN[:12]}:</del>", rf"<ins>.*?{new_sha[:12]}:</ins>"
    assert re.search(rf"\[image {deleted} {inserted} {ALT}\] {CAPTION}", compared)

    result = run_cli(*APPROVE, "--project", project)
    assert result.code == 0, result.err
    frozen = project / POLICY / "versions" / "images"
    assert sorted(p.name for p in frozen.iterdir()) == sorted([f"{FROZEN}.png", f"{new_sha}.png"])
    assert (frozen / f"{new_sha}.png").read_bytes() == redrawn
    snapshot = (project / POLICY / "versions" / "1.3.md").read_text()
    assert f"](images/{new_sha}.png " in snapshot
    assert "who-to-tell" not in snapshot
    assert run_cli("check", "--project", project).code == 0


def test_a_changed_frozen_copy_is_reported(project: Path, run_cli: RunCli) -> None:
    frozen = project / POLICY / "versions" / "images" / f"{FROZEN}.png"
    frozen.write_bytes(_png((0, 0, 0)))
    result = run_cli("check", "--project", project)
    assert result.code == 1
    assert (
        f"{POLICY}/versions/images/{FROZEN}.png:1:1: frozen copy of an approved image was "
        f"changed: its bytes hash to {hashlib.sha256(frozen.read_bytes()).hexdigest()[:12]}…, "
        f"but its name (which the approved text cites) records {FROZEN[:12]}…; restore it "
        "from git"
    ) in result.err


def test_alt_text_to_confirm_is_listed_and_blocks_approval(project: Path, run_cli: RunCli) -> None:
    policy = project / POLICY / "policy.md"
    policy.write_text(policy.read_text().replace(f"![{ALT}]", "![to-confirm]"))
    result = run_cli("check", "--project", project)
    assert result.code == 0, result.err
    assert (
        f"{POLICY}/policy.md:{IMAGE_LINE}:1: warning: to confirm: alternative text of image "
        "'images/who-to-tell.png' (describe what it shows before approval)"
    ) in result.err
    result = run_cli(*APPROVE, "--project", project)
    assert result.code == 1
    assert (
        f"cannot approve: policy.md:{IMAGE_LINE}:1: image 'images/who-to-tell.png' still has "
        "'to-confirm' as its alternative text"
    ) in result.err
    assert not (project / POLICY / "versions" / "1.3.md").exists()


def test_an_image_over_the_size_limit_is_refused_unread(project: Path, run_cli: RunCli) -> None:
    (project / WORKING_IMAGE).write_bytes(_png((1, 2, 3)) + b"\0" * MAX_IMAGE_BYTES)
    result = run_cli("check", "--project", project)
    assert result.code == 1
    assert (
        f"{POLICY}/policy.md:{IMAGE_LINE}:1: image 'images/who-to-tell.png' is 2.0 MB; "
        "expected at most 2 MB (save it smaller, e.g. at screen size)"
    ) in result.err


def _said(data: bytes, suffix: str) -> list[str]:
    return [image_message(p, Subject.IMAGE, "images/x") for p in image_problems(data, suffix)]


def test_image_formats_are_told_by_their_bytes() -> None:
    jpeg = io.BytesIO()
    Image.new("RGB", (30, 20), (9, 9, 9)).save(jpeg, "JPEG")
    assert _said(jpeg.getvalue(), ".jpg") == []
    assert _said(_png((1, 1, 1)), ".png") == []
    assert _said(jpeg.getvalue(), ".png") == [
        "image 'images/x' is named .png but is a .jpg file; expected its contents to match "
        "its name (save it again as .png, or rename it)"
    ]
    assert _said(_png((1, 1, 1)), ".jpg") == [
        "image 'images/x' is named .jpg but is a .png file; expected its contents to match "
        "its name (save it again as .jpg, or rename it)"
    ]
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    assert _said(svg, ".svg") == []
    assert _said(svg, ".png") == [
        "image 'images/x' is named .png but is a .svg file; expected its contents to match "
        "its name (save it again as .png, or rename it)"
    ]
    huge = io.BytesIO()
    Image.new("L", (8000, 6000)).save(huge, "JPEG")
    assert _said(huge.getvalue(), ".jpg") == [
        "image 'images/x' is 8000×6000 pixels (48 million); expected at most 40 million "
        "pixels (save it at screen size)"
    ]

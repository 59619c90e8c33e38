"""Plain words for parents (issue 28): no hashes on public pages outside "Check this copy",
contents on long policies, the footer, the 404 page, draft PDF covers, the review calendar."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html  # type: ignore[import-untyped]  # lxml ships no types
from pypdf import PdfReader

from conftest import FIXTURES, REPO, RunCli, make_project
from policypress.build import check
from policypress.core.diagnostics import Diagnostics
from policypress.core.project import Project
from policypress.model import Content
from policypress.outputs.calendar import review_calendar
from policypress.outputs.markup import parser, render_blocks
from policypress.outputs.pdf.documents import policy_pdf_job
from policypress.outputs.pdf.render import render_pdf
from policypress.outputs.site.pages import CONTENTS_AFTER_SECTIONS, write_docs
from policypress.outputs.templating import create_environment, phone_href
from policypress.source.variables import resolve_variables

HEX_RUN = re.compile(r"[0-9a-fA-F]{12,}")


def _tree(page: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(page.read_text(encoding="utf-8"))


def _visible_text(tree: lxml.html.HtmlElement, *, without_check: bool) -> str:
    """The page's text as a reader meets it: no scripts or styles, and (``without_check``)
    without the folded "Check this copy" sections."""
    for element in tree.xpath("//script | //style"):
        element.drop_tree()
    if without_check:
        # and the certificate's print-only copy of its "Check this certificate" small print
        for name in ("pp-check-copy", "pp-cert-small-print"):
            for element in tree.find_class(name):
                element.drop_tree()
    return str(tree.text_content())


def test_no_public_page_shows_a_hash_outside_check_this_copy(
    sample_build: Path, content: Content
) -> None:
    site = sample_build / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        text = _visible_text(_tree(page), without_check=True)
        assert not HEX_RUN.search(text), (page.relative_to(site), HEX_RUN.findall(text))
    # The hashes are still there, folded away, with how to use them.
    for policy in content.policies:
        tree = _tree(site / "policies" / policy.slug / "index.html")
        [check_copy] = tree.find_class("pp-check-copy")
        folded = check_copy.text_content()
        assert policy.short_digest in folded and "policypress verify" in folded
        assert check_copy.xpath(".//details/summary")[0].text_content() == "Check this copy"
        about = tree.xpath('//aside[@class="pp-meta"]')[0].text_content()
        assert f"{policy.current.number}, " in about  # the version with its date in words
    for agreement in content.agreements:
        tree = _tree(site / "forms" / agreement.slug / "index.html")
        assert agreement.short_digest in tree.find_class("pp-check-copy")[0].text_content()


def test_the_staff_preview_still_shows_hashes(tmp_path: Path) -> None:
    """A preview (for staff and governors) keeps each version's hash beside it."""
    project = Project.at(make_project(tmp_path / "p", REPO / "content"))
    content, diags = check(project, "preview")
    assert content is not None, [str(d) for d in diags.items]
    env = create_environment(project.template_folders)
    docs = tmp_path / "docs"
    write_docs(
        content,
        env,
        project.icon_files(),
        project.template_file("site", "quiz.js"),
        docs,
        dt.date(2026, 11, 1),
        Diagnostics(project.root),
    )
    policy = content.policies[0]
    page = (docs / "policies" / policy.slug / "index.md").read_text(encoding="utf-8")
    about = page.split('<aside class="pp-meta"', 1)[1].split("</aside>", 1)[0]
    assert f"sha256 <code>{policy.short_digest}</code>" in about
    history = page.split('id="pp-history-caption"', 1)[1].split("</table>", 1)[0]
    assert f"<code>{policy.short_digest}</code>" in history


def test_the_staff_tree_keeps_its_hashes(sample_build: Path) -> None:
    """Staff-only files (answer keys, learning-platform exports) keep the hashes they name."""
    gift = sorted((sample_build / "staff" / "lms").rglob("*.gift"))
    assert gift
    assert HEX_RUN.search(gift[0].read_text(encoding="utf-8"))


def test_a_long_policy_opens_with_contents_and_a_short_one_does_not(
    sample_build: Path, content: Content
) -> None:
    site = sample_build / "site"
    long = [p for p in content.policies if len(p.clauses) > CONTENTS_AFTER_SECTIONS]
    short = [p for p in content.policies if len(p.clauses) <= CONTENTS_AFTER_SECTIONS]
    assert long and short
    for policy in long:
        tree = _tree(site / "policies" / policy.slug / "index.html")
        [contents] = tree.xpath('//nav[@class="pp-contents"]')
        assert contents.xpath(".//h2")[0].text_content() == "Contents"
        links = contents.xpath(".//a/@href")
        assert len(links) == len(policy.clauses)
        for href, clause in zip(links, policy.clauses, strict=True):
            assert href == f"#{clause.id}"
            assert tree.xpath(f'//*[@id="{clause.id}"]'), href  # the link lands somewhere
        # After the summary, before "About this policy": on a phone, seen without the menu.
        article = tree.xpath("//article")[0]
        order = [
            e for e in article.iter() if e.get("class") in ("pp-lede", "pp-contents", "pp-meta")
        ]
        assert [e.get("class") for e in order] == ["pp-lede", "pp-contents", "pp-meta"]
    for policy in short:
        tree = _tree(site / "policies" / policy.slug / "index.html")
        assert not tree.xpath('//nav[@class="pp-contents"]')


def _root_link_target(site: Path, href: str) -> Path:
    path = urlsplit(href).path
    assert path.startswith("/"), href
    target = site / path.lstrip("/")
    return target / "index.html" if path.endswith("/") else target


def test_every_page_has_the_schools_contact_in_its_footer(
    sample_build: Path, content: Content
) -> None:
    site = sample_build / "site"
    school = content.school
    phone = next(c for c in school.contacts if c.phone)
    assert phone.phone is not None
    # Class mode (quizzes/<id>/class/) is a page of its own for the whiteboard, without the
    # theme's header, menu or footer.
    for page in sorted(p for p in site.rglob("*.html") if p.parent.name != "class"):
        footer = _tree(page).xpath('//footer[@class="md-footer"]')
        assert footer, page
        [block] = footer[0].find_class("pp-footer")
        text = " ".join(block.text_content().split())
        assert school.name in text and school.address[-1] in text, page
        assert block.xpath(f'.//a[@href="tel:{phone.phone.replace(" ", "")}"]'), page
        assert block.xpath(f'.//a[@href="mailto:{phone.email}"]'), page
        hrefs = block.xpath(".//a/@href")
        assert "/accessibility/" in hrefs and "/accessibility/#privacy" in hrefs, page
        for href in hrefs:
            if href.startswith("/"):
                assert _root_link_target(site, href).is_file(), (page, href)
    accessibility = (site / "accessibility" / "index.html").read_text(encoding="utf-8")
    assert 'id="privacy"' in accessibility


def test_phone_numbers_are_tap_to_call(sample_build: Path, content: Content) -> None:
    home = _tree(sample_build / "site" / "index.html")
    contacts = home.xpath('//ul[@class="pp-contacts"]')[0]
    for contact in content.school.contacts:
        if contact.phone:
            [link] = contacts.xpath(f'.//a[@href="{phone_href(contact.phone)}"]')
            assert link.text_content() == contact.phone
    assert phone_href("01632 960410") == "tel:01632960410"
    assert phone_href("+44 (0)1632 960 410") == "tel:+441632960410"


def test_the_404_page_has_a_way_home(sample_build: Path) -> None:
    site = sample_build / "site"
    tree = _tree(site / "404.html")
    article = tree.xpath("//article")[0]
    assert article.xpath(".//h1")[0].text_content() == "Page not found"
    hrefs = article.xpath(".//a/@href")
    assert "/" in hrefs and "/#policies" in hrefs
    for href in hrefs:
        assert _root_link_target(site, href).is_file(), href
    assert 'id="policies"' in (site / "index.html").read_text(encoding="utf-8")


def test_a_draft_pdf_cover_says_on_approval_and_draft(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", FIXTURES / "minimal" / "content", quizzes=False)
    policy_file = root / "content" / "policies" / "internet-use" / "policy.md"
    policy_file.write_text(
        policy_file.read_text(encoding="utf-8").replace(
            "keeps internet use safe.", "keeps internet use safe. A new sentence."
        ),
        encoding="utf-8",
    )
    project = Project.at(root)
    content, diags = check(project, "preview")
    assert content is not None, [str(d) for d in diags.items]
    [draft] = [p for p in content.policies if p.is_draft]
    job = policy_pdf_job(
        project, content, draft, create_environment(project.template_folders), diags
    )
    pdf = render_pdf(job.html, job.base_url, job.allowed, fallbacks=job.fallbacks).pdf
    cover = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    number = draft.current.number
    assert draft.approved_versions and number > draft.approved_versions[-1].number
    assert f"Version {number} draft" in cover
    assert "In force on approval" in cover
    assert "Not yet approved" in cover
    assert "In force from" not in cover
    assert draft.short_digest not in cover


def _events(calendar: bytes) -> dict[str, dict[str, str]]:
    """Each event's properties (name → value as written), by UID, from the feed's text."""
    text = calendar.decode("utf-8").replace("\r\n ", "")  # lines unfolded
    events: dict[str, dict[str, str]] = {}
    for block in text.split("BEGIN:VEVENT")[1:]:
        lines = block.split("END:VEVENT")[0].strip().split("\r\n")
        found = dict(line.split(":", 1) for line in lines)
        events[found["UID"]] = found
    return events


def test_review_events_carry_sequence_and_last_modified(content: Content) -> None:
    stamp = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    before = _events(review_calendar(content, stamp))
    assert review_calendar(content, stamp) == review_calendar(content, stamp)  # deterministic
    for policy in content.policies:
        event = before[f"review-{policy.slug}@larkspur-lane.example"]
        last = policy.approved_versions[-1]
        assert event["SEQUENCE"] == str(len(policy.approved_versions))
        assert event["LAST-MODIFIED"] == last.approval.meeting.strftime("%Y%m%dT000000Z")


def test_sequence_rises_after_an_approval(tmp_path: Path, run_cli: RunCli) -> None:
    root = make_project(tmp_path / "p", FIXTURES / "minimal" / "content", quizzes=False)
    uid = "review-internet-use@"
    stamp = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)

    def event() -> dict[str, str]:
        content, diags = check(Project.at(root))
        assert content is not None, [str(d) for d in diags.items]
        [found] = [
            e for k, e in _events(review_calendar(content, stamp)).items() if k.startswith(uid)
        ]
        return found

    before = event()
    policy_file = root / "content" / "policies" / "internet-use" / "policy.md"
    policy_file.write_text(
        policy_file.read_text(encoding="utf-8").replace(
            "keeps internet use safe.", "keeps internet use safe. A new sentence."
        ),
        encoding="utf-8",
    )
    approved = run_cli(
        "approve", "internet-use", "--by", "Full Governing Board", "--meeting", "2026-10-20",
        "--minute", "FGB 2026/10 item 3", "--note", "A new sentence.", "--date", "2026-10-27",
        "--minor", "--project", root,
    )  # fmt: skip
    assert approved.code == 0, approved.err
    after = event()
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after["LAST-MODIFIED"] == "20261020T000000Z" != before["LAST-MODIFIED"]


def test_a_phone_number_in_policy_text_is_tap_to_call() -> None:
    text = (
        "Call the DSL on {{ contact.dsl.phone }}, or "
        "[{{ contact.dsl.phone }}](https://help.example/), or {{ contact.nobody.phone }}.\n"
    )
    tokens = parser().parse(text)
    resolve_variables(tokens, text.splitlines(), {"contact.dsl.phone": "01632 960411"})
    html = render_blocks(tokens, None, lambda ref: "#")
    assert html == (
        '<p>Call the DSL on <a href="tel:01632960411">01632 960411</a>, or '
        '<a href="https://help.example/">01632 960411</a>, or {{ contact.nobody.phone }}.</p>\n'
    )

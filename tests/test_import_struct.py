"""The body structure an import gives, in detail (the struct-* fixtures): what the outline
alone does not show. Every imported body is also checked for what our Markdown parser would
misread: no code block, no link that goes nowhere, no visible backslash or asterisks."""

from __future__ import annotations

import re
import time
from pathlib import Path

import docx
import pytest

from conftest import FIXTURES
from policypress.importer import convert
from policypress.importer.blocks import Block, Item, level_lists
from policypress.importer.contents import drop_contents
from policypress.importer.document import ImportedDocument
from policypress.importer.literal import read_literal
from policypress.importer.mdtext import escape_line_start
from policypress.importer.pages import rejoin_pages
from policypress.importer.report import Report
from policypress.importer.signlines import is_sign_line, sign_labels
from policypress.importer.tabs import tab_tables
from policypress.importer.textfile import read_text_blocks
from policypress.importer.writer import body_markdown
from policypress.source.markdown import create_parser

CASES = FIXTURES / "import"
ALL_CASES = sorted(
    (folder.name, source.name)
    for folder in CASES.iterdir()
    for source in folder.glob("policy.*")
    if source.suffix in (".docx", ".odt", ".txt", ".html", ".md")
)
_cache: dict[str, ImportedDocument] = {}


def imported(case: str) -> ImportedDocument:
    if case not in _cache:
        _cache[case] = convert(next((CASES / case).glob("policy.*")))
    return _cache[case]


def body(case: str) -> str:
    return body_markdown(imported(case))


def rendered(case: str) -> str:
    return str(create_parser().render(body(case)))


def report(case: str) -> list[str]:
    return imported(case).report.lines()


@pytest.mark.parametrize(("case", "name"), ALL_CASES)
def test_no_imported_body_holds_code_or_a_link_that_goes_nowhere(case: str, name: str) -> None:
    tokens = create_parser().parse(body(case), {})
    kinds = {t.type for t in tokens}
    assert not kinds & {"code_block", "fence"}, name
    links = [
        child.attrs.get("href", "")
        for t in tokens
        if t.children
        for child in t.children
        if child.type == "link_open"
    ]
    ids = set(re.findall(r"\{#([a-z0-9-]+)\}", body(case)))
    for href in links:
        assert isinstance(href, str)
        assert href.startswith(("https://", "mailto:", "tel:")) or href[1:] in ids, href
    html = rendered(case)
    assert not re.search(r"\\[0-9A-Za-z]", html), "a backslash shows in the page"
    assert "**" not in html and "__" not in html


def test_lettered_and_roman_sub_headings_sit_under_their_numbered_heading() -> None:
    docx_body = body("struct-lettered-docx")
    assert "### Roles of Teaching Assistants {#roles-of-teaching-assistants}" in docx_body
    assert "#### During Lessons {#during-lessons}" in docx_body
    assert "#### After School {#after-school}" in docx_body
    # sentences with a letter, and a run of short lettered lines, stay as they were typed
    assert "a) write one thing the pupil did well;\n\nb) give one clear next step." in docx_body
    assert "a) Reading\n\nb) Writing\n\nc) Mathematics" in docx_body
    assert "### Home Learning {#home-learning}" in docx_body  # 'D.' typed unlike 'c)'
    txt_body = body("struct-lettered-txt")
    assert "### Class Rewards {#class-rewards}" in txt_body
    assert "#### Golden Time {#golden-time}" in txt_body
    assert (
        "1. pupils are reminded of the rule in a quiet voice;\n"
        "1. pupils who carry on are moved to another table." in txt_body
    )
    assert any("'c' stripped" in line for line in report("struct-lettered-docx"))
    assert any("'iii' stripped" in line for line in report("struct-lettered-txt"))


@pytest.mark.parametrize(
    ("case", "gone", "entries", "how"),
    [
        ("struct-contents-txt", ["Table of Contents", "....", "……"], 5, "dot leaders"),
        ("struct-contents-html", ["What bullying is 2", "How we respond 6"], 4, "page numbers"),
        ("struct-contents-docx", ["Contents", "right to ask 4"], 3, "Word's contents field"),
        ("txt", ["Contents", "Roles and responsibilities\t"], 4, "a tab before the page"),
    ],
)
def test_contents_lists_are_dropped_and_reported(
    case: str, gone: list[str], entries: int, how: str
) -> None:
    text = body(case)
    for words in gone:
        assert words not in text
    dropped = [line for line in report(case) if ": dropped: contents list" in line]
    assert len(dropped) == 1
    assert f"({entries} entries" in dropped[0] and how in dropped[0]


def test_numbered_lines_ending_in_a_number_are_kept_when_nothing_repeats_them() -> None:
    blocks = [
        Block("para", f"line {n}", text, text)
        for n, text in enumerate(
            ["1. Pupils in Year 2", "2. Pupils in Year 4", "3. Pupils in Year 6"], start=1
        )
    ]
    result = Report("x")
    assert drop_contents(blocks, result) == blocks
    assert not result.notes


@pytest.mark.parametrize(
    ("case", "table"),
    [
        (
            "struct-tabs-txt",
            "| Do | Don’t |\n|---|---|\n"
            "| Hand your phone in at the office | Keep it in your bag |\n"
            "| Switch it off before you arrive |  |\n|  | Take photos of other pupils |",
        ),
        (
            "struct-tabs-odt",
            "| Please pack | Please leave at home |\n|---|---|\n"
            "| Fruit or vegetables | Fizzy drinks |\n| Water or milk |  |\n"
            "|  | Sweets and chocolate |",
        ),
        (
            "struct-tabs-docx",
            "| DO | DON’T |\n|---|---|\n| Label every item | Wear jewellery |\n"
            "| Tie long hair back |  |\n| Wear black shoes | Wear trainers |",
        ),
    ],
)
def test_tab_separated_lines_are_tables_with_their_empty_cells(case: str, table: str) -> None:
    text = body(case).replace("'", "’")
    assert table in text
    assert any("tab-separated line(s) read as a table of 2 columns" in x for x in report(case))


def test_sentences_cut_by_page_breaks_are_joined() -> None:
    txt = body("struct-pagebreaks-txt")
    assert "act at once when they are worried about a child." in txt
    assert "passed on the same day to the Designated Safeguarding Lead, who decides" in txt
    assert "- how to spot the signs of abuse and neglect in pupils of every age;\n- what" in txt
    for furniture in ("Page 1 of 3", "Safeguarding Policy\n", "\n2\n"):
        assert furniture not in txt.split("## Our Duty")[1]
    notes = report("struct-pagebreaks-txt")
    assert sum("cut by a page break: joined" in n for n in notes) == 3
    assert "line 8: dropped: 'Page 1 of 3' inside a sentence cut by a page break" in "\n".join(
        notes
    )
    docx_body = body("struct-pagebreaks-docx")
    assert "paediatric first aid, and their certificates are renewed" in docx_body
    assert "written in the Accident Book kept in the main office." in docx_body


def test_a_heading_is_never_joined_to_the_text_after_it() -> None:
    assert "## Informing parents {#informing-parents}\n\nParents are phoned" in body(
        "struct-pagebreaks-docx"
    )


def test_list_items_without_a_parent_are_lists_at_the_top_level() -> None:
    html = body("struct-nested-html")
    assert "- a reading task;\n- a maths task." in html
    assert "1. phone the school office;\n1. collect a paper pack." in html
    assert "- a laptop, for up to a term;\n- a set of headphones." in html  # was <pre>
    assert "Loans are signed for at reception." in html
    word = body("struct-nested-docx")
    assert "- the venue has a current risk assessment;\n- there is one adult" in word
    assert "1. count the pupils on the coach;\n1. phone the office" in word
    assert any("made level 1, with the items beside it" in n for n in report("struct-nested-docx"))


def test_level_lists_moves_siblings_together_and_keeps_real_nesting() -> None:
    items = [Item("a", "a", "p1", 2), Item("b", "b", "p2", 2), Item("c", "c", "p3", 3)]
    items += [Item("d", "d", "p4", 0), Item("e", "e", "p5", 1)]
    moved = level_lists([Block("list", "p1", items=items)])
    assert [i.depth for i in items] == [0, 0, 1, 0, 1]
    assert [where for where, _ in moved] == ["p1"]


def test_markdown_typed_as_text_is_read_as_formatting() -> None:
    html = body("struct-literal-html")
    assert "Homework is **short and regular** so that" in html
    assert "on the **class page** and in the *reading record*." in html
    assert "## Help at Home {#help-at-home}" in html
    assert "Ask the office for the \\*printed\\* copy - it is free." in html
    page = rendered("struct-literal-html")
    assert "<p>2. The school will set reading" in page
    assert "<p>10) Pupils in Year 6" in page
    assert "<p>- Late homework is never punished" in page
    word = body("struct-literal-docx")
    assert "with **special educational needs** and *every* pupil" in word
    assert "### Working with Parents {#working-with-parents}" in word
    assert "<p>+ Extra support is planned with the family.</p>" in rendered("struct-literal-docx")


def test_empty_links_keep_their_text_and_are_reported() -> None:
    html = body("struct-literal-html")
    assert "Please see the homework timetable and the spelling lists." in html
    assert "Our marking guide and the [school website](https://redwater.example.org/)" in html
    assert "Read the guidance for parents for ideas." in html
    notes = "\n".join(report("struct-literal-html"))
    assert "link 'homework timetable' with no target kept as its text only" in notes
    assert "link 'guidance for parents' to '#no-such-part' kept as its text only" in notes
    word = body("struct-literal-docx")
    assert "Details are in the local offer and the SEN report." in word
    assert "[senco@whinfell.example.org](mailto:senco@whinfell.example.org)" in word


@pytest.mark.parametrize(
    ("text", "markdown", "plain"),
    [
        ("a **b** c", "a **b** c", "a b c"),
        ("__x y__", "**x y**", "x y"),
        ("an *em* word", "an *em* word", "an em word"),
        ("5 * 3 * 2", "5 \\* 3 \\* 2", "5 * 3 * 2"),  # arithmetic is no emphasis
        ("file_name_here", "file\\_name\\_here", "file_name_here"),
        ("\\[name of school\\]", "[name of school]", "[name of school]"),
        ("[x](#)", "x", "x"),
        ("[x]()", "x", "x"),
        ("[site](https://a.example/)", "[site](https://a.example/)", "site"),
        ("[name of school]", "[name of school]", "[name of school]"),
    ],
)
def test_read_literal(text: str, markdown: str, plain: str) -> None:
    literal = read_literal(text)
    assert (literal.markdown, literal.plain) == (markdown, plain)


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("2. The school", "2\\. The school"),
        ("10) Pupils", "10\\) Pupils"),
        ("2.1 Staff", "2.1 Staff"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("# Title", "\\# Title"),
        ("- - -", "\\- - -"),
        ("~~~", "\\~~~"),
        ("2024 was a good year.", "2024 was a good year."),
    ],
)
def test_a_paragraph_start_is_escaped_so_that_nothing_shows(text: str, escaped: str) -> None:
    assert escape_line_start(text) == escaped
    html = str(create_parser().render(escaped))
    assert html.startswith("<p>") and text in html


def test_signature_lines_move_into_the_form_of_their_own_section() -> None:
    doc = imported("struct-signatures-docx")
    staff, pupils = doc.proposals
    assert (staff.section.title, staff.audience) == ("Staff Code of Conduct", "staff")
    assert staff.sign == ["Signed", "Staff name", "Date"]
    assert (pupils.section.title, pupils.audience) == ("Pupil Promises", "ks2-pupils")
    assert pupils.sign == ["Signed (pupil)", "Parent/carer signature", "Date"]
    form = pupils.markdown("acceptable-use")
    assert "{id: parent-carer-signature, label: 'Parent/carer signature', kind: signature}" in (
        form
    )
    text = body("struct-signatures-docx")
    for gone in ("SIGNED", "Signed", "Staff name", "Signatures", "____"):
        assert gone not in text
    notes = "\n".join(report("struct-signatures-docx"))
    assert "dropped: heading 'Signatures', which held only the signature lines" in notes
    txt = imported("struct-signatures-txt")
    form_txt = txt.proposals[0]
    assert form_txt.section.title == "Our Class Promises"
    assert form_txt.audience == "ks2-pupils"  # named by the child's signature line
    assert form_txt.sign == [
        "Signature of child",
        "Signature of parent or carer",
        "Print name",
        "Date",
    ]
    text = body("struct-signatures-txt")
    assert "Signature of" not in text and "Print name" not in text
    # a governor's sign-off under another heading is no part of the pupils' form
    assert "Signed by the Chair of Governors: ...................." in text


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("SIGNED:", ["Signed"]),
        ("Signed (pupil): ______", ["Signed (pupil)"]),
        ("Parent/carer signature .......... Date ......", ["Parent/carer signature", "Date"]),
        ("Print name\t\tDate", ["Print name", "Date"]),
        ("Staff name:", ["Staff name"]),
    ],
)
def test_sign_labels(text: str, labels: list[str]) -> None:
    found = sign_labels(text)
    assert found is not None and found[0] == labels and found[1]


@pytest.mark.parametrize(
    "text",
    ["Date: 3 March 2024", "Staff must sign the visitors' book.", "Name of the policy owner"],
)
def test_what_is_not_a_signature_line(text: str) -> None:
    assert not is_sign_line(text)


def test_patterns_are_bounded() -> None:
    """No input can make the patterns backtrack badly: long hostile lines take no time."""
    hostile = [
        "*" + "a *" * 5000,
        "**" + "x" * 20000,
        "** a _" * 5000,
        "*" + "b" * 1999 + " *" * 5000,
        "[" * 5000 + "](" * 5000,
        "Introduction " + ". " * 20000 + "x",
        "Signed " + "_ " * 20000,
    ]
    start = time.monotonic()
    for text in hostile:
        read_literal(text)
        sign_labels(text)
        drop_contents([Block("para", "line 1", text, text)], Report("x"))
    assert time.monotonic() - start < 2


def test_a_table_of_tabbed_paragraphs_reports_each_row_at_its_own_paragraph(
    tmp_path: Path,
) -> None:
    document = docx.Document()
    document.add_paragraph("Charging Policy", style="Title")
    document.add_paragraph("Approved by:\tFull Governing Board")
    document.add_paragraph("Date approved:\t12 March 2025")
    document.add_heading("Why we charge", level=1)
    document.add_paragraph("We charge for some trips.")
    document.save(str(tmp_path / "policy.docx"))
    notes = convert(tmp_path / "policy.docx").report.lines()
    assert "paragraph 1: inferred: 2 tab-separated line(s) read as a table of 2 columns" in notes
    assert any(n.startswith("paragraph 2: inferred: approved on '2025-03-12'") for n in notes)


@pytest.mark.parametrize(
    ("second", "joined"),
    [
        ("www.example.org/forms", False),  # an address starts a line of its own
        ("(see the appendix)", False),
        ("and the office is told.", True),
        ("Office manager the same day.", True),  # after 'the', a capital goes on too
    ],
)
def test_what_goes_on_over_a_page_break(second: str, joined: bool) -> None:
    first = Block("para", "line 1", "", "Forms are returned to the")
    blocks = [first, Block("para", "line 3", second, second)]
    result = rejoin_pages(blocks, Report("x"))
    assert (len(result) == 1) is joined


def test_an_appendix_title_ending_in_a_full_stop_is_a_heading_and_names_its_form() -> None:
    doc = imported("struct-signatures-txt")
    assert "## Agreement for visitors {#agreement-for-visitors}" in body("struct-signatures-txt")
    visitors = doc.proposals[-1]
    assert (visitors.section.title, visitors.audience) == (
        "Agreement for visitors",
        "supply-visitors",
    )
    assert visitors.sign == ["Visitor's signature", "Date"]


def test_a_broken_page_reference_in_any_language_is_a_contents_entry() -> None:
    assert "Signet" not in body("struct-contents-txt")
    assert "### Leaving Early {#leaving-early}" in body("struct-contents-txt")


def test_tabs_that_only_indent_or_pad_make_no_table() -> None:
    text = "\tWe want every pupil to be safe\n\tand happy at school.\n\nName:\t\nSigned:\t\n"
    blocks = tab_tables(read_text_blocks(text), Report("x"))
    assert [b.kind for b in blocks] == ["para", "para", "para"]
    assert blocks[0].plain == "We want every pupil to be safe and happy at school."
    rows = tab_tables(read_text_blocks("Do\tDon't\n\n\tShout\n"), Report("x"))
    assert [b.kind for b in rows] == ["table"]
    assert [[c.plain for c in r] for r in rows[0].rows] == [["Do", "Don't"], ["", "Shout"]]


def test_indented_items_in_plain_text_with_no_parent_are_top_level_items() -> None:
    text = (
        "Pupils bring:\n\n    - a water bottle;\n          - a sun hat.\n\n"
        "\t1. a coat;\n\t2. gloves.\n"
    )
    blocks = read_text_blocks(text)
    moved = level_lists(blocks)
    assert [(i.plain, i.depth) for b in blocks for i in b.items] == [
        ("a water bottle;", 0),
        ("a sun hat.", 1),
        ("a coat;", 0),
        ("gloves.", 0),
    ]
    assert not moved  # nothing was missing: the first item of each list is at the top


def test_an_opendocument_file_with_several_patterns() -> None:
    text = body("struct-mixed-odt")
    assert "Our lunchtimes" not in text  # the contents entry, not the heading
    assert "### Lunchtime Supervisors {#lunchtime-supervisors}" in text
    assert "younger children, **after training**." in text
    (form,) = imported("struct-mixed-odt").proposals
    assert form.audience == "ks2-pupils"
    assert form.sign == ["Child’s signature", "Parent or carer’s signature", "Date"]
    assert "signature" not in text


def test_a_long_bold_sentence_typed_with_its_marks_is_bold() -> None:
    sentence = "The school will " + "check every device " * 30 + "each term."
    assert read_literal(f"**{sentence}**").markdown == f"**{sentence}**"


def test_reading_contents_lists_takes_linear_time() -> None:
    blocks = [Block("para", f"line {n}", "", f"{n % 90 + 1} Item {n} 3") for n in range(20000)]
    start = time.monotonic()
    assert len(drop_contents(blocks, Report("x"))) == len(blocks)
    assert time.monotonic() - start < 2


def test_a_line_of_many_tabs_keeps_every_word_in_twelve_columns() -> None:
    line = "\t".join(f"w{n}" for n in range(20))
    (table,) = tab_tables(read_text_blocks(f"{line}\n{line}\n"), Report("x"))
    assert len(table.rows[0]) == 12
    assert table.rows[0][-1].plain == " ".join(f"w{n}" for n in range(11, 20))

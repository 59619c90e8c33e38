"""One rule for where a link may go (core.webaddress.LINK_SCHEMES): the importer keeps a link
exactly when ``check`` would accept it in a policy, and plain http:// is neither."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, RunCli, make_project
from policypress.core.webaddress import LINK_SCHEMES, is_link_address
from policypress.importer import convert
from policypress.importer.literal import read_literal

ADDRESSES = [
    ("https://www.gov.uk/guidance", True),
    ("HTTPS://WWW.GOV.UK/", True),
    ("mailto:office@school.example", True),
    ("tel:01234567890", True),
    ("http://trust.example/watches", False),
    ("ftp://files.example/policy.pdf", False),
    ("file:///C:/policies/old.docx", False),
    ("javascript:void", False),
    ("policy.docx", False),
]


@pytest.mark.parametrize(("target", "allowed"), ADDRESSES)
def test_one_rule_says_where_a_link_may_go(target: str, allowed: bool) -> None:
    assert is_link_address(target) is allowed
    assert "http://" not in LINK_SCHEMES


@pytest.mark.parametrize(("target", "allowed"), ADDRESSES)
def test_a_typed_link_is_kept_as_the_rule_says(target: str, allowed: bool) -> None:
    literal = read_literal(f"See [the guidance]({target}) now.")
    assert (f"[the guidance]({target})" in literal.markdown) is allowed
    assert bool(literal.changes) is not allowed  # a link left out is reported


@pytest.mark.parametrize(("target", "allowed"), ADDRESSES)
def test_a_web_page_link_is_kept_as_the_rule_says(
    target: str, allowed: bool, tmp_path: Path
) -> None:
    page = tmp_path / "policy.html"
    page.write_text(
        "<html><body><h1>Uniform Policy</h1><h2>1. Purpose</h2>"
        f'<p>Read <a href="{target}">the guidance</a> first.</p></body></html>'
    )
    body = " ".join(b.markdown for s in convert(page).sections for b in s.blocks)
    assert (f"[the guidance]({target})" in body) is allowed


@pytest.mark.parametrize(("target", "allowed"), ADDRESSES[:5])
def test_check_accepts_a_link_as_the_importer_does(
    target: str, allowed: bool, tmp_path: Path, run_cli: RunCli
) -> None:
    project = make_project(tmp_path, FIXTURES / "minimal" / "content")
    policy = project / "content" / "policies" / "internet-use" / "policy.md"
    text = policy.read_text()
    policy.write_text(text.replace("See [the purpose](#purpose).", f"See [it]({target})."))
    result = run_cli("check", "--project", project)
    said = f"link to '{target}' goes nowhere; expected policy-slug#clause-id, #clause-id, or "
    assert (said in result.err) is not allowed, result.err
    assert (result.code == 0) is allowed, result.err

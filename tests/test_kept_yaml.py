"""Saving a details form keeps what a person wrote around the values it changes
(studio/keptyaml.py): the comments above each key, and every key it did not change, exactly."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO, make_project
from policypress.studio.keptyaml import rewritten
from studiokit import client_for, form_fields, let_in


def _dump(values: Mapping[str, Any]) -> str:
    return yaml.safe_dump(dict(values), sort_keys=False, allow_unicode=True)


def _rewrite(original: str, **changes: Any) -> str:
    old = yaml.safe_load(original)
    return rewritten(original, old, {**old, **changes}, _dump)


FILE = """\
# Our school's details: ask the office before changing them.
name: Hazel Bank Primary   # as on the sign
# The phase decides which pupil forms we get.
phase: primary

address:
  - 1 Hazel Lane
  # the second line was added in 2025
  - Bankside
website: "https://hazelbank.example/"
#   colours agreed with the design group
colours:
  primary: '#1d4f91'
# end of file: nothing below
"""


def test_an_unchanged_file_is_written_back_byte_for_byte() -> None:
    assert _rewrite(FILE) == FILE


@pytest.mark.parametrize(
    ("key", "value", "kept", "gone"),
    [
        # a changed key loses its own inline comment, keeps the comment above it
        ("name", "Hazel Bank Academy", "# Our school's details", "# as on the sign"),
        ("phase", "infant", "# The phase decides which pupil forms we get.", None),
        # a comment inside a changed list goes with the old value
        ("address", ["2 Hazel Lane"], "#   colours agreed", "# the second line"),
        ("colours", {"primary": "#0b3d5c"}, "#   colours agreed with the design group", None),
    ],
)
def test_a_changed_key_keeps_the_comments_above_it_and_around_the_rest(
    key: str, value: object, kept: str, gone: str | None
) -> None:
    text = _rewrite(FILE, **{key: value})
    assert yaml.safe_load(text)[key] == value
    assert kept in text and "# end of file: nothing below" in text
    if gone is not None:
        assert gone not in text
    # every other key is as it was written, comments and quoting included
    if key != "website":
        assert 'website: "https://hazelbank.example/"\n' in text
    if key != "name":
        assert "name: Hazel Bank Primary   # as on the sign\n" in text


def test_a_new_key_is_added_after_the_others() -> None:
    text = _rewrite(FILE, logo="assets/logo.png")
    assert text.index("logo: assets/logo.png") > text.index("colours:")
    assert text.startswith("# Our school's details")


def test_a_file_whose_keys_share_an_anchor_is_dumped_whole_rather_than_broken() -> None:
    shared = "colours: &c\n  primary: '#111111'\nposter_colours: *c\nname: A\n"
    text = _rewrite(shared, colours={"primary": "#222222"})
    values = yaml.safe_load(text)
    assert values["colours"] == {"primary": "#222222"}
    assert values["poster_colours"] == {"primary": "#111111"}  # what the alias said


def test_a_key_written_in_quotes_and_a_crlf_file_keep_their_lines() -> None:
    text = '"name": Old\r\n# kept\r\nphase: primary\r\n'
    out = _rewrite(text, name="New")
    assert "# kept\r\nphase: primary\r\n" in out and yaml.safe_load(out)["name"] == "New"


def test_the_studio_s_save_keeps_the_school_s_comments(tmp_path: Path) -> None:
    project = make_project(tmp_path, REPO / "content")
    school = project / "content" / "school.yml"
    lines = school.read_text("utf-8").splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.startswith("contacts:"))
    lines.insert(at, "# Contacts checked by the office each September.\n")
    school.write_text("".join(lines), encoding="utf-8")
    with client_for(project) as client:
        let_in(client)
        form = form_fields(client.get("/school").text)
        form["name"] = "Larkspur Lane Primary Academy"
        assert client.post("/school", data=form).status_code == 200
    saved = school.read_text("utf-8")
    assert "# Contacts checked by the office each September.\ncontacts:" in saved
    assert "name: Larkspur Lane Primary Academy" in saved
    # only the changed line differs
    before = "".join(lines).splitlines()
    after = saved.splitlines()
    assert len(before) == len(after)
    assert [b for b, a in zip(before, after, strict=True) if b != a] == [
        next(line for line in before if line.startswith("name:"))
    ]

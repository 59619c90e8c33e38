"""Signature blocks and "I will / I understand" lists → proposed agreement forms.

A policy's appendix often holds a staff or pupil agreement: a list of promises and a
"Signed: ____ Date: ____" block. The promises stay in the policy text (nothing is lost); the
signature lines are taken out of it (a web page cannot be signed), and a proposed form in
policypress's agreement format is written beside the draft. It is not moved into
content/agreements/ by the importer: a form may only cite an approved policy, so `check` would
refuse it until the imported policy's first approval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policypress.core.messages import gettext as _
from policypress.importer.blocks import Block
from policypress.importer.headings import Section, slugify
from policypress.importer.report import Report
from policypress.importer.signlines import SIGN_WORD, sign_labels

_PROMISE = re.compile(
    r"^I\s+(?:will|won't|will not|understand|agree|know|must|shall|confirm|accept|promise|"
    r"have read)\b",
    re.IGNORECASE,
)
_AUDIENCES = (
    ("parents", r"parent|carer"),
    ("governors", r"governor"),
    ("supply-visitors", r"visitor|supply|contractor|volunteer"),
    ("ks2-pupils", r"pupil|child|student|learner"),
    ("staff", r"staff|employee|teacher"),
)
_SIGNERS = (_AUDIENCES[3], _AUDIENCES[0])  # pupils before parents: a child's form


@dataclass
class Proposal:
    section: Section
    where: str
    lead: str = ""  # the paragraph before the promises ("When I use school devices:")
    promises: list[str] = field(default_factory=list)
    sign: list[str] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return f"{self.section.clause_id}.md"

    @property
    def audience(self) -> str:
        """Whom the form is for: from its heading, or else from who signs it (a child's
        signature line makes it a pupil form, even with a parent's line beside it)."""
        for audience, words in _AUDIENCES:
            if re.search(words, self.section.title, re.IGNORECASE):
                return audience
        signers = " ".join(self.sign)
        for audience, words in _SIGNERS:
            if re.search(words, signers, re.IGNORECASE):
                return audience
        return "staff"

    def markdown(self, slug: str) -> str:
        audience = self.audience
        layout = "ks2" if audience == "ks2-pupils" else "adult"
        lines = [
            "---",
            f"title: {_yaml_text(self.section.title)}",
            f"audience: {audience}",
            f"layout: {layout}",
            "summary: to-confirm",
            f"policies: [{slug}]",
            "sign:",
        ]
        labels = self.sign or ["Signed", "Date"]
        ids: set[str] = set()
        for label in labels:
            kind = (
                "signature"
                if SIGN_WORD.search(label)
                else "date"
                if re.search(r"\bdate\b", label, re.I)
                else "text"
            )
            field_id = slugify(label)
            while field_id in ids:
                field_id += "-2"
            ids.add(field_id)
            lines.append(f"  - {{id: {field_id}, label: {_yaml_text(label)}, kind: {kind}}}")
        lines += ["---", "", f"## {self.section.title} {{#{self.section.clause_id}}}", ""]
        if self.lead:
            lines += [self.lead, ""]
        lines += [
            f"- {p} [](#{self.section.clause_id})".replace("](#", f"]({slug}#")
            for p in self.promises
        ]
        return "\n".join(lines) + "\n"


def _yaml_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sign_block(block: Block) -> tuple[list[str], bool] | None:
    if block.kind == "para":
        return sign_labels(block.tabbed or block.plain)
    if block.kind == "table" and block.rows:  # "Signed | (blank)" rows
        labels: list[str] = []
        for row in block.rows:
            found = sign_labels("\t".join(c.plain for c in row if c.plain) + "\t")
            if found is None:
                return None
            labels += found[0]
        return labels, True
    return None


@dataclass
class _SignRun:
    section: Section
    where: str
    blocks: list[Block]
    labels: list[str]


def _sign_runs(section: Section) -> list[_SignRun]:
    """Signature lines one after another; a run counts if one of its lines is plainly a
    signature line, or two or more are, with a signature among them."""
    runs: list[_SignRun] = []
    run: list[tuple[Block, list[str], bool]] = []

    def close() -> None:
        labels = [label for _, found, _ in run for label in found]
        plain = any(p for _, _, p in run) or len(run) > 1
        if run and plain and any(SIGN_WORD.search(label) for label in labels):
            runs.append(_SignRun(section, run[0][0].where, [b for b, _, _ in run], labels))
        run.clear()

    for block in section.blocks:
        found = _sign_block(block)
        if found is None:
            close()
        else:
            run.append((block, *found))
    close()
    return runs


def find_agreements(sections: list[Section], report: Report) -> list[Proposal]:
    """Statement lists → proposed forms; signature lines move from the policy into the form
    whose statements they follow (in the same section, or just after it)."""
    proposals: list[Proposal] = []
    runs: list[_SignRun] = []
    for section in sections:
        runs += _sign_runs(section)
        proposal: Proposal | None = None
        for index, block in enumerate(section.blocks):
            if block.kind == "list":
                promises = [i for i in block.items if _PROMISE.match(i.plain)]
                if len(promises) >= 2 and 2 * len(promises) >= len(block.items):
                    if proposal is None:
                        proposal = Proposal(section, block.where)
                        proposals.append(proposal)
                    proposal.promises += [i.markdown for i in block.items]
                    before = section.blocks[index - 1] if index else None
                    if before is not None and before.kind == "para" and not proposal.lead:
                        proposal.lead = before.markdown
                    report.add(
                        block.where,
                        "agreement",
                        _("%(num)s statement(s) in '%(title)s' read as an agreement's promises")
                        % {"num": len(block.items), "title": section.title},
                    )
    moved: dict[int, Proposal] = {}  # id() of each block moved → its form
    for run in runs:
        target = _place(run, proposals, sections, report)
        if target is not None:
            moved.update((id(block), target) for block in run.blocks)
    _take_out(sections, moved, report)
    for proposal in proposals:
        values = {"audience": proposal.audience, "file": proposal.file_name}
        report.add(
            proposal.where,
            "agreement",
            _(
                "proposed %(audience)s agreement form written to proposed-agreements/%(file)s "
                "(a pupil form: add an {icon=…} to every statement); move it into "
                "content/agreements/ after the policy's first approval"
            )
            % values
            if proposal.audience.endswith("pupils")
            else _(
                "proposed %(audience)s agreement form written to proposed-agreements/%(file)s; "
                "move it into content/agreements/ after the policy's first approval"
            )
            % values,
        )
    return proposals


def _enclosing(
    section: Section, proposals: list[Proposal], sections: list[Section]
) -> Proposal | None:
    """The form that signature lines in ``section`` (which has no statements) belong to:
    that of the nearest section above that holds it ("Signatures" under "Pupil agreement"),
    or that of the section just before it, if this one holds nothing but the lines."""
    index = sections.index(section)
    level = section.level
    for earlier in reversed(sections[:index]):
        if earlier.level < level:
            found = [p for p in proposals if p.section is earlier]
            if found:
                return found[-1]
            level = earlier.level
    before = [p for p in proposals if index and p.section is sections[index - 1]]
    only_lines = all(_sign_block(b) is not None for b in section.blocks)
    return before[-1] if before and only_lines else None


def _place(
    run: _SignRun, proposals: list[Proposal], sections: list[Section], report: Report
) -> Proposal | None:
    """The form a run of signature lines moves into (their labels added to it), or None:
    they stay in the policy. Either is reported."""
    own = [p for p in proposals if p.section is run.section]
    target = own[0] if own else _enclosing(run.section, proposals, sections)
    if target is None:
        report.add(
            run.where,
            "not placed",
            _(
                "signature line(s) (%(labels)s) with no list of promises just before them: "
                "left in the policy text; no form proposed"
            )
            % {"labels": ", ".join(run.labels)},
        )
        return None
    target.sign += run.labels
    for block in run.blocks:
        found = _sign_block(block)
        labels = ", ".join(found[0]) if found else ""
        report.add(
            block.where,
            "agreement",
            _(
                "signature line (%(labels)s) taken out of the policy text into the proposed "
                "form %(file)s"
            )
            % {"labels": labels, "file": target.file_name},
        )
    return target


def _take_out(sections: list[Section], moved: dict[int, Proposal], report: Report) -> None:
    """The moved lines leave the policy text; a heading left over nothing goes too."""
    for index in range(len(sections) - 1, -1, -1):
        section = sections[index]
        targets = [moved[id(b)] for b in section.blocks if id(b) in moved]
        if not targets:
            continue
        section.blocks = [b for b in section.blocks if id(b) not in moved]
        after = sections[index + 1] if index + 1 < len(sections) else None
        if (
            not section.blocks
            and all(section is not t.section for t in targets)
            and not (after is not None and after.level > section.level)
        ):
            del sections[index]  # a heading over nothing: the lines were all it held
            report.add(
                section.where,
                "dropped",
                _("heading '%(title)s', which held only the signature lines moved into %(file)s")
                % {"title": section.title, "file": targets[0].file_name},
            )

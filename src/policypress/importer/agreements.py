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

from policypress.importer.blocks import Block
from policypress.importer.headings import Section, slugify
from policypress.importer.report import Report

_SIGN_PART = re.compile(r"([A-Za-z][A-Za-z ]{0,25}?)\s*[:.]?\s*[_.…]{4,}")
_SIGN_LINE = re.compile(r"^(?:\s*[A-Za-z][A-Za-z ]{0,25}?\s*[:.]?\s*[_.…]{4,}\s*)+$")
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
        for audience, words in _AUDIENCES:
            if re.search(words, self.section.title, re.IGNORECASE):
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
                if re.match(r"sign", label, re.I)
                else "date"
                if re.match(r"date", label, re.I)
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


def find_agreements(sections: list[Section], report: Report) -> list[Proposal]:
    proposals: list[Proposal] = []
    for section in sections:
        proposal: Proposal | None = None
        kept: list[Block] = []
        for index, block in enumerate(section.blocks):
            if block.kind == "para" and _SIGN_LINE.match(block.plain):
                labels = [m.group(1).strip() for m in _SIGN_PART.finditer(block.plain)]
                proposal = proposal or Proposal(section, block.where)
                proposal.sign += labels
                report.add(
                    block.where,
                    "agreement",
                    f"signature line ({', '.join(labels)}) taken out of the policy text "
                    "into the proposed form",
                )
                continue
            kept.append(block)
            if block.kind == "list":
                promises = [i for i in block.items if _PROMISE.match(i.plain)]
                if len(promises) >= 2 and 2 * len(promises) >= len(block.items):
                    proposal = proposal or Proposal(section, block.where)
                    proposal.promises += [i.markdown for i in block.items]
                    before = section.blocks[index - 1] if index else None
                    if before is not None and before.kind == "para" and not proposal.lead:
                        proposal.lead = before.markdown
                    report.add(
                        block.where,
                        "agreement",
                        f"{len(block.items)} statement(s) in '{section.title}' read as an "
                        "agreement's promises",
                    )
        section.blocks = kept
        if proposal is not None and proposal.promises:
            proposals.append(proposal)
            pupils = (
                " (a pupil form: add an {icon=…} to every statement)"
                if (proposal.audience.endswith("pupils"))
                else ""
            )
            report.add(
                proposal.where,
                "agreement",
                f"proposed {proposal.audience} agreement form written to proposed-agreements/"
                f"{proposal.file_name}{pupils}; move it into content/agreements/ after the "
                "policy's first approval",
            )
        elif proposal is not None:
            report.add(
                proposal.where,
                "not placed",
                "signature line with no list of promises before it: no form proposed",
            )
    return proposals

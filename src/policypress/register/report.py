"""The register out, into ``build/governors/register/`` (never part of the site):

- ``records.csv``: every acknowledgement held, person by person, oldest first;
- ``people.csv``: per person, each agreement signed (form, policy versions and hashes, date,
  how) and each quiz passed (versions, date, how), and what is outstanding;
- ``policies.csv``: per policy, each person who must agree to it: current, must sign again
  (agreed to an earlier major version) or never signed (and whether new since the last return);
- ``summary.pdf`` and ``summary.csv``: one page for the governors' safeguarding report;
- ``outstanding.txt``: the outstanding people's addresses, ready to paste into a message.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from dataclasses import dataclass
from pathlib import Path

from policypress.core.diagnostics import ContentError, Diagnostics
from policypress.core.messages import gettext as _
from policypress.core.release import publish_unlisted
from policypress.model import School
from policypress.register.people import is_address
from policypress.register.status import RegisterStatus
from policypress.register.store import Register

FOLDER = Path("governors") / "register"


@dataclass(frozen=True)
class Written:
    folder: Path
    files: tuple[Path, ...]
    notices: tuple[str, ...]


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # as spreadsheets expect
    for row in rows:
        # a cell starting with = + - @ would run as a formula when opened in a spreadsheet
        writer.writerow(["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in row])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM tells Excel it is UTF-8


def people_rows(status: RegisterStatus) -> list[list[str]]:
    rows = [["id", "name", "email", "pathway", "complete", "item", "state", "versions", "date",
             "how", "outstanding"]]  # fmt: skip
    for entry in status.people:
        person = entry.person
        base = [person.id, person.name, person.email, person.pathway,
                "yes" if entry.complete else "no"]  # fmt: skip
        missing = "; ".join(entry.outstanding)
        if not entry.forms and not entry.quizzes:  # everyone is listed, even so
            rows.append([*base, "", "nothing required", "", "", "", ""])
        for form in entry.forms:
            record = form.latest
            versions = (
                " ".join(
                    f"{p['slug']}@{p['version']}:sha256={p['sha256']}" for p in record["policies"]
                )
                if record
                else ""
            )
            rows.append([*base, f"form {form.form}", form.state, versions,
                         record["date"] if record else "", record["how"] if record else "",
                         missing])  # fmt: skip
        for quiz in entry.quizzes:
            record = quiz.latest
            rows.append([*base, f"quiz {quiz.quiz}", quiz.state,
                         record["versions"] if record else "", record["date"] if record else "",
                         record["how"] if record else "", missing])  # fmt: skip
    return rows


def outstanding_csv(status: RegisterStatus) -> bytes:
    """people.csv's rows of the people with something outstanding, as the report writes
    people.csv: the outstanding list to download."""
    return _csv(people_rows(dataclasses.replace(status, people=tuple(status.outstanding))))


def record_rows(status: RegisterStatus, register: Register) -> list[list[str]]:
    rows = [["id", "name", "type", "item", "versions", "date", "how", "signer"]]
    people = [*(p.person for p in status.people), *status.leavers]
    for person in people:
        for record in sorted(register.records_of(person.id), key=lambda r: r["date"]):
            if record["type"] == "agreement":
                item = f"form {record['form']} sha256 {record['form_sha256']}"
                versions = " ".join(
                    f"{p['slug']}@{p['version']}:sha256={p['sha256']}" for p in record["policies"]
                )
            else:
                item, versions = f"quiz {record['quiz']}", record["versions"]
            signature = record.get("signature") or {}
            signer = signature.get("signer", "")
            if signer and not signature.get("trusted"):
                signer += " (certificate not from a trusted authority)"
            rows.append([person.id, person.name, record["type"], item, versions,
                         record["date"], record["how"], signer])  # fmt: skip
    return rows


def policy_rows(status: RegisterStatus) -> list[list[str]]:
    rows = [["policy", "current version", "sha256", "major since", "id", "name", "email",
             "state", "agreed version", "agreed on", "new since last return"]]  # fmt: skip
    for policy in status.policies:
        for entry in policy.people:
            rows.append([
                policy.current.slug, str(policy.current.number), policy.current.sha256,
                str(policy.since.number), entry.person.id, entry.person.name,
                entry.person.email, entry.state,
                str(entry.signed.number) if entry.signed else "",
                entry.on.isoformat() if entry.on else "", "yes" if entry.new else "no",
            ])  # fmt: skip
    return rows


def summary_rows(status: RegisterStatus) -> list[list[str]]:
    rows = [["measure", "value"],
            ["date", status.today.isoformat()],
            ["people (leavers excluded)", str(len(status.people))],
            ["complete", str(len(status.complete))],
            ["outstanding", str(len(status.outstanding))]]  # fmt: skip
    for policy in status.policies:
        label = f"{policy.current.slug} {policy.current.number}"
        for state in ("current", "must sign again", "never signed"):
            rows.append([f"{label}: {state}", str(len(policy.of(state)))])
    for entry in status.outstanding:
        rows.append([f"outstanding: {entry.person.name}", "; ".join(entry.outstanding)])
    return rows


def outstanding_text(status: RegisterStatus) -> tuple[str, list[str]]:
    """The file's text: the recipient line (addresses only, from the staff export's address
    column: a name never becomes an address), then one line per person; and a sentence for
    each address left out because it is not one bare address."""
    people, problems = [], []
    for entry in status.outstanding:
        if is_address(entry.person.email):
            people.append(entry)
        else:
            problems.append(
                _(
                    "%(person)s: the address '%(email)s' is not one e-mail address; left out of "
                    "outstanding.txt (correct the staff export and import it again with "
                    "'policypress register staff FILE')"
                )
                % {"person": entry.person.id, "email": entry.person.email}
            )
    lines = [
        "; ".join(p.person.email for p in people),
        "",
        *(f"{p.person.email}: {', '.join(p.outstanding)} ({p.person.name})" for p in people),
    ]
    return "\n".join(lines) + "\n", problems


def write_report(
    status: RegisterStatus,
    register: Register,
    school: School,
    out: Path,
    templates: tuple[Path, ...],
    content: Path,
) -> Written:
    folder = out / FOLDER
    files: dict[str, bytes] = {
        "people.csv": _csv(people_rows(status)),
        "records.csv": _csv(record_rows(status, register)),
        "policies.csv": _csv(policy_rows(status)),
        "summary.csv": _csv(summary_rows(status)),
    }
    outstanding, skipped = outstanding_text(status)
    files["outstanding.txt"] = outstanding.encode("utf-8")
    pdf, notices = _summary_pdf(status, school, templates, content)
    files["summary.pdf"] = pdf
    # Published as a build publishes (under its lock, one switch), never written through the
    # build folder's links into the live release, where a build could lose it.
    written = publish_unlisted(out, FOLDER.as_posix(), files)
    return Written(folder, tuple(written), (*skipped, *notices))


def _summary_pdf(
    status: RegisterStatus, school: School, templates: tuple[Path, ...], content: Path
) -> tuple[bytes, tuple[str, ...]]:
    """The summary PDF; ``templates``: the folders searched in order (a project's own, then
    the package's)."""
    from policypress.outputs.templating import (
        TemplateFailure,
        create_environment,
        render_template,
    )

    diags = Diagnostics(content.parent)
    try:
        html = render_template(
            create_environment(templates),
            "register/summary.html.j2",
            diags,
            school=school,
            status=status,
        )
    except TemplateFailure:
        raise ContentError(diags) from None
    from policypress.outputs.pdf.render import render_pdf  # WeasyPrint only when rendering

    rendered = render_pdf(html, templates[0], (*templates, content), fallbacks=templates[1:])
    return rendered.pdf, rendered.notices

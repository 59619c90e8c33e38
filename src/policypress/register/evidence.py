"""Evidence in: returned forms (PDF or paper), quiz completion codes and learning platforms'
completion exports, each checked and turned into a register record.

A piece of evidence that fails a check is reported at its file (and line and column) and not
counted; the rest of the batch is still recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policypress.core.diagnostics import Diagnostics, Position, did_you_mean
from policypress.core.messages import gettext as _
from policypress.core.surface import what_to_do
from policypress.model import Agreement
from policypress.outputs.manifest import read_manifest, sha256_file
from policypress.quizzes.generate import Quiz
from policypress.register.approved import Approved, ApprovedIndex
from policypress.register.completion import completion_code, read_code, versions_text
from policypress.register.forms import (
    SEEN,
    ReadForm,
    UnreadableForm,
    read_form,
    read_pdf_bytes,
)
from policypress.register.people import Person, name_key
from policypress.register.settings import Platform, Settings
from policypress.register.store import Register
from policypress.register.table import Row, parse_day, read_csv_text, read_table

COMMAND_LINE = Path("<command line>")
CODE_COLUMNS = {"name": "name", "quiz": "quiz", "date": "date", "code": "code"}


@dataclass
class Intake:
    """What checking evidence needs, and where its outcome goes."""

    register: Register
    approved: ApprovedIndex
    agreements: dict[str, Agreement]
    quizzes: dict[str, Quiz]  # staff quizzes, by id
    settings: Settings
    diags: Diagnostics
    today: dt.date
    said: list[str]  # one line per piece of evidence recorded or already there

    def recorded(self, added: bool, new: str, again: str, values: dict[str, object]) -> None:
        """Say what was recorded: ``new`` when it was added now, ``again`` when the register
        held it already (two whole sentences from the catalogue, filled with ``values``)."""
        self.said.append((new if added else again) % values)


# -- the catalogue of published forms ---------------------------------------------------


def catalogue_published_forms(intake: Intake, out: Path) -> int:
    """Fingerprint every agreement form of the build in ``out`` not yet catalogued; the
    number added. Forms are identified by their stamp, so an older form stays known after a
    new version replaces it on the site."""
    manifest = out / "manifest.json"
    if not manifest.exists():
        return 0
    try:
        entries = read_manifest(manifest)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        intake.diags.error(
            manifest,
            Position(1, 1),
            _("not a policypress manifest (%(exc)s); run 'policypress build'") % {"exc": exc},
        )
        return 0
    added = 0
    for entry in entries:
        if entry.kind != "agreement-pdf":
            continue
        path = out / entry.path
        if not path.is_file() or sha256_file(path) != entry.sha256:
            continue  # not as the manifest says: never trust it as a reference
        try:
            form = read_form(path.read_bytes())
        except UnreadableForm:
            continue
        known = intake.register.catalogue.get(form.stamp.key)
        if known is not None and "seen" in known:
            continue  # (an entry from before 'seen' was kept is completed below)
        # a public build stamps only approved versions; anything else is not a reference
        policies = _approved_stamps(intake, form, path, Diagnostics(intake.diags.root))
        if policies is None:
            continue
        intake.register.catalogue[form.stamp.key] = {
            "form": form.stamp.form,
            "digest": form.stamp.digest,
            "fingerprint": form.fingerprint,
            "policies": [_stamp_record(a) for a in policies],
            "seen": form.seen,
        }
        added += 1
    return added


def _stamp_record(approved: Approved) -> dict[str, str]:
    return {"slug": approved.slug, "version": str(approved.number), "sha256": approved.sha256}


def _approved_stamps(
    intake: Intake, form: ReadForm, path: Path, diags: Diagnostics
) -> list[Approved] | None:
    """The approved version each of the form's stamps names; reported if one names none."""
    found = []
    for stamp in form.stamp.policies:
        slug = intake.approved.slug_for_title(stamp.title)
        approved = intake.approved.find(slug, stamp.version, stamp.digest) if slug else None
        if approved is None:
            diags.error(
                path,
                Position(1, 1),
                _(
                    "stamp '%(title)s version %(version)s sha256 %(digest)s' matches no "
                    "approved version of any policy; not counted"
                )
                % {"title": stamp.title, "version": stamp.version, "digest": stamp.digest},
            )
            return None
        found.append(approved)
    return found


# -- people -------------------------------------------------------------------------------


def find_person(intake: Intake, name: str, where: Path, line: int, col: int) -> Person | None:
    key = name_key(name)
    matches = [p for p in intake.register.people.values() if name_key(p.name) == key]
    if len(matches) == 1:
        return matches[0]
    if matches:
        ids = ", ".join(sorted(p.id for p in matches))
        intake.diags.error(
            where,
            Position(line, col),
            _("'%(name)s' names more than one person (%(ids)s)") % {"name": name, "ids": ids},
        )
        return None
    names = [p.name for p in intake.register.people.values()]
    intake.diags.error(
        where,
        Position(line, col),
        _(
            "no one called '%(name)s' in the staff list%(did_you_mean)s; import "
            "the latest staff export with 'policypress register staff FILE'"
        )
        % {"name": name, "did_you_mean": did_you_mean(name, names)},
    )
    return None


def find_person_by_id(intake: Intake, ref: str, where: Path, col: int) -> Person | None:
    """A person by id or e-mail (as given on the command line), else by name."""
    for person in intake.register.people.values():
        if ref in (person.id, person.email) or ref.lower() == person.email.lower():
            return person
    return find_person(intake, ref, where, 1, col)


# -- returned forms -------------------------------------------------------------------------


def add_form_pdf(intake: Intake, path: Path) -> None:
    diags = intake.diags
    data = read_pdf_bytes(path, diags)
    if data is None:
        return
    try:
        form = read_form(data)
    except UnreadableForm as exc:
        diags.error(path, Position(1, 1), _("the file %(exc)s") % {"exc": exc})
        return
    stamp = form.stamp
    for signature in form.signatures:
        if not signature.intact or signature.changed_after:
            diags.error(
                path,
                Position(1, 1),
                _(
                    "signature '%(field)s' (%(signer)s) does not cover the form as it is "
                    "now: it was changed after it was signed; not counted"
                )
                % {"field": signature.field, "signer": signature.signer},
            )
            return
    policies = _approved_stamps(intake, form, path, diags)
    if policies is None:
        return
    reference = intake.register.catalogue.get(stamp.key)
    if reference is None:
        diags.error(
            path,
            Position(1, 1),
            _(
                "form %(form)s sha256 %(digest)s with these policy versions is not one "
                "this project published (run 'policypress build' first if it is new); "
                "not counted"
            )
            % {"form": stamp.form, "digest": stamp.digest},
        )
        return
    if reference["fingerprint"] != form.fingerprint:
        diags.error(
            path,
            Position(1, 1),
            _(
                "the text or printed stamp differs from form %(form)s sha256 "
                "%(digest)s as published: it was changed after the form was made; not "
                "counted"
            )
            % {"form": stamp.form, "digest": stamp.digest},
        )
        return
    if "seen" not in reference:  # catalogued before its look was kept: cannot compare
        differences = ["it cannot be compared (run 'policypress build', then add it again)"]
    else:
        differences = [SEEN[k] for k in sorted(SEEN) if reference["seen"].get(k) != form.seen[k]]
    if differences:
        diags.error(
            path,
            Position(1, 1),
            _(
                "the form does not look as form %(form)s sha256 %(digest)s did when "
                "published: %(items)s; not counted"
            )
            % {"form": stamp.form, "digest": stamp.digest, "items": "; ".join(differences)},
        )
        return
    agreement = intake.agreements.get(stamp.form)
    name_field = "name"
    date_field = (
        next((line.id for line in agreement.sign if line.kind == "date"), "date")
        if agreement
        else "date"
    )
    name, typed_date = form.fields.get(name_field, ""), form.fields.get(date_field, "")
    if not name:
        diags.error(
            path,
            Position(1, 1),
            _("the '%(name_field)s' field is empty; expected the signer's name")
            % {"name_field": name_field},
        )
        return
    day = parse_day(typed_date)
    if day is None or day > intake.today:
        diags.error(
            path,
            Position(1, 1),
            _(
                "the '%(date_field)s' field is '%(typed_date)s'; expected the date it "
                "was signed, e.g. 2026-09-01 or 01/09/2026, not in the future"
            )
            % {"date_field": date_field, "typed_date": typed_date},
        )
        return
    person = find_person(intake, name, path, 1, 1)
    if person is None:
        return
    signer = next((s for s in form.signatures), None)
    record = {
        "type": "agreement",
        "person": person.id,
        "form": stamp.form,
        "form_sha256": stamp.digest,
        "form_key": stamp.key,
        "policies": [_stamp_record(a) for a in policies],
        "date": day.isoformat(),
        "how": "signed PDF" if signer else "PDF form",
        "signature": ({"signer": signer.signer, "trusted": signer.trusted} if signer else None),
    }
    added = intake.register.add(record, "agreement", person.id, stamp.key, day.isoformat())
    intake.recorded(
        added,
        _("recorded: %(person)s, form %(form)s (%(versions)s), %(day)s"),
        _("already recorded: %(person)s, form %(form)s (%(versions)s), %(day)s"),
        {"person": person.name, "form": stamp.form, "versions": _versions(policies), "day": day},
    )


def add_paper(intake: Intake, who: str, form_slug: str, day: dt.date, printed: str | None) -> None:
    """A paper return recorded by hand: the form as published (the current one unless the
    short hash printed on the paper names an earlier one)."""
    diags = intake.diags
    person = find_person_by_id(intake, who, COMMAND_LINE, 2)
    forms = [
        (key, entry)
        for key, entry in sorted(intake.register.catalogue.items())
        if entry["form"] == form_slug and (printed is None or entry["digest"] == printed)
    ]
    if printed is None:
        forms = [(k, e) for k, e in forms if _is_current(intake, e)]
    if not forms:
        known = sorted({e["form"] for e in intake.register.catalogue.values()})
        diags.error(
            COMMAND_LINE,
            Position(1, 3),
            (
                _(
                    "no published form '%(form_slug)s' with sha256 %(printed)s"
                    "%(did_you_mean)s; %(next)s"
                )
                if printed
                else _(
                    "no published form '%(form_slug)s' at the current versions"
                    "%(did_you_mean)s; %(next)s"
                )
            )
            % {
                "next": what_to_do(
                    _("build the site first, or give --printed"), _("publish the site first")
                ),
                "form_slug": form_slug,
                "printed": printed,
                "did_you_mean": did_you_mean(form_slug, known),
            },
        )
        return
    if day > intake.today:
        diags.error(
            COMMAND_LINE, Position(1, 4), _("the date %(day)s is in the future") % {"day": day}
        )
        return
    if person is None:
        return
    key, entry = forms[-1]
    record = {
        "type": "agreement",
        "person": person.id,
        "form": form_slug,
        "form_sha256": entry["digest"],
        "form_key": key,
        "policies": entry["policies"],
        "date": day.isoformat(),
        "how": "paper",
        "signature": None,
    }
    added = intake.register.add(record, "agreement", person.id, key, day.isoformat())
    versions = ", ".join(f"{p['slug']} {p['version']}" for p in entry["policies"])
    intake.recorded(
        added,
        _("recorded: %(person)s, form %(form)s on paper (%(versions)s), %(day)s"),
        _("already recorded: %(person)s, form %(form)s on paper (%(versions)s), %(day)s"),
        {"person": person.name, "form": form_slug, "versions": versions, "day": day},
    )


def _is_current(intake: Intake, entry: dict[str, Any]) -> bool:
    return all(
        (current := intake.approved.current(p["slug"])) is not None
        and current.sha256 == p["sha256"]
        for p in entry["policies"]
    )


def _versions(policies: list[Approved]) -> str:
    return ", ".join(f"{a.slug} {a.number}" for a in policies)


# -- quizzes ------------------------------------------------------------------------------


def add_code(
    intake: Intake, name: str, quiz_id: str, day_text: str, code_text: str,
    where: Path = COMMAND_LINE, line: int = 1, cols: tuple[int, int, int, int] = (1, 2, 3, 4),
) -> None:  # fmt: skip
    diags = intake.diags
    quiz = intake.quizzes.get(quiz_id)
    day = parse_day(day_text)
    code = read_code(code_text)
    ok = True
    if quiz is None:
        diags.error(
            where,
            Position(line, cols[1]),
            _("no staff quiz '%(quiz_id)s'%(did_you_mean)s; expected one of: %(items)s")
            % {
                "quiz_id": quiz_id,
                "did_you_mean": did_you_mean(quiz_id, intake.quizzes),
                "items": ", ".join(sorted(intake.quizzes)),
            },
        )
        ok = False
    if day is None or day > intake.today:
        diags.error(
            where,
            Position(line, cols[2]),
            _("'%(day_text)s' is not a date up to today") % {"day_text": day_text},
        )
        ok = False
    if code is None:
        diags.error(
            where,
            Position(line, cols[3]),
            _(
                "'%(code_text)s' is not a completion code; expected 8 letters and "
                "digits like 7K2M-Q9XD"
            )
            % {"code_text": code_text},
        )
        ok = False
    person = find_person(intake, name, where, line, cols[0])
    if not ok or person is None or quiz is None or day is None:
        return
    for versions in _candidate_versions(intake, quiz, day):
        if completion_code(name, quiz_id, versions, day) == code:
            record = {
                "type": "quiz",
                "person": person.id,
                "quiz": quiz_id,
                "versions": versions,
                "date": day.isoformat(),
                "how": "completion code",
            }
            added = intake.register.add(record, "quiz", person.id, quiz_id, versions, str(day))
            intake.recorded(
                added,
                _("recorded: %(person)s, quiz %(quiz)s (%(versions)s), %(day)s"),
                _("already recorded: %(person)s, quiz %(quiz)s (%(versions)s), %(day)s"),
                {"person": person.name, "quiz": quiz_id, "versions": versions, "day": day},
            )
            return
    diags.error(
        where,
        Position(line, cols[3]),
        _(
            "code %(code)s does not match '%(name)s', quiz %(quiz_id)s on %(day)s "
            "at any version in force then; check the name and date exactly as on "
            "the certificate; not counted"
        )
        % {"code": code, "name": name, "quiz_id": quiz_id, "day": day},
    )


def _candidate_versions(intake: Intake, quiz: Quiz, day: dt.date) -> list[str]:
    """The quiz's versions today, and those in force on the day (a certificate from before
    the latest approval carries the versions of its day)."""
    slugs = sorted(stamp.slug for stamp in quiz.policies)
    today = versions_text((s.slug, s.version) for s in quiz.policies)
    then = versions_text(
        (slug, str(found.number))
        for slug in slugs
        if (found := intake.approved.effective_on(slug, day)) is not None
    )
    return list(dict.fromkeys((today, then)))


def add_csv(intake: Intake, path: Path, quiz_id: str | None) -> None:
    """A CSV of completion codes (name, quiz, date, code) or a platform's completion export,
    told apart by its headings."""
    text = read_csv_text(path, intake.diags)
    if text is None:
        return
    first = next((line for line in text.splitlines() if line.strip()), "")
    headings = {" ".join(h.split()).lower().strip('"') for h in first.split(",")}
    if set(CODE_COLUMNS) <= headings:
        table = read_table(path, CODE_COLUMNS, intake.diags, what="completion codes")
        for row in table.rows if table else ():
            name, quiz, day, code = (row.cells[k] for k in CODE_COLUMNS)
            add_code(
                intake,
                name.text,
                quiz.text,
                day.text,
                code.text,
                where=path,
                line=row.line,
                cols=(name.col, quiz.col, day.col, code.col),
            )
        return
    for platform in intake.settings.platforms:
        wanted = {" ".join(h.split()).lower() for h in platform.columns.values()}
        if wanted <= headings:
            _add_platform(intake, path, platform, quiz_id)
            return
    expected = "; ".join(
        f"{p.name}: {', '.join(p.columns.values())}" for p in intake.settings.platforms
    )
    intake.diags.error(
        path,
        Position(1, 1),
        _(
            "the headings match no known export; expected completion codes (name, "
            "quiz, date, code) or the columns mapped in private/register.yml "
            "(%(expected)s)"
        )
        % {"expected": expected},
    )


def _add_platform(intake: Intake, path: Path, platform: Platform, quiz_id: str | None) -> None:
    diags = intake.diags
    table = read_table(path, platform.columns, diags, what=f"a {platform.name} export")
    if table is None:
        return
    if "quiz" not in platform.columns and quiz_id is None:
        diags.error(
            path,
            Position(1, 1),
            _("this %(name)s export does not name its quiz; %(next)s")
            % {
                "name": platform.name,
                "next": what_to_do(
                    _("say which with --quiz, e.g. --quiz %(quiz)s")
                    % {"quiz": next(iter(sorted(intake.quizzes)), "staff-teaching")},
                    _("choose it under “Quiz the export is for”"),
                ),
            },
        )
        return
    by_email = {p.email.lower(): p for p in intake.register.people.values()}
    for row in table.rows:
        _platform_row(intake, path, platform, row, quiz_id, by_email)


def _platform_row(
    intake: Intake, path: Path, platform: Platform, row: Row, quiz_id: str | None,
    by_email: dict[str, Person],
) -> None:  # fmt: skip
    diags = intake.diags
    status = row.get("status")
    if status is not None and status.text.lower() not in platform.passed:
        return  # started, failed or incomplete: nothing to record
    grade = row.get("grade")
    if grade is not None and platform.pass_grade is not None:
        try:
            if float(grade.text.replace("%", "")) < platform.pass_grade:
                return
        except ValueError:
            diags.error(
                path,
                Position(grade.line, grade.col),
                _("grade '%(text)s' is not a number") % {"text": grade.text},
            )
            return
    quiz_cell = row.get("quiz")
    quiz = quiz_cell.text if quiz_cell is not None else quiz_id or ""
    completed, email = row.cells["completed"], row.cells["email"]
    day = parse_day(completed.text)
    ok = True
    if quiz not in intake.quizzes:
        col = quiz_cell.col if quiz_cell else 1
        diags.error(
            path,
            Position(row.line, col),
            _("no staff quiz '%(quiz)s'%(did_you_mean)s; expected one of: %(items)s")
            % {
                "quiz": quiz,
                "did_you_mean": did_you_mean(quiz, intake.quizzes),
                "items": ", ".join(sorted(intake.quizzes)),
            },
        )
        ok = False
    if day is None or day > intake.today:
        diags.error(
            path, Position(row.line, completed.col),
            _("'%(text)s' is not a completion date up to today") % {"text": completed.text},
        )  # fmt: skip
        ok = False
    person = by_email.get(email.text.lower())
    if person is None:
        diags.warning(
            path, Position(row.line, email.col),
            _("'%(text)s' is not in the staff list; row skipped") % {"text": email.text},
        )  # fmt: skip
        return
    if not ok or day is None:
        return
    versions = versions_text(
        (stamp.slug, str(found.number))
        for stamp in intake.quizzes[quiz].policies
        if (found := intake.approved.effective_on(stamp.slug, day)) is not None
    )
    record = {
        "type": "quiz",
        "person": person.id,
        "quiz": quiz,
        "versions": versions,
        "date": day.isoformat(),
        "how": platform.name,
    }
    added = intake.register.add(record, "quiz", person.id, quiz, versions, str(day))
    intake.recorded(
        added,
        _("recorded: %(person)s, quiz %(quiz)s (%(versions)s) on %(platform)s, %(day)s"),
        _("already recorded: %(person)s, quiz %(quiz)s (%(versions)s) on %(platform)s, %(day)s"),
        {
            "person": person.name,
            "quiz": quiz,
            "versions": versions,
            "platform": platform.name,
            "day": day,
        },
    )

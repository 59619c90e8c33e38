"""The facts a cover gives (title, approver, dates, owner, version), each read from its label
and value as schools write them, said in the report, and never guessed: a date policypress
cannot read for sure is left to confirm."""

from __future__ import annotations

from dataclasses import dataclass, field

from policypress.core.messages import gettext as _
from policypress.importer.coverlines import DATE_KEYS, Field, label_key, split_approval
from policypress.importer.dates import ParsedDate, parse_date, parse_range
from policypress.importer.report import Report


@dataclass
class Cover:
    title: str = ""
    approved_by: str = ""
    approved_on: ParsedDate | None = None
    review: ParsedDate | None = None
    reviewed: ParsedDate | None = None
    owner: str = ""
    reviewed_by: str = ""  # reported only: a review is not an approval
    review_cycle: str = ""  # 'annual', 'every two years': reported beside review_cycle_months
    version: str = ""
    source: dict[str, str] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)
    # 'Date of review': the last review beside a next review, else the next (see settle).
    either: ParsedDate | None = None


def settle(cover: Cover, report: Report) -> None:
    """'Date of review' beside a next review is the last review; alone, the next one."""
    if cover.either is None:
        return
    where = cover.where.pop("review_either")
    key = "review" if cover.review is None else "reviewed"
    if getattr(cover, key) is not None:
        report.add(
            where,
            "not placed",
            _("date of review '%(given)s': a second one") % {"given": cover.either.given},
        )
        return
    setattr(cover, key, cover.either)
    cover.where[key] = where
    read_as = (
        _("date of review '%(given)s' read as the next review")
        if key == "review"
        else _("date of review '%(given)s' read as the last review (a next review is given)")
    )
    report.add(where, "inferred", read_as % {"given": cover.either.given})


def all_dates_read(found: list[Field]) -> bool:
    """Every date of a line is one policypress reads: a line in the policy's text such as
    'Reviewed: as and when needed' stays where it is."""
    dated = [f for f in found if f.key in DATE_KEYS or f.key == "approved_by"]
    return bool(dated) and all(
        parse_date(f.value, search=f.key == "approved_by") is not None
        or parse_range(f.value) is not None
        for f in dated
    )


def set_from_label(
    cover: Cover, label: str, value: str, where: str, report: Report, source: str | None = None
) -> None:
    """A cover table's cell or a sentence's part: 'Approved by LGB' | '14/09/22'."""
    key, words = label_key(label), label.split()
    if key == "approved_by" and len(words) > 2 and label_key(" ".join(words[:2])):
        # The body may be in the label ('Approved by LGB') and the date in the value.
        label, value = " ".join(words[:2]), f"{' '.join(words[2:])} {value}"
    set_field(cover, Field(label, key, value, True), where, report, source)


def set_field(
    cover: Cover, item: Field, where: str, report: Report, source: str | None = None
) -> None:
    label, key, value = item.label.strip(), item.key, item.value.strip()
    if not value or value.strip("_. ") == "":
        report.add(where, "not placed", _("'%(label)s' is empty in the source") % {"label": label})
        return
    if key == "approved_by":
        body, date = split_approval(value)
        if date:
            set_field(cover, Field(label, "approved_on", date, True), where, report, source)
        if not body:
            return
        value = body
    if key in DATE_KEYS:
        _set_date(cover, key, label, value, where, report, source)
        return
    if key == "title" and cover.title:
        return
    setattr(cover, key, value)
    cover.where[key] = where
    # source: where on the cover it was, a phrase of the catalogue ("the title line")
    report.add(
        where,
        "inferred",
        _("%(field)s '%(value)s' from %(source)s ('%(label)s')")
        % {
            "field": key.replace("_", " "),
            "value": value,
            "source": source or _("the cover"),
            "label": label,
        },
    )


def _set_date(
    cover: Cover, key: str, label: str, value: str, where: str, report: Report, source: str | None
) -> None:
    """A date as written; a range gives the next review too; an unreadable one is to
    confirm, never guessed."""
    dates = parse_range(value)
    if dates is not None and key != "review":
        _set_date(cover, "review", label, dates[1].given, where, report, source)
    parsed = dates[0] if dates is not None else parse_date(value, search=True)
    if parsed is None or (not dates and parsed.rest and parse_date(parsed.rest, search=True)):
        if parsed and key == "review":
            unread = _(
                "'%(label)s: %(value)s' gives two dates; next_review is left out: write it in "
                "policy.md"
            )
        elif parsed:
            unread = _(
                "'%(label)s: %(value)s' gives two dates; add the version to history.yml by hand "
                "if it is one"
            )
        elif key == "review":
            unread = _(
                "'%(label)s: %(value)s' is not a date policypress can read for sure; "
                "next_review is left out: write it in policy.md"
            )
        else:
            unread = _(
                "'%(label)s: %(value)s' is not a date policypress can read for sure; add the "
                "version to history.yml by hand if it is one"
            )
        report.add(where, "to confirm", unread % {"label": label, "value": value})
        return
    if parsed.rest and not dates:  # 'Reviewed: 14/09/2022 (Resources Committee)'
        report.add(
            where,
            "not placed",
            _("'%(rest)s' after the date '%(given)s' ('%(label)s')")
            % {"rest": parsed.rest, "given": parsed.given, "label": label},
        )
    if key == "review_either":
        cover.either = parsed
        cover.where["review_either"] = where
        return
    earlier = getattr(cover, key)
    if earlier is not None:  # the first one given stands
        if earlier.given != parsed.given:
            report.add(
                where,
                "not placed",
                _(
                    "'%(label)s: %(value)s': a second %(field)s date; '%(given)s' (given first) "
                    "is kept"
                )
                % {
                    "label": label,
                    "value": value,
                    "field": key.replace("_", " "),
                    "given": earlier.given,
                },
            )
        return
    setattr(cover, key, parsed)
    cover.where[key] = where
    report.add(
        where,
        "inferred",
        _("%(field)s '%(value)s' from %(source)s ('%(label)s')")
        % {
            "field": key.replace("_", " "),
            "value": parsed.given,
            "source": source or _("the cover"),
            "label": label,
        },
    )

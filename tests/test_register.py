"""The staff acknowledgement register (issue 19): a messy staff export, forms made by the
build and filled here (one signed with pyHanko), forgeries, a duplicate return, quiz codes, a
Moodle export, a new major version, retention, and no personal data in the public site."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from conftest import EPOCH, FIXTURES, REPO, CliResult, RunCli, make_project
from policypress.register.completion import completion_code, read_code
from policypress.register.forms import _outside_event_loop

DATA = FIXTURES / "register"
STAFF = {  # name → e-mail, everyone in tests/fixtures/register/staff.csv
    "Ada Lovelace": "ada.lovelace@staff.example.org",
    "Grace Hopper": "grace.hopper@staff.example.org",
    "Katherine Johnson": "k.johnson@staff.example.org",
    "Alan Turing": "alan.turing@staff.example.org",
    "Edsger Dijkstra": "e.dijkstra@staff.example.org",
    "Barbara Liskov": "b.liskov@staff.example.org",
}


def _policypress(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policypress", *map(str, args)],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "SOURCE_DATE_EPOCH": EPOCH},
        check=False,
    )


@pytest.fixture
def school(register_school: Path) -> Path:
    """The sample school built with a staff list and register settings in private/: one
    build for the session (test_hostile_evidence uses it too), which the tests here add
    releases to as a school would."""
    return register_school


@pytest.fixture
def private(school: Path, tmp_path: Path, run_cli: RunCli) -> Path:
    """A fresh private folder for one test, with the staff list imported."""
    folder = tmp_path / "private"
    folder.mkdir()
    shutil.copyfile(DATA / "register.yml", folder / "register.yml")
    result = run_cli(
        "register", "staff", DATA / "staff.csv", "--project", school, "--private", folder
    )
    assert result.code == 0, result.err
    return folder


def register(run_cli: RunCli, school: Path, private: Path, *args: str | Path) -> CliResult:
    result = run_cli("register", *args, "--project", school, "--private", private)
    assert "Traceback" not in result.err
    return result


def fill(school: Path, form: str, out: Path, **values: str) -> Path:
    """The build's form, filled in the way a PDF reader does."""
    writer = PdfWriter(
        clone_from=PdfReader(school / "build" / "site" / "forms" / form / f"{form}.pdf")
    )
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    writer.write(out)
    return out


def sign(source: Path, out: Path) -> Path:
    """Sign the form's signature field with a self-signed certificate made here."""
    from asn1crypto import keys  # type: ignore[import-untyped]
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Grace Hopper")])
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(
            certificate.public_bytes(serialization.Encoding.DER)
        ),
        signing_key=keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        cert_registry=SimpleCertificateStore(),  # type: ignore[no-untyped-call]
    )
    with source.open("rb") as handle:
        # pyHanko signs in an asyncio loop of its own; the browser tests leave one running
        signed = _outside_event_loop(
            lambda: signers.sign_pdf(
                IncrementalPdfFileWriter(handle),
                signers.PdfSignatureMetadata(field_name="signature"),
                signer=signer,
            )
        )
    out.write_bytes(signed.getvalue())
    return out


def drop_a_statement(source: Path, out: Path) -> Path:
    """A forgery: one line of text taken out of the first page after the form was made."""
    writer = PdfWriter(clone_from=PdfReader(source))
    page = writer.pages[0]
    contents = page.get_contents()
    assert contents is not None
    lines = contents.get_data().split(b"\n")
    shown = [i for i, line in enumerate(lines) if line.endswith(b"TJ")]
    del lines[shown[5]]
    contents.set_data(b"\n".join(lines))
    page.replace_contents(contents)
    writer.write(out)
    return out


def change_after_signing(source: Path, out: Path) -> Path:
    """A forgery of a signed form: the text edited in an update appended after signing."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    with source.open("rb") as handle:
        writer = IncrementalPdfFileWriter(io.BytesIO(handle.read()))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    reference = page.raw_get("/Contents")
    stream = reference.get_object()
    stream._data = stream.data.replace(b"TJ\n", b"TJ\n0 0 Td\n", 1)
    stream._encoded_data = None
    writer.mark_update(reference)
    buffer = io.BytesIO()
    writer.write(buffer)  # type: ignore[no-untyped-call]
    out.write_bytes(buffer.getvalue())
    return out


def restamp(source: Path, out: Path, old: str, new: str) -> Path:
    """A form whose keywords claim a policy hash no version was approved with."""
    writer = PdfWriter(clone_from=PdfReader(source))
    keywords = keywords_of(source)
    assert old in keywords
    writer.add_metadata({"/Keywords": keywords.replace(old, new)})
    writer.write(out)
    return out


def keywords_of(pdf: Path) -> str:
    metadata = PdfReader(pdf).metadata
    assert metadata is not None
    return str(metadata["/Keywords"])


def code_from_the_spec(name: str, quiz: str, versions: str, day: str) -> str:
    """The completion code as docs/pages/reference/completion-code.md states it, written
    again here so that a slip in the package fails."""
    import unicodedata

    typed = " ".join(unicodedata.normalize("NFKC", name).split()).lower()
    payload = f"policypress-completion-v1|{typed}|{quiz}|{versions}|{day}"
    number = int(hashlib.sha256(payload.encode("utf-8")).hexdigest()[:10], 16)
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    chars = "".join(alphabet[(number >> shift) & 31] for shift in range(35, -1, -5))
    return chars[:4] + "-" + chars[4:]


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_completion_code_is_the_documented_algorithm() -> None:
    versions = "mobile-devices@3.0,online-safety@3.1,staff-social-media@3.0"
    expected = code_from_the_spec("Grace Hopper", "staff-support", versions, "2026-10-01")
    assert (
        completion_code("  grace\u00a0 HOPPER ", "staff-support", versions, dt.date(2026, 10, 1))
        == expected
    )
    assert (
        completion_code("Grace Hopper", "staff-support", versions, dt.date(2026, 10, 2)) != expected
    )
    typed = expected.lower().replace("-", "").replace("0", "o").replace("1", "l")
    assert read_code(typed) == expected
    assert read_code("ABCD-EFG") is None and read_code("ABCD-EFGU") is None  # U is not used


@pytest.mark.builds
def test_staff_export_is_read_through_the_mapping(
    school: Path, private: Path, run_cli: RunCli
) -> None:
    people = json.loads((private / "register.json").read_text())["people"]
    assert sorted(people) == ["S001", "S002", "S003", "S004", "S005", "S006"]
    assert people["S001"] == {
        "id": "S001",
        "name": "Ada Lovelace",
        "email": "ada.lovelace@staff.example.org",
        "role": "Class teacher",
        "pathway": "teaching",
        "start": "2020-09-01",
        "leaving": None,
    }
    assert people["S004"]["leaving"] == "2025-08-31"  # a leaver, day first as UK systems write
    assert people["S002"]["pathway"] == "support"
    assert oct(private.joinpath("register.json").stat().st_mode & 0o777) == "0o600"


@pytest.mark.builds
def test_bad_staff_rows_and_settings_are_reported_at_their_place(
    school: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    folder = tmp_path / "private"
    folder.mkdir()
    shutil.copyfile(DATA / "register.yml", folder / "register.yml")
    shutil.copyfile(DATA / "bad-staff.csv", tmp_path / "bad-staff.csv")
    result = register(run_cli, school, folder, "staff", tmp_path / "bad-staff.csv")
    assert result.code == 1
    lines = [line.split("bad-staff.csv:")[-1] for line in result.err.splitlines()[:-1]]
    assert lines == [
        "2:19: 'not-an-address' is not one e-mail address; expected a bare address like "
        "a.teacher@school.example (no name, brackets or commas)",
        "3:6: 'Preferred Name' is empty",
        "3:25: role 'Chef' has no pathway; expected one of teaching, support, governors, "
        "or map it under 'roles:' in private/register.yml",
        "3:30: '31/02/2021' is not a date; expected e.g. 2026-09-01 or 01/09/2026",
        "4:57: leaving date 2019-01-01 is before start 2020-09-01",
    ]
    assert not (folder / "register.json").exists()  # nothing half-imported
    shutil.copyfile(DATA / "wrong-columns.csv", tmp_path / "wrong-columns.csv")
    result = register(run_cli, school, folder, "staff", tmp_path / "wrong-columns.csv")
    assert result.code == 1
    assert "wrong-columns.csv:1:1: no column 'Preferred Name' (for name)" in result.err
    shutil.copyfile(DATA / "bad-register.yml", folder / "register.yml")
    result = register(run_cli, school, folder, "report")
    assert result.code == 1
    assert result.err.splitlines()[:-1] == [
        f"{folder}/register.yml:1:1: no column given for 'email'; it is required",
        f"{folder}/register.yml:3:3: unknown key 'emial'; did you mean 'email'?; expected one "
        "of: name, email, role, start, leaving, id",
        f"{folder}/register.yml:7:9: pathway 'catering' is not one of: teaching, support, "
        "governors; did you mean 'teaching'?",
        f"{folder}/register.yml:8:18: retention_years is 0; expected a whole number of years "
        "from 1 to 100",
    ]


@pytest.mark.builds
def test_returns_codes_and_moodle_make_the_register(
    school: Path, private: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    ada = fill(
        school,
        "staff",
        tmp_path / "ada.pdf",
        name="Ada  Lovelace",
        role="Teacher",
        date="05/09/2026",
    )
    grace = sign(
        fill(
            school,
            "staff",
            tmp_path / "grace-filled.pdf",
            name="Grace Hopper",
            role="Teaching assistant",
            date="2026-09-07",
        ),
        tmp_path / "grace-signed.pdf",
    )
    katherine = fill(
        school, "governors", tmp_path / "kj.pdf", name="Katherine Johnson", date="2026-09-10"
    )
    forged = drop_a_statement(
        fill(school, "staff", tmp_path / "liskov.pdf", name="Barbara Liskov", date="2026-10-06"),
        tmp_path / "forged.pdf",
    )
    forged_signed = change_after_signing(grace, tmp_path / "forged-signed.pdf")
    digest = keywords_of(ada).split("Policy version 3.1 sha256 ")[1][:12]
    unapproved = restamp(
        ada, tmp_path / "unapproved.pdf", f"3.1 sha256 {digest}", "3.1 sha256 0123456789ab"
    )
    duplicate = tmp_path / "ada-again.pdf"
    shutil.copyfile(ada, duplicate)
    garbage = tmp_path / "scan.pdf"
    garbage.write_bytes(b"%PDF-1.7\n not really a PDF")
    encrypted = tmp_path / "locked.pdf"
    writer = PdfWriter(clone_from=PdfReader(ada))
    writer.encrypt("secret")
    writer.write(encrypted)
    versions = "mobile-devices@3.0,online-safety@3.1,staff-social-media@3.0"
    good = code_from_the_spec("Ada Lovelace", "staff-teaching", versions, "2026-10-03")
    shutil.copyfile(DATA / "moodle.csv", tmp_path / "moodle.csv")

    result = register(
        run_cli,
        school,
        private,
        "add",
        ada,
        grace,
        katherine,
        forged,
        forged_signed,
        unapproved,
        duplicate,
        garbage,
        encrypted,
        tmp_path / "moodle.csv",
        "--quiz",
        "staff-support",
        "--code",
        "ada lovelace",
        "staff-teaching",
        "2026-10-03",
        good.lower().replace("-", ""),
        "--code",
        "Ada Lovelace",
        "staff-teaching",
        "2026-10-04",
        good,
    )
    assert result.code == 1
    errors = result.err.splitlines()
    assert errors[-1] == "6 errors, 1 warning"

    def error_for(name: str) -> str:
        return next(line for line in errors if f"{name}:" in line)

    assert error_for("forged.pdf").endswith(
        "the text or printed stamp differs from form staff sha256 "
        + keywords_of(ada).split("sha256 ")[1][:12]
        + " as published: it was changed after the form was made; not counted"
    )
    assert "changed after it was signed; not counted" in error_for("forged-signed.pdf")
    assert "sha256 0123456789ab' matches no approved version" in error_for("unapproved.pdf")
    assert error_for("scan.pdf").endswith(
        "scan.pdf:1:1: the file is not a readable PDF (PdfReadError)"
    ) or "is not a readable PDF" in error_for("scan.pdf")
    assert "locked.pdf:1:1: the file is encrypted" in error_for("locked.pdf")
    assert "<command line>:1:4: code " + good + " does not match 'Ada Lovelace'" in result.err
    assert "moodle.csv:4:11: warning: 'admin@example.org' is not in the staff list" in result.err
    assert result.out.splitlines()[1:] == [
        "recorded: Ada Lovelace, form staff (online-safety 3.1, staff-social-media 3.0, "
        "mobile-devices 3.0), 2026-09-05",
        "recorded: Grace Hopper, form staff (online-safety 3.1, staff-social-media 3.0, "
        "mobile-devices 3.0), 2026-09-07",
        "recorded: Katherine Johnson, form governors (online-safety 3.1, "
        "staff-social-media 3.0), 2026-09-10",
        "already recorded: Ada Lovelace, form staff (online-safety 3.1, staff-social-media 3.0, "
        "mobile-devices 3.0), 2026-09-05",
        f"recorded: Grace Hopper, quiz staff-support ({versions}) on moodle, 2026-10-01",
        f"recorded: Ada Lovelace, quiz staff-teaching ({versions}), 2026-10-03",
    ]
    saved = (private / "register.json").read_bytes()
    records = json.loads(saved)["records"]
    assert len(records) == 5
    grace_record = next(
        r for r in records.values() if r["person"] == "S002" and r["type"] == "agreement"
    )
    assert grace_record["how"] == "signed PDF"
    assert grace_record["signature"] == {"signer": "Common Name: Grace Hopper", "trusted": False}
    assert {p["slug"]: p["version"] for p in grace_record["policies"]} == {
        "online-safety": "3.1",
        "staff-social-media": "3.0",
        "mobile-devices": "3.0",
    }

    again = register(
        run_cli,
        school,
        private,
        "add",
        ada,
        grace,
        katherine,
        tmp_path / "moodle.csv",
        "--quiz",
        "staff-support",
        "--code",
        "Ada Lovelace",
        "staff-teaching",
        "2026-10-03",
        good,
    )
    assert again.code == 0, again.err
    assert all(line.startswith("already recorded") for line in again.out.splitlines())
    assert (private / "register.json").read_bytes() == saved  # byte-identical

    published = os.readlink(school / "build" / "current")
    report = register(run_cli, school, private, "report")
    assert report.code == 0, report.err
    # published as a build publishes: a new release under the lock, the manifest carried over
    # (it never lists the report about named staff), nothing in the release it does not know
    assert os.readlink(school / "build" / "current") != published
    manifest = school / "build" / "manifest.json"
    verdict = run_cli("verify", "--project", school, "--against", manifest)
    assert verdict.code == 0, verdict.out + verdict.err
    assert "register" not in manifest.read_text()
    folder = school / "build" / "governors" / "register"
    summary = {row["measure"]: row["value"] for row in rows(folder / "summary.csv")}
    assert summary["people (leavers excluded)"] == "4"  # Alan Turing and Edsger Dijkstra left
    assert summary["complete"] == "2"  # Ada: form and quiz; Grace: form and Moodle pass
    assert summary["outstanding"] == "2"
    assert summary["outstanding: Katherine Johnson"] == "pass staff-governors"
    assert summary["outstanding: Barbara Liskov"] == "sign staff; pass staff-support"
    assert summary["online-safety 3.1: current"] == "3"
    assert summary["online-safety 3.1: never signed"] == "1"
    people = rows(folder / "people.csv")
    ada_form = next(r for r in people if r["name"] == "Ada Lovelace" and r["item"] == "form staff")
    assert ada_form["state"] == "current" and ada_form["date"] == "2026-09-05"
    assert f"online-safety@3.1:sha256={digest}" in ada_form["versions"]
    held = rows(folder / "records.csv")
    assert [(r["name"], r["item"].split(" sha256")[0], r["date"], r["how"]) for r in held] == [
        ("Ada Lovelace", "form staff", "2026-09-05", "PDF form"),
        ("Ada Lovelace", "quiz staff-teaching", "2026-10-03", "completion code"),
        ("Grace Hopper", "form staff", "2026-09-07", "signed PDF"),
        ("Grace Hopper", "quiz staff-support", "2026-10-01", "moodle"),
        ("Katherine Johnson", "form governors", "2026-09-10", "PDF form"),
    ]
    assert held[2]["signer"] == (
        "Common Name: Grace Hopper (certificate not from a trusted authority)"
    )
    policies = rows(folder / "policies.csv")
    liskov = next(r for r in policies if r["policy"] == "online-safety" and r["id"] == "S006")
    assert liskov["state"] == "never signed" and liskov["new since last return"] == "yes"
    text = PdfReader(folder / "summary.pdf")
    assert len(text.pages) == 1 and "/StructTreeRoot" in text.root_object
    assert "Barbara Liskov" in text.pages[0].extract_text()
    assert (folder / "outstanding.txt").read_text().splitlines()[0] == (
        "b.liskov@staff.example.org; k.johnson@staff.example.org"
    )


@pytest.mark.builds
def test_a_new_major_version_lists_who_must_sign_again(
    school: Path, private: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    ada = fill(school, "staff", tmp_path / "ada.pdf", name="Ada Lovelace", date="2026-09-05")
    katherine = fill(
        school, "governors", tmp_path / "kj.pdf", name="Katherine Johnson", date="2026-09-10"
    )
    added = register(
        run_cli,
        school,
        private,
        "add",
        ada,
        katherine,
        "--paper",
        "grace.hopper@staff.example.org",
        "staff",
        "2026-09-08",
    )
    assert added.code == 0, added.err
    # governors approve a major revision of the online-safety policy (in a copy of the school)
    copy = make_project(tmp_path / "after", school / "content")
    policy = copy / "content" / "policies" / "online-safety" / "policy.md"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.rstrip("\n") + "\n\nStaff report every filtering gap the same day.\n")
    approved = run_cli(
        "approve",
        "online-safety",
        "--project",
        copy,
        "--by",
        "Full Governing Board",
        "--meeting",
        "2026-10-20",
        "--major",
        "--note",
        "A new duty to report filtering gaps.",
    )
    assert approved.code == 0, approved.err
    report = run_cli(
        "register", "report", "--project", copy, "--out", tmp_path / "build", "--private", private
    )
    assert report.code == 0, report.err
    folder = tmp_path / "build" / "governors" / "register"
    states = {
        (r["name"], r["state"], r["agreed version"])
        for r in rows(folder / "policies.csv")
        if r["policy"] == "online-safety"
    }
    assert states == {
        ("Ada Lovelace", "must sign again", "3.1"),
        ("Grace Hopper", "must sign again", "3.1"),
        ("Katherine Johnson", "must sign again", "3.1"),
        ("Barbara Liskov", "never signed", ""),
    }
    # a minor-version policy they agreed to still holds
    social = {
        r["state"] for r in rows(folder / "policies.csv") if r["policy"] == "staff-social-media"
    }
    assert social == {"current", "never signed"}
    summary = {row["measure"]: row["value"] for row in rows(folder / "summary.csv")}
    assert summary["complete"] == "0"
    assert summary["online-safety 4.0: must sign again"] == "3"
    assert summary["outstanding: Ada Lovelace"] == "sign staff again; pass staff-teaching"
    paste = (folder / "outstanding.txt").read_text().splitlines()[0]
    assert paste.split("; ") == [
        STAFF[name]
        for name in ("Ada Lovelace", "Barbara Liskov", "Grace Hopper", "Katherine Johnson")
    ]


def _public_text(path: Path) -> str:
    data = path.read_bytes()
    text = data.decode("utf-8", "ignore")
    if data.startswith(b"%PDF"):
        reader = PdfReader(path)
        text += "".join(page.extract_text() for page in reader.pages)
        text += str(reader.metadata)
    return text.lower()


@pytest.mark.builds
def test_nothing_personal_reaches_the_public_site(
    school: Path, private: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    ada = fill(school, "staff", tmp_path / "ada.pdf", name="Ada Lovelace", date="2026-09-05")
    assert register(run_cli, school, private, "add", ada).code == 0
    assert register(run_cli, school, private, "report").code == 0
    rebuilt = _policypress("build", "--project", school)  # with private/staff.csv beside content/
    assert rebuilt.returncode == 0, rebuilt.stderr
    release = (school / "build" / "current").resolve()
    public = [
        p
        for p in sorted(release.rglob("*"))
        if p.is_file() and "governors" not in p.relative_to(release).parts
    ]
    assert len(public) > 100
    assert any(p.suffix == ".pdf" for p in public)
    texts = {p: _public_text(p) for p in public}
    for name, email in STAFF.items():
        for needle in (name.lower(), email.lower(), name.split()[1].lower()):
            found = [str(p.relative_to(release)) for p, text in texts.items() if needle in text]
            assert found == [], f"{needle} in {found}"
    # the governors' register was kept beside the new release, and the search would find it
    kept = release / "governors" / "register" / "people.csv"
    assert "ada lovelace" in _public_text(kept)
    assert not (release / "site" / "private").exists()


@pytest.mark.builds
def test_export_delete_and_retention(
    school: Path, private: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    assert (
        register(run_cli, school, private, "add", "--paper", "S001", "staff", "2026-09-01").code
        == 0
    )
    exported = register(
        run_cli, school, private, "export", "Ada Lovelace", "--to", tmp_path / "ada.json"
    )
    assert exported.code == 0, exported.err
    data = json.loads((tmp_path / "ada.json").read_text())
    assert data["person"]["email"] == STAFF["Ada Lovelace"]
    assert [r["how"] for r in data["records"]] == ["paper"]
    refused = register(run_cli, school, private, "delete", "S001")
    assert refused.code == 2 and "would delete Ada Lovelace (S001) and 1 record(s)" in refused.err
    assert "Ada Lovelace" in (private / "register.json").read_text()
    deleted = register(run_cli, school, private, "delete", "S001", "--yes")
    assert deleted.code == 0, deleted.err
    saved = (private / "register.json").read_text()
    assert "Ada Lovelace" not in saved and "S001" not in saved
    pruned = register(run_cli, school, private, "prune")
    assert pruned.code == 0
    assert "Removed 1 leaver(s) who left more than 6 year(s) ago" in pruned.out
    people = json.loads((private / "register.json").read_text())["people"]
    assert "S005" not in people  # left in 2019
    assert "S004" in people  # left in 2025: kept until 2031


@pytest.mark.builds
def test_unusable_files_are_reported_not_raised(
    school: Path, private: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    huge = tmp_path / "huge.pdf"
    with huge.open("wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.truncate(25 * 1024 * 1024)
    odd = tmp_path / "odd.csv"
    odd.write_text("who,what\nsomeone,something\n")
    latin = tmp_path / "latin.csv"  # saved as "CSV" in Excel: Windows-1252, not UTF-8
    latin.write_bytes(b"Email address,Completed\nrene@staff.example.org,Ren\xe9\n")
    result = register(
        run_cli,
        school,
        private,
        "add",
        huge,
        odd,
        latin,
        tmp_path / "missing.pdf",
        "--code",
        "Nobody Known",
        "staff-cooking",
        "someday",
        "ABC",
    )
    assert result.code == 1
    lines = result.err.splitlines()
    assert any("huge.pdf:1:1: file is larger than 20.0 MB" in line for line in lines)
    assert any("odd.csv:1:1: the headings match no known export" in line for line in lines)
    assert any(
        line.endswith(
            "latin.csv:2:27: the file is not UTF-8 (byte 0xe9); export it as 'CSV "
            "UTF-8' (in Excel: Save as, CSV UTF-8)"
        )
        for line in lines
    )
    assert any("missing.pdf" in line for line in lines)
    assert "<command line>:1:2: no staff quiz 'staff-cooking'" in result.err
    assert "<command line>:1:3: 'someday' is not a date up to today" in result.err
    assert "<command line>:1:4: 'ABC' is not a completion code" in result.err
    assert "<command line>:1:1: no one called 'Nobody Known' in the staff list" in result.err


@pytest.mark.builds
def test_a_scorm_export_is_read_through_its_mapping(
    school: Path, private: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    shutil.copyfile(DATA / "scorm.csv", tmp_path / "scorm.csv")
    result = register(run_cli, school, private, "add", tmp_path / "scorm.csv")
    assert result.code == 1
    assert result.err.splitlines() == [
        f"{tmp_path}/scorm.csv:4:70: 'yesterday' is not a completion date up to today",
        f"{tmp_path}/scorm.csv:5:45: no staff quiz 'staff-cooking'; did you mean "
        "'staff-teaching'?; expected one of: staff-governors, staff-support, staff-teaching",
        "2 errors, 0 warnings",
    ]
    # 1790000000 s is 21 September 2026, before online-safety 3.1 took effect (23 September);
    # the failed attempt is not a pass
    versions = "mobile-devices@3.0,online-safety@3.0,staff-social-media@3.0"
    assert result.out.splitlines()[-1:] == [
        f"recorded: Katherine Johnson, quiz staff-governors ({versions}) on scorm, 2026-09-21"
    ]


@pytest.mark.builds
def test_a_csv_of_completion_codes_is_checked_row_by_row(
    school: Path, private: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    now = "mobile-devices@3.0,online-safety@3.1,staff-social-media@3.0"
    before = "mobile-devices@3.0,online-safety@3.0,staff-social-media@3.0"  # until 23 Sept 2026
    ada = code_from_the_spec("Ada Lovelace", "staff-teaching", now, "2026-10-03")
    grace = code_from_the_spec("Grace Hopper", "staff-support", before, "2026-09-21")
    wrong = code_from_the_spec("Grace Hopper", "staff-support", now, "2026-09-20")
    codes = tmp_path / "codes.csv"
    codes.write_text(
        "Name,Quiz,Date,Code\n"
        f"Ada Lovelace,staff-teaching,03/10/2026,{ada}\n"
        f"Grace Hopper,staff-support,2026-09-21,{grace}\n"
        f"Grace Hopper,staff-support,2026-09-21,{wrong}\n"
    )
    result = register(run_cli, school, private, "add", codes)
    assert result.code == 1
    assert result.err.splitlines() == [
        f"{codes}:4:39: code {wrong} does not match 'Grace Hopper', quiz staff-support on "
        "2026-09-21 at any version in force then; check the name and date exactly as on the "
        "certificate; not counted",
        "1 error, 0 warnings",
    ]
    assert result.out.splitlines()[-2:] == [
        f"recorded: Ada Lovelace, quiz staff-teaching ({now}), 2026-10-03",
        f"recorded: Grace Hopper, quiz staff-support ({before}), 2026-09-21",
    ]


@pytest.mark.builds
def test_a_damaged_register_is_reported_where_it_is_damaged(
    school: Path, private: Path, run_cli: RunCli
) -> None:
    saved = (private / "register.json").read_text()
    (private / "register.json").write_text(saved.replace('"people": {', '"people": {,', 1))
    result = register(run_cli, school, private, "report")
    assert result.code == 1
    assert result.err.startswith(f"{private}/register.json:")
    assert (
        "the register is not valid JSON (Expecting property name enclosed in double quotes)"
        in result.err
    )


@pytest.mark.builds
def test_the_private_folder_stays_out_of_what_the_build_reads(
    school: Path, run_cli: RunCli
) -> None:
    for inside in ("content/private", "templates/private", "build/private"):
        result = register(run_cli, school, school / inside, "report")
        assert result.code == 2
        assert "people's data must stay outside it" in result.err
    assert not (school / "content" / "private").exists()


@pytest.mark.builds
def test_someone_missing_from_a_new_export_is_pointed_out(
    school: Path, private: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    shorter = tmp_path / "staff.csv"
    lines = (DATA / "staff.csv").read_text(encoding="utf-8-sig").splitlines(keepends=True)
    shorter.write_text("".join(line for line in lines if "Grace" not in line), "utf-8-sig")
    result = register(run_cli, school, private, "staff", shorter)
    assert result.code == 0
    assert result.err.splitlines() == [
        f"{shorter}:1:1: warning: Grace Hopper (S002) is in the register but not in this "
        "export; give them a leaving date in the export, or 'policypress register delete' them",
        "0 errors, 1 warning",
    ]


def test_a_group_keeps_one_register_per_school(tmp_path: Path, run_cli: RunCli) -> None:
    group = tmp_path / "trust"
    shutil.copytree(REPO / "examples" / "trust", group, symlinks=False)
    staff = DATA / "staff.csv"
    refused = run_cli("register", "staff", staff, "--project", group)
    assert refused.code == 2
    assert "say which with --school (ashby-road-infant, ashby-road-junior, millpond-primary)" in (
        refused.err
    )
    (group / "private" / "millpond-primary").mkdir(parents=True)
    shutil.copyfile(DATA / "register.yml", group / "private" / "millpond-primary" / "register.yml")
    school = ("--project", group, "--school", "millpond-primary")
    assert run_cli("register", "staff", staff, *school).code == 0
    assert (group / "private" / "millpond-primary" / "register.json").is_file()
    report = run_cli("register", "report", *school)
    assert report.code == 0, report.err
    # the example group has a staff form but no governors' form: what a school does not have
    # is not required, and what it has is
    assert "pathway governors asks for form 'governors', which this school does not have" in (
        report.err
    )
    assert "form 'staff', which this school does not have" not in report.err
    folder = group / "build" / "schools" / "millpond-primary" / "governors" / "register"
    listed = rows(folder / "people.csv")
    states = {(r["name"], r["state"]) for r in listed}
    assert ("Ada Lovelace", "not signed") in states  # the staff form
    assert ("Ada Lovelace", "not passed") in states  # the teaching staff quiz


def test_signatures_are_checked_inside_a_running_event_loop() -> None:
    """pyHanko's validation runs its own asyncio loop; a program that runs one (as the browser
    tests' Playwright does) must still get signatures checked."""

    async def inside() -> str:
        return _outside_event_loop(lambda: asyncio.run(asyncio.sleep(0, "checked")))

    # in a thread of its own: this one may already run the browser tests' loop
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, inside()).result() == "checked"


def test_reading_signatures_prints_no_library_warning() -> None:
    """pyHanko imports cryptography's DSA, which warns on import: a fresh process reading a
    form's signatures prints nothing (warnings shown as Python shows them by default)."""
    code = (
        "from policypress.register.forms import UnreadableForm, _signatures\n"
        "try:\n    _signatures(b'%PDF-1.7\\n')\nexcept UnreadableForm:\n    pass\n"
    )
    result = subprocess.run(
        [sys.executable, "-W", "default", "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr

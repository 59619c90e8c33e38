"""No silent rollback: a public build never publishes an older or rewritten version of a policy
than the build it replaces, unless told to (``build --allow-rollback``).

Each manifest records every policy's chain head (``"policies"``: slug → version, SHA-256 of
the text, chain hash). The chain hash covers every entry before it, so comparing the published
head with the same version in the new history finds a deleted newest entry (the version goes
down), an approved text edited and its chain recomputed (same version, different chain) and a
policy removed. The comparison is a pure function; reading the old manifest is separate.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from policypress.content.history import HISTORY_FILE
from policypress.content.notation import parse_version
from policypress.core.diagnostics import ContentError, Diagnostics, Position
from policypress.core.messages import N_
from policypress.core.messages import gettext as _
from policypress.model import ApprovedVersion, Content, Rollback, VersionNumber

# the end of each refusal (translated where it is said)
ALLOW = N_("pass --allow-rollback if this is intended")


@dataclass(frozen=True)
class PolicyHead:
    """A policy's newest approved version as a manifest records it."""

    version: str
    sha256: str
    chain: str
    rollback: Rollback | None = None  # carried while the rolled-back version stays published


@dataclass(frozen=True)
class RollbackProblem:
    slug: str
    kind: Literal["lower", "rewritten", "removed"]
    published: str  # the version the previous build published
    now: str | None  # the version this build would publish (None: none)
    message: str


# An approved version, its text's SHA-256 and its chain hash.
ChainLink = tuple[ApprovedVersion, str, str]


def chain_links(content: Content) -> dict[str, list[ChainLink]]:
    """Each policy's approved versions, oldest first, with their hashes: the chain each
    entry records, which the history's reader has checked against the entry and its text."""
    return {
        slug: [(text.current, text.digest, text.current.chain) for text in content.archive(slug)]
        for slug in sorted(content.archives)
    }


def policy_heads(content: Content) -> dict[str, PolicyHead]:
    """Every approved policy's head, with the rollbacks this build shows."""
    return {
        slug: PolicyHead(str(version.number), sha256, chain, content.rollbacks.get(slug))
        for slug, links in chain_links(content).items()
        if links
        for version, sha256, chain in links[-1:]
    }


def rollback_problems(
    old: Mapping[str, PolicyHead],
    chains: Mapping[str, list[ChainLink]],
    published: Mapping[str, VersionNumber] | None = None,
) -> list[RollbackProblem]:
    """How publishing the policies whose histories are ``chains`` (:func:`chain_links`) would
    move one backwards from the heads ``old`` (the manifest it replaces) or from
    ``published`` (slug → the newest version the published release's own files hold, for
    policies its manifest has no newer head of: a manifest from before heads were recorded,
    or one edited). Empty when every published version is still in each history, unchanged."""
    problems = []
    versions = {slug: parse_version(head.version) for slug, head in old.items()}
    for slug, head in sorted(old.items()):
        links = {v.number: (sha, chain) for v, sha, chain in chains.get(slug, [])}
        gone = _gone(slug, versions[slug], links)
        if gone is not None:
            problems.append(gone)
        elif links.get(versions[slug]) != (head.sha256, head.chain):
            now = str(max(links))
            problems.append(
                RollbackProblem(
                    slug,
                    "rewritten",
                    head.version,
                    now,
                    _(
                        "%(slug)s version %(version)s differs from the published version "
                        "%(version)s (chain %(chain)s…, now %(now)s); expected approved "
                        "versions never to change (approve a new version instead); %(allow)s"
                    )
                    % {
                        "slug": slug,
                        "version": head.version,
                        "chain": head.chain[:12],
                        "now": links[versions[slug]][1][:12] + "…"
                        if versions[slug] in links
                        else _("absent"),
                        "allow": _(ALLOW),
                    },
                )
            )
    for slug, version in sorted((published or {}).items()):
        if slug in versions and versions[slug] >= version:
            continue  # the manifest's head is as new, and checks the text too
        links = {v.number: (sha, chain) for v, sha, chain in chains.get(slug, [])}
        gone = _gone(slug, version, links)
        if gone is not None and all(p.slug != slug for p in problems):
            problems.append(gone)
    return problems


def _gone(
    slug: str, published: VersionNumber, links: Mapping[VersionNumber, object]
) -> RollbackProblem | None:
    """The problem when the published version ``published`` is neither in the new history
    (``links``: version → its hashes) nor below its newest version."""
    newest = max(links, default=None)
    if newest is None:
        return RollbackProblem(
            slug,
            "removed",
            str(published),
            None,
            _(
                "%(slug)s (published at version %(published)s) would disappear from "
                "the site; expected every published policy to stay published; %(allow)s"
            )
            % {"slug": slug, "published": published, "allow": _(ALLOW)},
        )
    if published not in links and newest < published:
        return RollbackProblem(
            slug,
            "lower",
            str(published),
            str(newest),
            _(
                "%(slug)s would go back from version %(published)s (published) to "
                "%(newest)s; expected version %(published)s or later (was its history "
                "entry removed?); %(allow)s"
            )
            % {"slug": slug, "published": published, "newest": newest, "allow": _(ALLOW)},
        )
    return None


def rollbacks_shown(
    old: Mapping[str, PolicyHead],
    chains: Mapping[str, list[ChainLink]],
    problems: list[RollbackProblem],
    on: dt.date,
) -> dict[str, Rollback]:
    """The rollbacks the pages of an allowed rollback build show: the new ones, and earlier
    ones whose rolled-back version is still the one published."""
    shown = {
        p.slug: Rollback(p.slug, p.published, p.now, on) for p in problems if p.now is not None
    }
    for slug, head in old.items():
        links = chains.get(slug, [])
        if head.rollback and slug not in shown and links and links[-1][2] == head.chain:
            shown[slug] = head.rollback
    return shown


def history_path(content: Content, slug: str) -> Path:
    """Where a rollback is reported: the policy's history (which may no longer exist)."""
    return content.root / "policies" / slug / HISTORY_FILE


def heads_json(heads: Mapping[str, PolicyHead]) -> dict[str, Any]:
    """The manifest's ``"policies"`` object."""
    data: dict[str, Any] = {}
    for slug, head in sorted(heads.items()):
        item: dict[str, Any] = {"version": head.version, "sha256": head.sha256, "chain": head.chain}
        if head.rollback is not None:
            item["rolled_back"] = {
                "from": head.rollback.from_version,
                "to": head.rollback.to_version,
                "on": head.rollback.on.isoformat(),
            }
        data[slug] = item
    return data


class UnreadableManifest(Exception):
    """The previous manifest is not one policypress wrote; the message says what is wrong."""


def read_heads(manifest: Path) -> dict[str, PolicyHead]:
    """The heads a manifest records: none for a missing manifest or one from before heads were
    recorded (so the first build after an upgrade has nothing to compare with)."""
    if not manifest.is_file():
        return {}
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        heads = {}
        for slug, item in dict(data.get("policies", {})).items():
            moved = item.get("rolled_back")
            rollback = (
                Rollback(slug, moved["from"], moved["to"], dt.date.fromisoformat(moved["on"]))
                if moved
                else None
            )
            heads[str(slug)] = PolicyHead(
                str(item["version"]), str(item["sha256"]), str(item["chain"]), rollback
            )
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise UnreadableManifest(f"{type(exc).__name__}: {exc}") from None
    return heads


def check_against_published(
    content: Content,
    manifest: Path,
    diags: Diagnostics,
    *,
    allow: bool,
    today: dt.date,
    published: Mapping[str, VersionNumber] | None = None,
) -> Content:
    """``content`` with the rollbacks its pages show, after comparing it with the published
    ``manifest`` and the versions the published release's files hold (``published``);
    raises ContentError (nothing built, ``build/`` untouched) for a rollback that is not
    allowed."""
    try:
        old = read_heads(manifest)
    except UnreadableManifest as exc:
        if not allow:
            diags.error(
                manifest,
                Position(1, 1),
                _(
                    "the previous build's manifest cannot be read (%(exc)s); expected the "
                    "manifest policypress wrote, to check no policy goes back a version; "
                    "%(allow)s"
                )
                % {"exc": exc, "allow": _(ALLOW)},
            )
            raise ContentError(diags) from None
        old = {}
    chains = chain_links(content)
    problems = rollback_problems(old, chains, published)
    if problems and not allow:
        for problem in problems:
            diags.error(history_path(content, problem.slug), Position(1, 1), problem.message)
        raise ContentError(diags)
    return replace(content, rollbacks=rollbacks_shown(old, chains, problems, today))

"""``to-confirm``: required facts a school does not know yet (a policy's summary or owner, who
approved an old version, a minute). ``check`` lists each as a warning, the preview shows "to
be confirmed", and ``approve`` refuses while the policy has any."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from policypress.content.schema import FrontMatterFile
from policypress.core.diagnostics import Position
from policypress.core.messages import N_
from policypress.core.messages import gettext as _
from policypress.model import TO_CONFIRM
from policypress.source.sourceyaml import YamlDocument

# How a to-confirm message names each front-matter value.
_FRONT_MATTER_NAMES = {
    "title": N_("the title"),
    "summary": N_("the summary"),
    "owner": N_("the owner"),
}


@dataclass(frozen=True)
class Unconfirmed:
    """One ``to-confirm`` value and where it is written."""

    path: Path  # policy.md or history.yml, in the policy's folder
    at: Position
    what: str  # "the summary", "the approval minute of legacy version 3"

    @property
    def policy(self) -> str:
        return self.path.parent.name

    @property
    def message(self) -> str:
        return _(
            "to confirm: %(what)s of %(policy)s is not known yet; write it in place of "
            "'to-confirm' (the preview shows 'to be confirmed'; approve refuses until then)"
        ) % {"what": self.what, "policy": self.policy}


def front_matter_unconfirmed(
    path: Path, doc: YamlDocument, meta: FrontMatterFile
) -> list[Unconfirmed]:
    """The title, summary and owner of a policy's working text, where they are 'to-confirm'
    (an import that found no title says so rather than take the file's name)."""
    keys = (("title", meta.title), ("summary", meta.summary), ("owner", meta.owner))
    return [
        Unconfirmed(path, doc.position((key,)), _(_FRONT_MATTER_NAMES[key]))
        for key, value in keys
        if value == TO_CONFIRM
    ]


def unchosen_title(path: Path, meta: FrontMatterFile) -> str:
    """A warning when the title is only the policy's folder name or its file's name ('online
    safety' for online-safety/): a title nobody chose, as an import from a file named
    '5f0c3e9a.docx' once gave. '' when the title is the policy's own."""
    title = " ".join(meta.title.casefold().split())
    names = {path.parent.name, path.stem}
    if not any(title in (name.casefold(), name.casefold().replace("-", " ")) for name in names):
        return ""
    return _(
        "title '%(title)s' is only the name of the policy's folder or file; expected the "
        "policy's own title, as its readers know it (such as 'Online Safety Policy')"
    ) % {"title": meta.title}

"""``to-confirm``: required facts a school does not know yet (a policy's summary or owner, who
approved an old version, a minute). ``check`` lists each as a warning, the preview shows "to
be confirmed", and ``approve`` refuses while the policy has any."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from policypress.content.schema import FrontMatterFile
from policypress.model import TO_CONFIRM
from policypress.source.sourceyaml import Position, YamlDocument


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
        return (
            f"to confirm: {self.what} of {self.policy} is not known yet; write it in place "
            "of 'to-confirm' (the preview shows 'to be confirmed'; approve refuses until then)"
        )


def front_matter_unconfirmed(
    path: Path, doc: YamlDocument, meta: FrontMatterFile
) -> list[Unconfirmed]:
    """The summary and owner of a policy's working text, where they are 'to-confirm'."""
    return [
        Unconfirmed(path, doc.position((key,)), f"the {key}")
        for key, value in (("summary", meta.summary), ("owner", meta.owner))
        if value == TO_CONFIRM
    ]

"""What policypress needs from the machine it runs on, and how it tells a broken machine from
broken content: the system requirements list, ``doctor``, and the environment notices."""

from __future__ import annotations

from collections.abc import Sequence

from policypress.core.errors import MachineProblem
from policypress.core.messages import gettext as _


class EnvironmentProblem(MachineProblem):
    """The machine lacks something the build needs (a library, a font, a command): not a
    content error. The message says what is missing; the CLI points at ``policypress doctor``."""

    def messages(self) -> Sequence[str]:
        return (
            _(
                "policypress: this machine is missing something the build needs: %(missing)s\n"
                "This is not a problem with your content. Run 'policypress doctor' to see what "
                "is missing and how to install it."
            )
            % {"missing": self},
        )


class ResourceBusy(EnvironmentProblem):
    """Something on the machine is in the way (a port already in use): not missing, so
    ``doctor`` cannot help. The message is one complete line saying what to do."""

    def messages(self) -> Sequence[str]:
        return (f"policypress: {self}",)

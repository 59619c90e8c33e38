"""What policypress needs from the machine it runs on, and how it tells a broken machine from
broken content: the system requirements list, ``doctor``, and the environment notices."""

from __future__ import annotations


class EnvironmentProblem(Exception):
    """The machine lacks something the build needs (a library, a font, a command): not a
    content error. The message says what is missing; the CLI points at ``policypress doctor``."""


class ResourceBusy(EnvironmentProblem):
    """Something on the machine is in the way (a port already in use): not missing, so
    ``doctor`` cannot help. The message is one complete line saying what to do."""

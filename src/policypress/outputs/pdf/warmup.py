"""Imported by the PDF workers' fork server so that every worker starts with WeasyPrint loaded,
and so that the fork server ends with the build that started it (core/lifetime.py).

A failure here is left for the worker to meet again and report (a missing library becomes an
:class:`~policypress.environment.EnvironmentProblem` there); the fork server itself must start.
"""

from __future__ import annotations

import contextlib

from policypress.core.lifetime import die_with_parent, fork_server_owner

die_with_parent(fork_server_owner())

with contextlib.suppress(Exception):
    import policypress.outputs.pdf.render  # noqa: F401

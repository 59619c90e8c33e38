"""The suite's own machinery: the builds the tests change are made once, on one worker.

tests/conftest.py puts every test that uses such a build (or its module's own module-scoped
fixture) in an xdist group, and ``scripts/test`` runs ``--dist loadgroup``, which keeps a
group on one worker. pytest-xdist marks a grouped test by adding ``@<group>`` to its node id
in the worker; when that stops working (pytest 9.2 with pytest-xdist 3.8 did, silently), each
worker builds its own copy and the suite takes minutes longer, with every test still green.
This test is in such a group, and fails when the group did not reach the scheduler.
"""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="module")
def made_once_for_this_module() -> str:
    return "a build"


def test_a_grouped_test_runs_in_its_group(
    made_once_for_this_module: str, request: pytest.FixtureRequest
) -> None:
    marks = [mark.kwargs.get("name") for mark in request.node.iter_markers("xdist_group")]
    assert marks == ["test_suite_groups"]  # conftest put it in its module's group
    if os.environ.get("PYTEST_XDIST_WORKER") and request.config.getvalue("loadgroup"):
        assert request.node.nodeid.endswith("@test_suite_groups"), request.node.nodeid

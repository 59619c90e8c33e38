"""A message's "what to do next" fits where the person is (core/surface.py)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from starlette.concurrency import run_in_threadpool

from policypress.core.surface import in_the_studio, what_to_do


def test_the_command_line_is_the_default_and_the_studio_says_so_for_its_requests() -> None:
    assert what_to_do("give --quiz", "choose the quiz") == "give --quiz"
    with in_the_studio():
        assert what_to_do("give --quiz", "choose the quiz") == "choose the quiz"
    assert what_to_do("give --quiz", "choose the quiz") == "give --quiz"


def test_the_studio_s_blocking_work_in_a_thread_still_knows_where_it_is() -> None:
    async def page() -> str:
        with in_the_studio():
            return await run_in_threadpool(what_to_do, "give --quiz", "choose the quiz")

    # in a thread of its own: a browser test before this one may leave its event loop running
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(asyncio.run, page()).result() == "choose the quiz"

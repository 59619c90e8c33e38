"""Ctrl-C while the PDF pool starts its workers: the build still stops at once, with none left.

The pool starts each worker inside ``submit``: the fork server forks it, then tells the pool
its id. A KeyboardInterrupt in between used to leave a worker the pool did not know; it took a
queued PDF and the pool's shutdown waited for it for ever, so the interrupted build never
ended (outputs/pdf/jobs.py, ``_interrupts_held``)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import default_ctrl_c
from policypress.outputs.pdf.jobs import _interrupts_held

# From the Ctrl-C to the pool stopped: a second or two (the interrupted build has 30 s).
STOP_SECONDS = 30.0
# Without the hold the stop waits for a worker the pool does not know, maybe for ever.
TIMEOUT_SECONDS = 120

# Renders PDFs in a pool of two, with Ctrl-C arriving just after the fork server has forked
# the second worker and before the pool has been told its id; says what became of the workers.
_INTERRUPTED_WHILE_STARTING = """
import json, os, signal, sys, threading, time
import multiprocessing.forkserver as forkserver
from pathlib import Path
from policypress.outputs.pdf import jobs

folder = Path(sys.argv[1])
# More HTML than a pipe holds: the pool's feeder thread waits until a worker reads each job.
# (With no language a job fails soon after its HTML is read: the PDFs do not matter here.)
html = "<html><body>" + "<p>Pupils walk on the left.</p>" * 8000 + "</body></html>"
todo = [
    jobs.PdfJob("policy-pdf", f"{n}.pdf", html, folder, (folder,), folder / "a.md")
    for n in range(6)
]
read_signed, started = forkserver.read_signed, []

pressed = []

def pid_then_interrupt(fd):
    pid = read_signed(fd)  # also reads exit codes, in the pool's own thread
    if threading.current_thread() is threading.main_thread():
        started.append(pid)
        if len(started) == 2:
            pressed.append(time.monotonic())
            signal.raise_signal(signal.SIGINT)
    return pid

def left(pid, server):
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    state, parent = stat[stat.rindex(")") + 2 :].split()[:2]
    return state != "Z" and int(parent) == server

forkserver.read_signed = pid_then_interrupt
interrupted = False
try:
    list(jobs._run(todo, 2))
except KeyboardInterrupt:
    interrupted = True
stopped = time.monotonic()
server = forkserver._forkserver._forkserver_pid
deadline = time.monotonic() + 10
while any(left(pid, server) for pid in started) and time.monotonic() < deadline:
    time.sleep(0.05)
print(json.dumps({
    "interrupted": interrupted,
    "started": len(started),
    "seconds": stopped - pressed[0] if pressed else None,
    "left": [pid for pid in started if left(pid, server)],
    "handler restored": signal.getsignal(signal.SIGINT) is signal.default_int_handler,
}))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc; the workers' watch is Linux's")
@pytest.mark.pdf  # its workers load WeasyPrint; about two seconds
def test_ctrl_c_while_the_pool_starts_a_worker_stops_every_worker(tmp_path: Path) -> None:
    try:
        result = subprocess.run(
            [sys.executable, "-c", _INTERRUPTED_WHILE_STARTING, str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
            # the script's fork server and workers end with it when it is killed (lifetime.py)
            env={**os.environ, "PYTHONFAULTHANDLER": "1"},
            preexec_fn=default_ctrl_c,  # its Ctrl-C raises KeyboardInterrupt, however run
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the interrupted pool had not stopped after {TIMEOUT_SECONDS} s")
    assert result.returncode == 0, result.stderr
    said = json.loads(result.stdout)
    assert said["started"] == 2, said
    assert said["interrupted"], "the Ctrl-C was lost, not delivered once the pool had started"
    assert said["left"] == [], f"workers left running: {said['left']}"
    assert said["seconds"] < STOP_SECONDS, f"the pool took {said['seconds']:.1f} s to stop"
    assert said["handler restored"], "Ctrl-C's handler was not put back"


@pytest.fixture
def ctrl_c_raises() -> Iterator[None]:
    """Ctrl-C with Python's own handler (KeyboardInterrupt), whatever the test runner set."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


@pytest.mark.usefixtures("ctrl_c_raises")
def test_a_held_ctrl_c_is_raised_when_the_block_ends() -> None:
    reached_the_end = False
    with pytest.raises(KeyboardInterrupt), _interrupts_held():
        signal.raise_signal(signal.SIGINT)
        reached_the_end = True
    assert reached_the_end, "the Ctrl-C interrupted the block it was to wait for"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.usefixtures("ctrl_c_raises")
def test_without_a_ctrl_c_the_block_runs_and_the_handler_is_put_back() -> None:
    with _interrupts_held():
        assert signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.usefixtures("ctrl_c_raises")
def test_in_another_thread_nothing_is_held_or_changed() -> None:
    """Only the main thread is interrupted, and only it may set a handler."""
    seen: list[object] = []

    def body() -> None:
        with _interrupts_held():
            seen.append(signal.getsignal(signal.SIGINT))

    thread = threading.Thread(target=body)
    thread.start()
    thread.join()
    assert seen == [signal.default_int_handler]

"""Importing in a separate process, so that parsing and lemmatising never stall the UI under the GIL.

The child opens the project itself and reports (done, total, path) on a queue; a thread worker of the
UI reads the queue and posts messages. Cancelling the worker terminates the child: each file is its own
transaction, so a killed import leaves the files already stored and nothing half-written.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue as queue_module
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ppss_qual.tui.data.import_child import import_in_child
from ppss_qual.tui.messages import ImportFinished, ImportProgressed


@contextlib.contextmanager
def _real_stderr() -> Iterator[None]:
    """Textual captures sys.stderr while it runs (a stand-in whose fileno() is -1), and
    multiprocessing's resource tracker hands stderr's descriptor to the process it starts: give it the
    real one for the moment of starting."""
    real = sys.__stderr__
    if real is None:
        with open(os.devnull, "w") as sink, contextlib.redirect_stderr(sink):
            yield
        return
    with contextlib.redirect_stderr(real):
        yield


def run_import(
    project_path: Path,
    coder: str,
    paths: list[str],
    post: Callable[[Any], object],
    cancelled: Callable[[], bool],
) -> None:
    """Run in a thread worker: start the child, relay its progress as messages, until it ends."""
    context = multiprocessing.get_context("spawn")
    with _real_stderr():
        out = context.Queue()
        # not a daemon: the child may start a pool of its own for many files
        child = context.Process(target=import_in_child, args=(str(project_path), coder, paths, out))
        child.start()
    post(ImportProgressed(0, None, ""))
    try:
        while True:
            if cancelled():
                child.terminate()
                return
            try:
                item = out.get(timeout=0.1)
            except queue_module.Empty:
                if not child.is_alive() and out.empty():
                    post(
                        ImportFinished(error=f"the import process ended unexpectedly (exit {child.exitcode})")
                    )
                    return
                continue
            if item[0] == "progress":
                post(ImportProgressed(item[1], item[2], item[3]))
            elif item[0] == "done":
                post(ImportFinished(**item[1]))
                return
            else:
                post(ImportFinished(error=item[1]))
                return
    finally:
        child.join(timeout=5)
        if child.is_alive():
            child.kill()

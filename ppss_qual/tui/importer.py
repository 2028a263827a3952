"""Importing in a separate process, so that parsing and lemmatising never stall the UI under the GIL.

The child opens the project itself and reports (done, total, path) on a queue; a thread worker of the
UI reads the queue and posts messages. Cancelling the worker terminates the child: each file is its own
transaction, so a killed import leaves the files already stored and nothing half-written.
"""

from __future__ import annotations

import multiprocessing
import queue as queue_module
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ppss_qual.tui.data.import_child import import_in_child
from ppss_qual.tui.messages import ImportFinished, ImportProgressed


def run_import(
    project_path: Path,
    coder: str,
    paths: list[str],
    post: Callable[[Any], None],
    cancelled: Callable[[], bool],
) -> None:
    """Run in a thread worker: start the child, relay its progress as messages, until it ends."""
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    child = context.Process(target=import_in_child, args=(str(project_path), coder, paths, out), daemon=False)
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

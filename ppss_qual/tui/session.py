"""The workbench's one door to the project: facade calls behind a lock, shared by the UI and its workers."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from ppss_qual import settings
from ppss_qual.coding.operations import Selector
from ppss_qual.errors import NotFound
from ppss_qual.project import Project
from ppss_qual.store.changes import Event
from ppss_qual.tui.data.document import Document

RECENT = 9  # codes on the number keys


class Session:
    """A project opened for the workbench. One SQLite connection serves the UI thread and the thread
    workers, so every call holds `lock` (a transaction must not interleave with another thread's)."""

    def __init__(self, path: Path, coder: str | None = None):
        self.path = path
        self.explicit_coder = coder or os.environ.get("PPSS_QUAL_CODER")
        self.project = Project.open(path, coder=coder)
        self.lock = threading.RLock()
        self.recent: list[str] = self.project.codings.recent_codes()
        self.english = False
        self._version = self._data_version()

    @property
    def coder(self) -> str:
        return self.project.coder

    def set_coder(self, name: str) -> None:
        self.project.coder = name
        self.recent = self.project.codings.recent_codes()

    def needs_coder_name(self) -> bool:
        """True on a first start: no coder given and none chosen in the config yet."""
        return not self.explicit_coder and not str(settings.load().get("coder") or "").strip()

    def close(self) -> None:
        with self.lock:
            self.project.close()

    # -- reading ----------------------------------------------------------------------------------
    def transcripts(self) -> list[dict[str, Any]]:
        with self.lock:
            return self.project.transcripts()

    def document(self, name: str) -> Document:
        with self.lock:
            return Document(self.project.show(name))

    def has_transcript(self, name: str) -> bool:
        """False once the transcript is gone (e.g. its import was undone)."""
        with self.lock:
            try:
                self.project.transcript(name)
            except NotFound:
                return False
        return True

    def codings(self, transcript_id: int) -> list[dict[str, Any]]:
        with self.lock:
            return self.project.codings.in_transcript(transcript_id)

    def tree(self) -> list[dict[str, Any]]:
        with self.lock:
            return self.project.codebook.tree()

    def excerpts(self, code: str) -> list[dict[str, Any]]:
        with self.lock:
            return self.project.codings.excerpts(code=code)

    def search(self, query: str, transcript: str | None = None) -> list[dict[str, Any]]:
        with self.lock:
            return self.project.search(query, transcript=transcript, limit=2000)

    def memos(self, kind: str, target_id: int | None) -> list[dict[str, Any]]:
        with self.lock:
            return self.project.codings.memos(kind, target_id)

    # -- changing ---------------------------------------------------------------------------------
    def code(self, transcript: str, code: str, start: int, end: int) -> list[int]:
        with self.lock:
            ids = self.project.codings.code(transcript, code, Selector(start=start, end=end))
        self.remember(code)
        return ids

    def remember(self, code: str) -> None:
        self.recent = [code, *(c for c in self.recent if c != code)][:RECENT]

    def remove(self, coding_id: int) -> None:
        with self.lock:
            self.project.codings.remove(coding_id)

    def add_code(self, name: str, parent: str | None) -> list[str]:
        with self.lock:
            _id, warnings = self.project.codebook.add(name, parent=parent)
        return warnings

    def add_memo(self, target: str, text: str) -> int:
        with self.lock:
            return self.project.codings.add_memo(target, text)

    def edit_memo(self, memo_id: int, text: str) -> None:
        with self.lock:
            self.project.codings.edit_memo(memo_id, text)

    def undo(self) -> Event:
        with self.lock:
            return self.project.undo()

    def redo(self) -> Event:
        with self.lock:
            return self.project.redo()

    # -- other processes' changes -----------------------------------------------------------------
    def _data_version(self) -> int:
        with self.lock:
            return self.project.store.data_version()

    def changed_elsewhere(self) -> bool:
        """True once after another connection committed; never waits for a busy worker."""
        if not self.lock.acquire(blocking=False):
            return False
        try:
            version = self.project.store.data_version()
        finally:
            self.lock.release()
        if version != self._version:
            self._version = version
            return True
        return False

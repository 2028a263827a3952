"""The project file's connection: WAL, synchronous=FULL, foreign keys, and write transactions that retry."""

from __future__ import annotations

import fcntl
import os
import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ppss_qual.errors import ProjectError
from ppss_qual.store.schema import is_current, migrate

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_MS = 5_000
WRITE_RETRY_SECONDS = 60.0
NETWORK_FILESYSTEMS = {
    "nfs",
    "nfs4",
    "cifs",
    "smbfs",
    "smb3",
    "fuse.sshfs",
    "sshfs",
    "9p",
    "afs",
    "davfs",
    "fuse.rclone",
}


def filesystem_type(path: Path) -> str | None:
    """The mount type of the file system holding `path` (Linux /proc/mounts), or None when unknown."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    target = str(path.resolve().parent)
    best, best_type = "", None
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3:
            mount_point = parts[1].replace("\\040", " ")
            inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
            if inside and len(mount_point) >= len(best):
                best, best_type = mount_point, parts[2]
    return best_type


class Store:
    """One connection to a project file, with the write discipline every change goes through."""

    def __init__(self, path: Path | None, *, create: bool = True):
        self.path = path
        self.warnings: list[str] = []
        if path is None:
            conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        else:
            if not path.exists() and not create:
                raise ProjectError(f"{path}: no project here (run `ppss-qual --project {path} init`)")
            fs = filesystem_type(path)
            if fs in NETWORK_FILESYSTEMS:
                self.warnings.append(
                    f"{path}: the project is on a network file system ({fs}); SQLite's locking is unsafe "
                    "there. Keep the project on a local disk."
                )
            try:
                conn = sqlite3.connect(
                    str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
                )
                conn.execute("PRAGMA journal_mode=WAL")
            except sqlite3.DatabaseError as exc:
                raise ProjectError(f"{path}: not a ppss_qual project file ({exc})") from exc
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        self.conn = conn
        self._depth = 0
        self._queue_fd: int | None = None
        try:
            if not is_current(conn):  # readers never queue behind writers just to look at the version
                with self.write():
                    migrate(conn)
        except sqlite3.DatabaseError as exc:
            raise ProjectError(f"{path}: not a ppss_qual project file ({exc})") from exc

    @property
    def db(self) -> sqlite_utils.Database:
        """The connection as a sqlite-utils Database, for introspection and bulk table work."""
        import sqlite_utils  # imported on use: it pulls in numpy, too slow for every command's start

        return sqlite_utils.Database(self.conn)

    def close(self) -> None:
        self.conn.close()
        if self._queue_fd is not None:
            os.close(self._queue_fd)
            self._queue_fd = None

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (BEGIN IMMEDIATE), retried while another process holds the write lock."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        queued = self._join_writer_queue()
        try:
            self._begin_immediate()
        except BaseException:
            self._leave_writer_queue(queued)
            raise
        self._depth = 1
        try:
            yield self.conn
            self._commit()
        except sqlite3.OperationalError as exc:
            self._rollback()
            if "full" in str(exc).lower():
                raise ProjectError(
                    f"{self.path}: the disk is full; nothing of this change was saved ({exc})"
                ) from exc
            raise
        except BaseException:
            self._rollback()
            raise
        finally:
            self._depth = 0
            self._leave_writer_queue(queued)

    def _join_writer_queue(self) -> bool:
        """Wait in line for the write lock: a blocking flock on a file beside the project.

        SQLite's busy handler lets a waiting writer sleep and retry, and under load it keeps losing to
        whoever holds the lock (waits of several seconds were measured with four writers); the kernel's
        flock queue hands the lock on at once. The kernel drops it when a process dies. BEGIN IMMEDIATE
        with its busy timeout and retries stays as the fallback where the lock file cannot be used.
        """
        if self.path is None:
            return False
        if self._queue_fd is None:
            try:
                self._queue_fd = os.open(f"{self.path}-writer.lock", os.O_RDWR | os.O_CREAT, 0o666)
            except OSError:
                return False
        try:
            fcntl.flock(self._queue_fd, fcntl.LOCK_EX)
        except OSError:
            return False
        return True

    def _leave_writer_queue(self, queued: bool) -> None:
        if queued and self._queue_fd is not None:
            fcntl.flock(self._queue_fd, fcntl.LOCK_UN)

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several reads."""
        if self._depth or self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN")
        try:
            yield self.conn
        finally:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    def _begin_immediate(self) -> None:
        deadline = time.monotonic() + WRITE_RETRY_SECONDS
        delay = 0.01
        while True:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() > deadline:
                    raise ProjectError(f"{self.path}: the project is busy ({exc}); try again") from exc
                time.sleep(delay * (1 + random.random()))
                delay = min(delay * 2, 0.5)

    def _commit(self) -> None:
        deadline = time.monotonic() + WRITE_RETRY_SECONDS
        while True:
            try:
                self.conn.execute("COMMIT")
                return
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def integrity_check(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])

    def data_version(self) -> int:
        """Changes when another connection commits: lets a TUI notice other processes' work."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def default_project_path() -> Path:
    return Path(os.environ.get("PPSS_QUAL_PROJECT") or "ppss.db")

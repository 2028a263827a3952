"""Row-level changes recorded as they are made: the event log that is the audit trail and drives undo."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ppss_qual.errors import InvalidOperation, NothingToUndo

# Only these tables take part in undo; bulk rows (turns, sentences) follow their transcript's flag.
UNDOABLE_TABLES = {
    "codes",
    "codings",
    "memos",
    "participants",
    "speakers",
    "transcripts",
    "transcript_status",
    "coders",
    "entities",
    "detection_runs",
    "settlements",
}


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    at: str
    coder: str
    action: str
    summary: str
    status: str


class Recorder:
    """Executes inserts, updates and deletes inside a write transaction and remembers how to reverse them."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.ops: list[dict[str, Any]] = []

    def insert(self, table: str, row: dict[str, Any]) -> int:
        self._check(table)
        cols = list(row)
        cur = self.conn.execute(
            f"INSERT INTO {_q(table)} ({', '.join(map(_q, cols))}) VALUES ({', '.join('?' * len(cols))})",
            [row[c] for c in cols],
        )
        new_id = int(cur.lastrowid or 0)
        full = self._row(table, new_id)
        self.ops.append({"op": "insert", "table": table, "row": full})
        return new_id

    def insert_many(
        self, table: str, columns: list[str], rows: list[list[Any]] | list[tuple[Any, ...]]
    ) -> list[int]:
        """Insert many rows in one statement; recorded compactly (one op, rows as lists). Returns their ids."""
        self._check(table)
        if not rows:
            return []
        first = int(self.conn.execute(f"SELECT IFNULL(max(id), 0) + 1 FROM {_q(table)}").fetchone()[0])
        ids = list(range(first, first + len(rows)))
        cols = ["id", *columns]
        full = [[i, *r] for i, r in zip(ids, rows, strict=True)]
        self.conn.executemany(
            f"INSERT INTO {_q(table)} ({', '.join(map(_q, cols))}) VALUES ({', '.join('?' * len(cols))})",
            full,
        )
        self.ops.append({"op": "insert_many", "table": table, "columns": cols, "rows": full})
        return ids

    def update(self, table: str, row_id: int, **values: Any) -> None:
        self._check(table)
        before = self._row(table, row_id)
        changed = {k: v for k, v in values.items() if before.get(k) != v}
        if not changed:
            return
        sets = ", ".join(f"{_q(k)} = ?" for k in changed)
        self.conn.execute(f"UPDATE {_q(table)} SET {sets} WHERE id = ?", [*changed.values(), row_id])
        self.ops.append(
            {
                "op": "update",
                "table": table,
                "id": row_id,
                "before": {k: before[k] for k in changed},
                "after": changed,
            }
        )

    def delete(self, table: str, row_id: int) -> None:
        self._check(table)
        row = self._row(table, row_id)
        self.conn.execute(f"DELETE FROM {_q(table)} WHERE id = ?", (row_id,))
        self.ops.append({"op": "delete", "table": table, "row": row})

    def log(self, coder: str, action: str, summary: str) -> int:
        """Write the event for what was recorded; a new change clears this coder's redo."""
        self.conn.execute(
            "UPDATE events SET status = 'dropped' WHERE coder = ? AND status = 'undone'", (coder,)
        )
        cur = self.conn.execute(
            "INSERT INTO events (at, coder, action, summary, changes, status) VALUES (?, ?, ?, ?, ?, ?)",
            (now(), coder, action, summary, json.dumps(self.ops, ensure_ascii=False), "done"),
        )
        return int(cur.lastrowid or 0)

    def _row(self, table: str, row_id: int) -> dict[str, Any]:
        cur = self.conn.execute(f"SELECT * FROM {_q(table)} WHERE id = ?", (row_id,))
        values = cur.fetchone()
        if values is None:
            raise InvalidOperation(f"{table} row {row_id} does not exist")
        return dict(zip([d[0] for d in cur.description], values, strict=True))

    @staticmethod
    def _check(table: str) -> None:
        if table not in UNDOABLE_TABLES:
            raise ValueError(f"{table} is not an undoable table")


def _apply(conn: sqlite3.Connection, ops: list[dict[str, Any]], *, reverse: bool) -> None:
    """Apply recorded ops forward (redo) or their inverses backward (undo), checking nothing drifted."""
    sequence = reversed(ops) if reverse else ops
    for op in sequence:
        table = op["table"]
        kind = op["op"]
        if kind == "insert_many":
            _apply_many(conn, op, restore=not reverse)
        elif kind != "update":
            restore = kind == ("delete" if reverse else "insert")
            (_reinsert if restore else _remove)(conn, table, op["row"])
        else:
            want, put = (op["after"], op["before"]) if reverse else (op["before"], op["after"])
            row = conn.execute(
                f"SELECT {', '.join(map(_q, want))} FROM {_q(table)} WHERE id = ?", (op["id"],)
            ).fetchone()
            if row is None or list(row) != list(want.values()):
                raise InvalidOperation(
                    f"{table} row {op['id']} was changed since; this change cannot be reversed"
                )
            sets = ", ".join(f"{_q(k)} = ?" for k in put)
            conn.execute(f"UPDATE {_q(table)} SET {sets} WHERE id = ?", [*put.values(), op["id"]])


def _apply_many(conn: sqlite3.Connection, op: dict[str, Any], *, restore: bool) -> None:
    table, cols, rows = op["table"], op["columns"], op["rows"]
    if restore:
        try:
            conn.executemany(
                f"INSERT INTO {_q(table)} ({', '.join(map(_q, cols))}) VALUES ({', '.join('?' * len(cols))})",
                rows,
            )
        except sqlite3.IntegrityError as exc:
            raise InvalidOperation(f"{len(rows)} {table} rows cannot be restored: {exc}") from exc
        return
    ids = [r[0] for r in rows]
    cur = conn.executemany(f"DELETE FROM {_q(table)} WHERE id = ?", [(i,) for i in ids])
    if cur.rowcount != len(ids):
        raise InvalidOperation(
            f"some of {len(ids)} {table} rows are gone since; this change cannot be reversed"
        )


def _reinsert(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    cols = list(row)
    try:
        conn.execute(
            f"INSERT INTO {_q(table)} ({', '.join(map(_q, cols))}) VALUES ({', '.join('?' * len(cols))})",
            [row[c] for c in cols],
        )
    except sqlite3.IntegrityError as exc:
        raise InvalidOperation(f"{table} row {row.get('id')} cannot be restored: {exc}") from exc


def _remove(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    try:
        cur = conn.execute(f"DELETE FROM {_q(table)} WHERE id = ?", (row["id"],))
    except sqlite3.IntegrityError as exc:
        raise InvalidOperation(f"{table} row {row['id']} is in use since: {exc}") from exc
    if cur.rowcount != 1:
        raise InvalidOperation(f"{table} row {row['id']} is gone since; this change cannot be reversed")


def undo(conn: sqlite3.Connection, coder: str) -> Event:
    """Reverse the coder's most recent change that is still in force (inside the caller's transaction)."""
    row = conn.execute(
        "SELECT id, changes FROM events WHERE coder = ? AND status = 'done' AND changes != '[]' "
        "ORDER BY id DESC LIMIT 1",
        (coder,),
    ).fetchone()
    if row is None:
        raise NothingToUndo(f"{coder} has nothing to undo")
    _apply(conn, json.loads(row[1]), reverse=True)
    conn.execute("UPDATE events SET status = 'undone' WHERE id = ?", (row[0],))
    conn.execute(
        "INSERT INTO events (at, coder, action, summary, status, ref) VALUES (?, ?, 'undo', ?, 'meta', ?)",
        (now(), coder, f"undo of event {row[0]}", row[0]),
    )
    return event(conn, row[0])


def redo(conn: sqlite3.Connection, coder: str) -> Event:
    """Make again the change this coder undid most recently, if no new change came since."""
    row = conn.execute(
        "SELECT u.ref, e.changes FROM events u JOIN events e ON e.id = u.ref "
        "WHERE u.coder = ? AND u.action = 'undo' AND e.status = 'undone' ORDER BY u.id DESC LIMIT 1",
        (coder,),
    ).fetchone()
    if row is None:
        raise NothingToUndo(f"{coder} has nothing to redo")
    _apply(conn, json.loads(row[1]), reverse=False)
    conn.execute("UPDATE events SET status = 'done' WHERE id = ?", (row[0],))
    conn.execute(
        "INSERT INTO events (at, coder, action, summary, status, ref) VALUES (?, ?, 'redo', ?, 'meta', ?)",
        (now(), coder, f"redo of event {row[0]}", row[0]),
    )
    return event(conn, row[0])


def event(conn: sqlite3.Connection, event_id: int) -> Event:
    r = conn.execute(
        "SELECT id, at, coder, action, summary, status FROM events WHERE id = ?", (event_id,)
    ).fetchone()
    return Event(*r)

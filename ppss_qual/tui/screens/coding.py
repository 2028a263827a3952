"""The coding flows of the transcript screen: pick or create a code and apply it, remove one, write memos."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from ppss_qual.errors import PpssError
from ppss_qual.tui.data.marks import Mark
from ppss_qual.tui.screens.base import app_of, session_of
from ppss_qual.tui.screens.dialogs import ChooseScreen, MemoScreen
from ppss_qual.tui.screens.picker import CodePicker, NewCodeScreen

if TYPE_CHECKING:
    from ppss_qual.tui.screens.transcript import TranscriptScreen

NEED_SELECTION = "Select a passage first: s sentence, t turn, W/B words, or drag with the mouse"


def snippet(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pick_and_apply(screen: TranscriptScreen) -> None:
    """Open the code picker; Enter applies the chosen code, or creates a new one first."""
    caret = screen.view.caret
    if caret is None or caret.span() is None:
        screen.notify(NEED_SELECTION, severity="warning")
        return
    session = session_of(screen)

    def picked(result: tuple[str, str] | None) -> None:
        if result is None:
            return
        kind, name = result
        if kind == "new":
            create_then_apply(screen, name)
        else:
            apply(screen, name)

    rows = app_of(screen).codebook_rows()
    doc = screen.view.doc
    span = caret.span()
    quoted = snippet(doc.text[span[0] : span[1]], 60) if doc and span else ""
    picker = CodePicker(rows, session.recent, english=session.english, passage=quoted)
    screen.app.push_screen(picker, picked)


def create_then_apply(screen: TranscriptScreen, name: str) -> None:
    """Ask where the new code goes in the tree, add it, and code the selection with it."""
    session = session_of(screen)

    def placed(parent: str | None) -> None:
        if parent is None:
            return
        try:
            warnings = session.add_code(name, parent or None)
        except PpssError as exc:
            screen.notify(str(exc), title="Code not added", severity="error")
            return
        for warning in warnings:
            screen.notify(warning, severity="warning")
        app_of(screen).data_changed()
        apply(screen, name)

    screen.app.push_screen(NewCodeScreen(name, app_of(screen).codebook_rows()), placed)


def apply(screen: TranscriptScreen, name: str) -> None:
    """Code the selection with `name`; the selection stays, so that another code can follow."""
    view, session = screen.view, session_of(screen)
    span = view.caret.span() if view.caret else None
    if view.doc is None or span is None:
        screen.notify(NEED_SELECTION, severity="warning")
        return
    try:
        session.code(view.doc.name, name, *span)
    except PpssError as exc:
        screen.notify(str(exc), title="Not coded", severity="error")
        return
    screen.refresh_codings()
    app_of(screen).data_changed(skip=screen)
    screen.notify(f"Coded “{snippet(view.doc.text[span[0] : span[1]])}” with {name}", timeout=2.5)


def remove(screen: TranscriptScreen) -> None:
    """Remove one of my codings under the cursor (or in the selection); ask which when there are several."""
    session = session_of(screen)
    marks = screen.view.marks_at_cursor()
    mine = [m for m in marks if m.coder == session.coder]
    if not mine:
        others = len(marks) - len(mine)
        extra = f" ({others} by other coders)" if others else ""
        screen.notify(f"No coding of yours here{extra}", severity="warning")
        return
    if len(mine) == 1:
        _remove(screen, mine[0])
        return

    def chosen(coding_id: object) -> None:
        for m in mine:
            if m.id == coding_id:
                _remove(screen, m)

    options = [(f"{m.label(session.english)}  ({_span_text(screen, m)})", m.id) for m in mine]
    screen.app.push_screen(ChooseScreen("Remove which code?", options), chosen)


def _span_text(screen: TranscriptScreen, mark: Mark) -> str:
    doc = screen.view.doc
    return snippet(doc.text[mark.start : mark.end], 40) if doc else ""


def _remove(screen: TranscriptScreen, mark: Mark) -> None:
    try:
        session_of(screen).remove(mark.id)
    except PpssError as exc:
        screen.notify(str(exc), severity="error")
        return
    screen.refresh_codings()
    app_of(screen).data_changed(skip=screen)
    screen.notify(f"Removed {mark.code} from “{_span_text(screen, mark)}” (u undoes)", timeout=2.5)


def memo_here(screen: TranscriptScreen) -> None:
    """A memo on the coding under the cursor (asking which when several), else on the transcript."""
    view, session = screen.view, session_of(screen)
    doc = view.doc
    if doc is None:
        return
    marks = view.marks_at_cursor()

    def chosen(value: object) -> None:
        if value == -1:
            memo_on(screen, "transcript", doc.id, doc.name)
        for m in marks:
            if m.id == value:
                memo_on(screen, "coding", m.id, str(m.id), f"coding of {m.code} ({m.coder})")

    if len(marks) <= 1:
        chosen(marks[0].id if marks else -1)
        return
    options = [(f"{m.label(session.english)} by {m.coder}  ({_span_text(screen, m)})", m.id) for m in marks]
    options.append((f"the transcript {doc.name}", -1))
    screen.app.push_screen(ChooseScreen("Memo on which coding?", options), chosen)


def memo_on(screen: Screen[Any], kind: str, target_id: int, ref: str, label: str | None = None) -> None:
    """Show the memos on one target and edit mine (or write a first one); `ref` names it for the facade."""
    session = session_of(screen)
    try:
        memos = session.memos(kind, target_id)
    except PpssError as exc:
        screen.notify(str(exc), severity="error")
        return
    mine = [m for m in memos if m["author"] == session.coder]
    others = [m for m in memos if m["author"] != session.coder]

    def saved(text: str | None) -> None:
        if text is None:
            return
        try:
            if mine:
                session.edit_memo(mine[-1]["id"], text)
            else:
                session.add_memo(f"{kind}:{ref}", text)
        except PpssError as exc:
            screen.notify(str(exc), title="Memo not saved", severity="error")
            return
        screen.notify(f"Memo saved on {label or f'{kind} {ref}'}", timeout=2.5)
        app_of(screen).data_changed(skip=screen)

    title = f"Memo on {label or f'{kind} {ref}'}"
    screen.app.push_screen(MemoScreen(title, others, mine[-1]["text"] if mine else ""), saved)

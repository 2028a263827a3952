"""The export dialog: the Word report, or the excerpts in view as .xlsx/.docx/.csv, written in a worker."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, ProgressBar, RadioButton, RadioSet, Static

from ppss_qual.errors import PpssError
from ppss_qual.tui.data.analysis import exports_folder, file_stem
from ppss_qual.tui.keys import bindings
from ppss_qual.tui.screens.base import session_of

FORMATS = (".xlsx", ".docx", ".csv")
REAL_NAMES_WARNING = (
    "Real names are for the key-holder only: such a copy must not leave the project's secure storage. "
    "Without them every name goes through the pseudonym key."
)


@dataclass(frozen=True, slots=True)
class ExcerptTarget:
    """Excerpts an export can write: those of a query (None: every coding), of some roles or all."""

    label: str  # what the user sees: "Tillit · elev", "\"A\" AND \"B\""
    query: str | None
    roles: list[str] | None = None
    note: str = ""  # what the export cannot narrow down as the screen did


@dataclass(frozen=True, slots=True)
class ExportJob:
    """What the dialog asks the worker to write."""

    path: Path
    report: bool  # else the excerpts of `target`
    target: ExcerptTarget | None = None
    lang: str = "sv"
    max_excerpts: int = 3
    memos: bool = False
    real_names: bool = False


def export_dialog(node: DOMNode, target: ExcerptTarget | None, *, excerpts: bool = False) -> ExportDialog:
    """The dialog for the project of `node`'s app: files go to exports/ beside the project, the report in
    the language the code names are shown in."""
    session = session_of(node)
    lang = "en" if session.english else "sv"
    return ExportDialog(exports_folder(session.path), target, lang=lang, excerpts=excerpts)


def describe(exc: BaseException, path: Path) -> str:
    """An export's failure in words a user can act on."""
    if isinstance(exc, PermissionError):
        return f"Cannot write {path}: permission denied (is the file open in Word or Excel?)"
    if isinstance(exc, FileNotFoundError):
        return f"Cannot write {path}: no such folder"
    if isinstance(exc, OSError):
        return f"Cannot write {path}: {exc.strerror or exc}"
    if isinstance(exc, PpssError):
        return str(exc)
    return f"The export failed: {type(exc).__name__}: {exc}"


class ExportDialog(ModalScreen[Path | None]):
    """What to write and where; Ctrl+S (or the button) writes it in a worker with its progress shown."""

    BINDINGS = bindings("export-start", "dialog-close")

    @dataclass
    class Progressed(Message):
        """The export worker reached a step (the report's own progress messages)."""

        text: str

    @dataclass
    class Finished(Message):
        """The export worker ended: `summary` of what it wrote, else `error`."""

        path: Path
        summary: str | None
        error: str | None = None

    def __init__(
        self, folder: Path, target: ExcerptTarget | None = None, *, lang: str = "sv", excerpts: bool = False
    ):
        """`folder`: where files go by default (exports/); `excerpts`: offer the target's excerpts first."""
        super().__init__()
        self.folder = folder
        self.target = target
        self.excerpts_first = excerpts and target is not None
        self.lang = lang
        self.running = False
        self.default_path = ""  # the path the dialog proposed; once the user edits it, it stays theirs

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog export"):
            yield Label("Export", classes="dialog-title")
            with RadioSet(id="export-what", compact=True):
                yield RadioButton(
                    "The Word report: themes, tables by group, quotes", value=not self.excerpts_first
                )
                if self.target is not None:
                    yield RadioButton(f"The excerpts of {self.target.label}", value=self.excerpts_first)
            if self.target is not None and self.target.note:
                yield Static(self.target.note, id="export-note", classes="export-hint")
            with Horizontal(classes="export-row", id="export-format-row"):
                yield Label("Format", classes="export-label")
                with RadioSet(id="export-format", compact=True):
                    for i, suffix in enumerate(FORMATS):
                        yield RadioButton(suffix, value=i == 0)
            with Horizontal(classes="export-row"):
                yield Label("File", classes="export-label")
                yield Input(id="export-path", compact=True)
            with Horizontal(classes="export-row", id="export-report-row"):
                yield Label("Language", classes="export-label")
                with RadioSet(id="export-lang", compact=True):
                    yield RadioButton("svenska", value=self.lang != "en")
                    yield RadioButton("English", value=self.lang == "en")
                yield Label("Quotes per code", classes="export-label")
                yield Input("3", type="integer", id="export-max", compact=True)
            yield Checkbox("Memos as Word comments", id="export-memos", compact=True)
            yield Checkbox("Real names (default: pseudonyms)", id="export-real", compact=True)
            yield Static(REAL_NAMES_WARNING, id="export-warning", classes="export-hint")
            yield ProgressBar(id="export-progress", show_eta=False, show_percentage=False)
            yield Static(id="export-log")
            with Horizontal(classes="export-buttons"):
                yield Button("Export", id="export-go", variant="primary", compact=True)
                yield Button("Cancel", id="export-cancel", compact=True)
            yield Label(
                "Tab: next field · ↑↓ and Space choose · Ctrl+S writes · Esc closes", classes="dialog-hint"
            )

    def on_mount(self) -> None:
        self.query_one("#export-progress").display = False
        self._what_changed()
        self.query_one("#export-what", RadioSet).focus()

    # -- the choices ------------------------------------------------------------------------------
    @property
    def report(self) -> bool:
        return self.query_one("#export-what", RadioSet).pressed_index <= 0

    @property
    def suffix(self) -> str:
        if self.report:
            return ".docx"
        return FORMATS[max(self.query_one("#export-format", RadioSet).pressed_index, 0)]

    def proposed_path(self) -> Path:
        if self.report or self.target is None:
            return self.folder / "report.docx"
        return self.folder / f"excerpts-{file_stem(self.target.label)}{self.suffix}"

    @on(RadioSet.Changed, "#export-what")
    @on(RadioSet.Changed, "#export-format")
    def _what_changed(self) -> None:
        report = self.report
        self.query_one("#export-format-row").display = not report
        self.query_one("#export-report-row").display = report
        self.query_one("#export-memos").display = report
        for note in self.query("#export-note"):
            note.display = not report
        field = self.query_one("#export-path", Input)
        if field.value in ("", self.default_path):
            self.default_path = str(self.proposed_path())
            field.value = self.default_path
        elif not report and Path(field.value).suffix.lower() in FORMATS:
            # the user's own path, in the format now chosen
            field.value = str(Path(field.value).with_suffix(self.suffix))

    @on(Checkbox.Changed, "#export-real")
    def _real_names(self, event: Checkbox.Changed) -> None:
        self.query_one("#export-warning").set_class(event.value, "-on")

    def job(self) -> ExportJob | None:
        """The export as chosen, or None (and a message) when a field is not usable."""
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self.notify("Give a file to write", severity="warning")
            return None
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = self.folder.parent / path  # relative to the folder that holds exports/: the project's
        report = self.report
        expected = (".docx",) if report else FORMATS
        if path.suffix.lower() not in expected:
            self.notify(f"The file must end in {' or '.join(expected)}", severity="warning")
            return None
        try:
            max_excerpts = int(self.query_one("#export-max", Input).value or "3")
        except ValueError:
            max_excerpts = -1
        if max_excerpts < 0:
            self.notify("Quotes per code must be a whole number, 0 or more", severity="warning")
            return None
        return ExportJob(
            path=path,
            report=report,
            target=None if report else self.target,
            lang="en" if self.query_one("#export-lang", RadioSet).pressed_index == 1 else "sv",
            max_excerpts=max_excerpts,
            memos=self.query_one("#export-memos", Checkbox).value,
            real_names=self.query_one("#export-real", Checkbox).value,
        )

    # -- writing ----------------------------------------------------------------------------------
    @on(Button.Pressed, "#export-go")
    @on(Input.Submitted)
    def action_start(self) -> None:
        if self.running:
            return
        job = self.job()
        if job is None:
            return
        self.running = True
        self.query_one("#export-go", Button).disabled = True
        bar = self.query_one("#export-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.query_one("#export-log", Static).update(Text(f"Writing {job.path} …"))
        self.write(job)

    @work(thread=True, exclusive=True, group="export")
    def write(self, job: ExportJob) -> None:
        session = session_of(self)
        try:
            job.path.parent.mkdir(parents=True, exist_ok=True)
            with session.lock:
                if job.report:
                    from ppss_qual.exports.report import ReportOptions

                    options = ReportOptions(
                        lang=job.lang,
                        max_excerpts=job.max_excerpts,
                        memos=job.memos,
                        real_names=job.real_names,
                    )
                    done = session.project.export_report(
                        job.path, options, lambda text: self.post_message(self.Progressed(text))
                    )
                    summary = f"{done.themes} themes, {done.codes} codes, {done.quotes} quotes"
                    summary += f", {done.comments} memo comments" if job.memos else ""
                else:
                    target = job.target or ExcerptTarget("every coding", None)
                    self.post_message(self.Progressed("gathering excerpts"))
                    n = session.project.export_excerpts(
                        job.path, query=target.query, roles=target.roles, real_names=job.real_names
                    )
                    summary = f"{n} excerpts of {target.label}"
        except Exception as exc:  # an export must never take the workbench down: say why instead
            self.post_message(self.Finished(job.path, None, describe(exc, job.path)))
            return
        names = "real names" if job.real_names else "pseudonyms"
        self.post_message(self.Finished(job.path, f"{summary} ({names})"))

    def on_export_dialog_progressed(self, message: Progressed) -> None:
        self.query_one("#export-log", Static).update(Text(f"{message.text} …"))

    def on_export_dialog_finished(self, message: Finished) -> None:
        self.running = False
        self.query_one("#export-progress").display = False
        self.query_one("#export-go", Button).disabled = False
        if message.error is not None:
            self.query_one("#export-log", Static).update(Text(message.error, style="bold red"))
            self.notify(message.error, title="Export failed", severity="error", timeout=15)
            return
        self.notify(f"{message.path}\n{message.summary}", title="Exported", timeout=15)
        self.dismiss(message.path)

    @on(Button.Pressed, "#export-cancel")
    def action_close(self) -> None:
        if self.running:
            self.notify("The export is still being written; it closes when done", severity="warning")
            return
        self.dismiss(None)

"""Named exceptions; each message names the file (and line) at fault where there is one."""

from __future__ import annotations


class PpssError(Exception):
    """Base of every error the tool reports to a user."""


class InputError(PpssError):
    """A file the user gave cannot be used; names the file and, where known, the line and field."""

    def __init__(self, path: str, message: str, *, line: int | None = None, field: str | None = None):
        self.path = path
        self.line = line
        self.field = field
        self.reason = message
        where = path if line is None else f"{path}:{line}"
        what = message if field is None else f"{field}: {message}"
        super().__init__(f"{where}: {what}")


class UnsupportedFormat(InputError):
    """The file's extension is not one we import."""


class EncodingProblem(InputError):
    """The bytes fit no encoding we accept."""


class DuplicateTranscript(InputError):
    """The project already holds this text; `--force` imports it again under a new name."""


class NotFound(PpssError):
    """A transcript, code, coding, participant or memo named by the user does not exist."""


class Ambiguous(PpssError):
    """A name matched more than one thing."""


class InvalidOperation(PpssError):
    """The operation is refused as asked (e.g. deleting a code that still has codings)."""


class NothingToUndo(PpssError):
    """The coder has no change of their own left to undo or redo."""


class ProjectError(PpssError):
    """The project file cannot be opened or is not a ppss_qual project."""

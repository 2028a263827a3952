"""Every key of the workbench in one place: bindings with ids (remappable), palette titles and help."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType

from ppss_qual import settings


@dataclass(frozen=True, slots=True)
class Key:
    """One action: `id` names it in the user's [keys] config; `title` is its command-palette entry."""

    id: str
    key: str
    action: str
    description: str
    title: str
    show: bool = False
    priority: bool = False

    def binding(self) -> Binding:
        return Binding(
            self.key,
            self.action,
            self.description,
            show=self.show,
            id=self.id,
            tooltip=self.title,
            priority=self.priority,
        )


APP_KEYS = [
    Key("help", "question_mark,f1", "app.help", "Help", "view: help, every key", show=True),
    Key("codebook", "C", "app.codebook", "Codebook", "view: codebook, counts and excerpts", show=True),
    Key("undo", "u,ctrl+z", "app.undo", "Undo", "edit: undo my last change", show=True),
    Key("redo", "r,ctrl+y", "app.redo", "Redo", "edit: redo what I undid"),
    Key("language", "e", "app.toggle_language", "Sv/En", "view: code names in Swedish or English"),
]

HOME_KEYS = [
    Key("open", "enter", "open", "Open", "transcript: open the highlighted transcript"),
    Key("import", "i", "import_files", "Import", "project: import files or folders", show=True),
    Key("search-project", "slash,F", "search_project", "Search", "view: search the project", show=True),
    Key("quit", "q", "app.quit", "Quit", "app: quit", show=True),
]

TRANSCRIPT_KEYS = [
    Key("code", "c", "code", "Code", "code: apply a code to the selection", show=True),
    Key("select-sentence", "s", "select_sentence", "Sentence", "select: the current sentence", show=True),
    Key("select-turn", "t", "select_turn", "Turn", "select: the current turn", show=True),
    Key("extend-word", "W", "extend('word', True)", "+word", "select: extend by a word forward"),
    Key("extend-word-back", "B", "extend('word', False)", "word+", "select: extend by a word back"),
    Key(
        "extend-sentence",
        "greater_than_sign",
        "extend('sentence', True)",
        "+sentence",
        "select: extend by a sentence forward",
    ),
    Key(
        "extend-sentence-back",
        "less_than_sign",
        "extend('sentence', False)",
        "sentence+",
        "select: extend by a sentence back",
    ),
    Key("extend-char", "shift+right", "extend('char', True)", "+char", "select: extend by a character"),
    Key(
        "extend-char-back",
        "shift+left",
        "extend('char', False)",
        "char+",
        "select: extend by a character back",
    ),
    Key("swap-ends", "o", "swap_ends", "Swap ends", "select: move the other end of the selection"),
    Key("char-mode", "v", "char_mode", "Char mode", "select: mouse selects characters, not words"),
    Key("clear", "escape", "clear_or_back", "Clear", "select: clear the selection (else go back)"),
    Key(
        "remove-code", "x,delete", "remove_code", "Remove", "code: remove a code under the cursor", show=True
    ),
    *(
        Key(f"recent-{n}", str(n), f"recent({n})", f"Recent {n}", f"code: apply recent code {n}")
        for n in range(1, 10)
    ),
    Key("memo", "m", "memo", "Memo", "memo: on the coding under the cursor, else the transcript", show=True),
    Key("memo-transcript", "M", "memo_transcript", "Transcript memo", "memo: on this transcript"),
    Key("search", "slash,ctrl+f", "search", "Search", "view: search this transcript", show=True),
    Key("search-next", "n", "next_hit(1)", "Next hit", "view: next search hit"),
    Key("search-previous", "N", "next_hit(-1)", "Previous hit", "view: previous search hit"),
    Key("search-project", "F", "search_project", "Search all", "view: search the project"),
    Key("word-next", "w", "go('next_word')", "Word", "cursor: next word"),
    Key("word-previous", "b", "go('previous_word')", "Word back", "cursor: previous word"),
    Key("sentence-next", "full_stop", "go('next_sentence')", "Sentence", "cursor: next sentence"),
    Key(
        "sentence-previous", "comma", "go('previous_sentence')", "Sentence back", "cursor: previous sentence"
    ),
    Key("turn-next", "j,ctrl+down", "go('next_turn')", "Turn", "cursor: next turn"),
    Key("turn-previous", "k,ctrl+up", "go('previous_turn')", "Turn back", "cursor: previous turn"),
    Key("char-next", "right", "step(1)", "Right", "cursor: next character"),
    Key("char-previous", "left", "step(-1)", "Left", "cursor: previous character"),
    Key("row-down", "down", "rows(1)", "Down", "cursor: next row"),
    Key("row-up", "up", "rows(-1)", "Up", "cursor: previous row"),
    Key("page-down", "pagedown", "page(1)", "Page down", "cursor: a page down"),
    Key("page-up", "pageup", "page(-1)", "Page up", "cursor: a page up"),
    Key("start", "g,home", "edge(False)", "Start", "cursor: start of the transcript"),
    Key("end", "G,end", "edge(True)", "End", "cursor: end of the transcript"),
    Key("back", "q", "back", "Back", "view: back to the transcripts"),
]

CODEBOOK_KEYS = [
    Key("codebook-memo", "ctrl+n", "memo", "Code memo", "memo: on the highlighted code", show=True),
    Key("codebook-back", "escape", "back", "Back", "view: close the codebook", show=True),
]

RESULTS_KEYS = [
    Key("results-back", "escape,q", "back", "Back", "view: close the search results", show=True),
]

DIALOG_KEYS = [
    Key("dialog-close", "escape", "close", "Close", "dialog: close without choosing", show=True),
    Key("dialog-down", "down", "move(1)", "Down", "dialog: next in the list"),
    Key("dialog-up", "up", "move(-1)", "Up", "dialog: previous in the list"),
    Key("memo-save", "ctrl+s", "save", "Save", "memo: save the memo", show=True),
    Key("help-close", "escape,q,question_mark,f1", "close", "Close", "help: close the help"),
]

ALL_KEYS = {
    "Everywhere": APP_KEYS,
    "Transcripts (home)": HOME_KEYS,
    "Transcript": TRANSCRIPT_KEYS,
    "Codebook": CODEBOOK_KEYS,
    "Search results": RESULTS_KEYS,
    "Dialogs": DIALOG_KEYS,
}
KNOWN_IDS = {k.id for keys in ALL_KEYS.values() for k in keys}


def bindings(*ids: str) -> list[BindingType]:
    """The bindings of the given ids, for the small screens that share dialog keys."""
    by_id = {k.id: k for keys in ALL_KEYS.values() for k in keys}
    return [by_id[i].binding() for i in ids]


def user_keymap() -> tuple[dict[str, str], list[str]]:
    """The [keys] table of the user's config (binding id -> key) and warnings about unknown ids."""
    raw = settings.load().get("keys", {})
    if not isinstance(raw, dict):
        return {}, ["[keys] in the config must be a table of binding id = key"]
    keymap = {str(k): str(v) for k, v in raw.items() if str(k) in KNOWN_IDS and str(v).strip()}
    warnings = [f"unknown key binding id {k!r} in the config" for k in raw if str(k) not in KNOWN_IDS]
    return keymap, warnings

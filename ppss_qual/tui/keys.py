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
    Key("analysis", "a", "app.analysis", "Analysis", "analysis: open (matrix, pairs, network)", show=True),
    Key("undo", "u,ctrl+z", "app.undo", "Undo", "edit: undo my last change", show=True),
    Key("redo", "r,ctrl+y", "app.redo", "Redo", "edit: redo what I undid"),
    Key("language", "e", "app.toggle_language", "Sv/En", "view: code names in Swedish or English"),
    Key("disagreements", "D", "app.disagreements", "Disagreements", "team: disagreements"),
    Key("pseudonymise", "P", "app.pseudonymise", "Pseudonymise", "pseudonymise: review suggestions"),
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
    Key(
        "coder-filter",
        "f",
        "coder_filter",
        "Coders",
        "team: show everyone's codings, mine, a coder's, or where they differ",
    ),
    Key("mark-done", "d", "mark_done", "Done", "team: mark this transcript done by me (again: take it off)"),
    Key(
        "pseudonymised-view",
        "p",
        "pseudonymised_view",
        "Pseudonymised",
        "pseudonymise: show the transcript as exports print it (read-only)",
    ),
    Key("back", "q", "back", "Back", "view: back to the transcripts"),
]

CODEBOOK_KEYS = [
    Key("codebook-memo", "ctrl+n", "memo", "Code memo", "memo: on the highlighted code", show=True),
    Key("codebook-export", "ctrl+o", "export", "Export", "export: this code's excerpts", show=True),
    Key("codebook-back", "escape", "back", "Back", "view: close the codebook", show=True),
]

ANALYSIS_KEYS = [
    Key("analysis-matrix", "1", "show_tab('matrix')", "Matrix", "analysis: codes by group"),
    Key("analysis-pairs", "2", "show_tab('pairs')", "Pairs", "analysis: co-occurring codes"),
    Key("analysis-network", "3", "show_tab('network')", "Network", "analysis: communities"),
    Key("analysis-excerpts", "enter", "excerpts", "Excerpts", "analysis: the excerpts behind a cell"),
    Key("analysis-group", "b", "group_by", "Group by", "analysis: group by role or attribute", show=True),
    Key("analysis-value", "v", "next_value", "Value", "analysis: codings, passages or participants"),
    Key("analysis-unit", "t", "choose_unit", "Unit", "analysis: co-occur in a turn, sentences…", show=True),
    Key("analysis-measure", "w", "choose_measure", "Measure", "analysis: count, jaccard…", show=True),
    Key("analysis-colour", "c", "next_colour", "Colours", "analysis: diagram by theme or community"),
    Key("analysis-diagram", "d", "save_diagram", "Diagram", "export: the network diagram (PNG)", show=True),
    Key("analysis-export", "E,ctrl+o", "export", "Export", "export: the report or these excerpts", show=True),
    Key("analysis-back", "escape,q", "back", "Back", "view: close the analysis", show=True),
]

EXCERPTS_KEYS = [
    Key("excerpts-open", "enter", "open", "Open", "transcript: open the highlighted excerpt"),
    Key("excerpts-export", "E,ctrl+o", "export", "Export", "export: these excerpts", show=True),
    Key("excerpts-back", "escape,q", "back", "Back", "view: back to the analysis", show=True),
]

RESULTS_KEYS = [
    Key("results-back", "escape,q", "back", "Back", "view: close the search results", show=True),
]

TEAM_KEYS = [
    Key("team-list", "1", "show_tab('disagreements')", "List", "team: the list of disagreements"),
    Key(
        "team-agreement",
        "2",
        "show_tab('agreement')",
        "Agreement",
        "team: agreement per code (percent, kappa, alpha)",
        show=True,
    ),
    Key("team-coders", "c", "choose_coders", "Coders", "team: choose the two coders to compare", show=True),
    Key("team-swap", "s", "swap", "Swap A/B", "team: swap coders A and B"),
    Key("settle-a", "a", "settle('a')", "Take A", "team: settle, both get A's version", show=True),
    Key("settle-b", "b", "settle('b')", "Take B", "team: settle, both get B's version", show=True),
    Key(
        "settle-both",
        "k",
        "settle('both')",
        "Keep both",
        "team: settle, each coder keeps their version",
        show=True,
    ),
    Key(
        "settle-neither",
        "n",
        "settle('neither')",
        "Neither",
        "team: settle, remove both coders' codings of it",
        show=True,
    ),
    Key("team-unit", "t", "next_unit", "Unit", "team: agreement by characters, sentences or turns"),
    Key("team-open", "enter", "open", "Open", "transcript: open at the disagreement"),
    Key("team-back", "escape,q", "back", "Back", "view: close the disagreements", show=True),
]

REVIEW_KEYS = [
    Key(
        "review-accept",
        "a",
        "decide('accepted', False)",
        "Accept",
        "pseudonymise: accept this occurrence",
        show=True,
    ),
    Key(
        "review-accept-all",
        "A",
        "decide('accepted', True)",
        "Accept all",
        "pseudonymise: accept every occurrence of this string",
        show=True,
    ),
    Key(
        "review-reject",
        "r",
        "decide('rejected', False)",
        "Reject",
        "pseudonymise: reject this occurrence",
        show=True,
    ),
    Key(
        "review-reject-all",
        "R",
        "decide('rejected', True)",
        "Reject all",
        "pseudonymise: reject every occurrence of this string",
        show=True,
    ),
    Key(
        "review-edit",
        "e",
        "edit",
        "Edit",
        "pseudonymise: edit the pseudonym (every occurrence)",
        show=True,
    ),
    Key(
        "review-remaining",
        "d",
        "decide_remaining",
        "Rest of kind",
        "pseudonymise: accept or reject every remaining suggestion of a kind",
    ),
    Key("review-next", "n", "occurrence(1)", "Next", "pseudonymise: the string's next occurrence"),
    Key(
        "review-previous", "p", "occurrence(-1)", "Previous", "pseudonymise: the string's previous occurrence"
    ),
    Key(
        "review-status",
        "s",
        "next_status",
        "Status",
        "pseudonymise: show suggested, accepted, rejected or all",
    ),
    Key("review-kind", "k", "next_kind", "Kind", "pseudonymise: show one kind (person, school…) or all"),
    Key("review-open", "enter", "open", "Open", "transcript: open at this occurrence"),
    Key("review-back", "escape,q", "back", "Back", "view: close the review", show=True),
]

DIALOG_KEYS = [
    Key("dialog-close", "escape", "close", "Close", "dialog: close without choosing", show=True),
    Key("dialog-down", "down", "move(1)", "Down", "dialog: next in the list"),
    Key("dialog-up", "up", "move(-1)", "Up", "dialog: previous in the list"),
    Key("memo-save", "ctrl+s", "save", "Save", "memo: save the memo", show=True),
    Key("export-start", "ctrl+s", "start", "Export", "export: write the file", show=True),
    Key("help-close", "escape,q,question_mark,f1", "close", "Close", "help: close the help"),
    Key("confirm-yes", "y", "yes", "Yes", "dialog: yes, do it"),
    Key("confirm-no", "n", "close", "No", "dialog: no, cancel"),
]

ALL_KEYS = {
    "Everywhere": APP_KEYS,
    "Transcripts (home)": HOME_KEYS,
    "Transcript": TRANSCRIPT_KEYS,
    "Codebook": CODEBOOK_KEYS,
    "Search results": RESULTS_KEYS,
    "Analysis": ANALYSIS_KEYS,
    "Excerpts": EXCERPTS_KEYS,
    "Disagreements": TEAM_KEYS,
    "Pseudonym review": REVIEW_KEYS,
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

"""Plain-text and Markdown transcripts: speaker labels, timestamps and turns (shared by docx and subtitles)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple

from ppss_qual.model import RawTurn

# ---------------------------------------------------------------------------------------------------------
# Timestamps: [00:12:03], (12:03), 00:12:03.5, ranges [00:12:03 - 00:12:10]
# ---------------------------------------------------------------------------------------------------------
_CORE = r"\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?"
_RANGE = rf"{_CORE}(?:[ \t]*(?:-->|[-–—]|to)[ \t]*{_CORE})?"
_BRACKETED_TS = rf"\[[ \t]*{_RANGE}[ \t]*\]|\([ \t]*{_RANGE}[ \t]*\)"
_HMS_TS = rf"\d{{1,2}}:\d{{2}}:\d{{2}}(?:[.,]\d{{1,3}})?(?:[ \t]*(?:-->|[-–—])[ \t]*{_CORE})?(?!:?\d)"
# A timestamp that cannot be a clock time in speech: bracketed, or with hours, minutes and seconds.
_SURE_TS = rf"(?:{_BRACKETED_TS}|{_HMS_TS})"
_ANY_TS = rf"(?:{_BRACKETED_TS}|{_RANGE}(?!:?\d))"

_CORE_RE = re.compile(r"(\d+(?::\d{2}){1,2})(?:[.,](\d{1,3}))?")
_SURE_TS_RE = re.compile(_SURE_TS)
_LEAD_TS_RE = re.compile(rf"(?P<ts>{_ANY_TS})(?:[ \t]+|$)")
_AFTER_RE = re.compile(rf"[ \t]*(?:(?P<ts>{_SURE_TS})(?=[ \t:]|$))?[ \t]*(?P<colon>:)?[ \t]*")
_INLINE_TS_RE = re.compile(rf"[ \t]*\[[ \t]*{_RANGE}[ \t]*\]")

# ---------------------------------------------------------------------------------------------------------
# Labels: at most four words that start with a letter, and perhaps a short note in parentheses.
# ---------------------------------------------------------------------------------------------------------
# Words are atomic: "Intervjuare 13:05" is a label and a time, never the label "Intervjuare 1" and "3:05".
_WORD = r"(?>[^\W_][\w.'’&/-]*)"
_LABEL = rf"(?>[^\W\d_][\w.'’&/-]*)(?:[ \t]+{_WORD}){{0,3}}(?:[ \t]*\([^\W\d_][^()\n:]{{0,20}}\))?"
_MAX_LABEL_CHARS = 40
# A label (40 characters), a timestamp range and a separator fit in this many characters.
_LABEL_WINDOW = 90
_TS_FIRST = frozenset("[(0123456789")

_PLAIN_RE = re.compile(
    rf"(?P<label>{_LABEL})(?:[ \t]*(?P<ts>{_ANY_TS}))?"
    rf"(?:(?P<colon>[ \t]*:(?![\d/]))|(?P<dash>[ \t]+[-–—](?=[ \t]|$))|(?P<eol>[ \t]*$))"
)
_LABEL_TS_RE = re.compile(rf"(?P<label>{_LABEL})(?:[ \t]*(?P<ts>{_ANY_TS}))?[ \t]*(?P<colon>:)?")
_BOLD_RE = re.compile(r"(\*\*|__)[ \t]*(?P<inner>[^*_\n]{1,60}?)[ \t]*\1")
_BRACKET_RE = re.compile(r"\[[ \t]*(?P<inner>[^\[\]\n]{1,60}?)[ \t]*\]")

_PREFIX_RE = re.compile(r"[ \t]*")
_MD_PREFIX_RE = re.compile(r"[ \t]*(?:>[ \t]*)*(?:#{1,6}(?=[ \t]|$)[ \t]*)?")
_MD_RULE_RE = re.compile(r"[ \t]*(?:(?:[-*_][ \t]*){3,}|=+)[ \t]*$")
_MD_EMPHASIS_RE = re.compile(r"\*+|__|(?<!\w)_|_(?!\w)")
_MD_CLOSING_RE = re.compile(r"[ \t]+#+$")

# Words that start a note or a header line, never a speaker ("Obs:", "Kl. 12:03", "Datum:").
NOTE_WORDS = frozenset(
    """obs observera notera not note nb anm anmärkning ps pps kommentar kommentarer tips exempel ex t.ex
    dvs bl.a kl klockan datum tid tidpunkt plats längd varaktighet ämne tema rubrik fil filnamn källa
    transkribering transkription transkriberad transkriberat transkribent intervju intervjun intervjudatum
    del bilaga sida sammanfattning bakgrund syfte varning viktigt http https mailto www
    date time place location duration file source transcript transcription interview summary""".split()
)
# Bracketed words at line start that are transcription marks or placeholders, not speakers.
MARK_WORDS = frozenset(
    """skratt skrattar fniss paus ohörbart ohörbar otydligt otydlig suckar suck tystnad hostar harklar
    gråter avbrott avbryter oklart osäkert mumlar viskar ler tyst namn skola skolan ort stad plats kommun
    adress person ljud musik telefon ringer knackar överhörning inaudible laughter laughs laughing pause
    crosstalk silence unclear sighs name school place music noise""".split()
)
# Words that begin a sentence rather than a label ("Det var så här: ...", "Sen: ...").
STARTER_WORDS = frozenset(
    """det den de dem denna detta jag du vi ni han hon hen men och så sen sedan när om att som då där
    här nu i på med för till från av efter innan under vid mot en ett vad hur varför vem var alltså typ
    ja nej jo okej också ju ba bara kanske eftersom fast eller inte mitt min vår vårt
    the and so but then this that it we he she they you in on at""".split()
)
# Words that name a role in an interview: such a label is a speaker even when it occurs once.
ROLE_WORDS = frozenset(
    """intervjuare intervjuaren intervjuer int ip respondent respondenten informant informanten elev eleven
    lärare läraren rektor rektorn förälder föräldern vårdnadshavare vårdnadshavaren mamma mamman pappa
    pappan mor far kurator kuratorn skolkurator socialsekreterare socialsekreteraren socionom
    specialpedagog speciallärare skolsköterska skolsköterskan sjuksköterska psykolog skolpsykolog mentor
    mentorn fritidsledare fritidspedagog studievägledare elevassistent moderator samtalsledare fråga svar
    barn barnet pojke flicka tjej kille talare interviewer interviewee participant speaker teacher student
    pupil parent principal counsellor counselor nurse mother father""".split()
)
_MULTIWORD_ROLES = frozenset({"biträdande rektor", "social worker", "school counsellor"})

# Kinds of line head.
BLANK, TEXT, TIME_ONLY, COLON, LOOSE, BARE = range(6)


class Head(NamedTuple):
    """What the start of one line holds: perhaps a speaker label, and where the speech begins."""

    kind: int
    plain: int  # where the speech starts when the line has no (accepted) label
    label: str | None = None
    key: str | None = None  # the label, case-folded, for counting and merging
    content: int = 0  # where the speech starts when the label is accepted
    ts: str | None = None
    strong: bool = False  # every word capitalised (or a number)
    namelike: bool = False  # a role word, a number, an abbreviation or a full name


_BLANK_HEAD = Head(BLANK, 0)


def _match_ms(match: re.Match[str]) -> int | None:
    parts = [int(p) for p in match.group(1).split(":")]
    if any(p >= 60 for p in parts[1:]):
        return None
    seconds = parts[-1] + 60 * parts[-2] + (3600 * parts[-3] if len(parts) == 3 else 0)
    fraction = match.group(2)
    return seconds * 1000 + (int(fraction.ljust(3, "0")) if fraction else 0)


def clock_ms(value: str) -> int | None:
    """Milliseconds of "h:mm:ss[.fff]" or "mm:ss[.fff]" (also with a comma); None when not a time."""
    match = _CORE_RE.search(value)
    return None if match is None else _match_ms(match)


def times(ts: str | None) -> tuple[int | None, int | None]:
    """(start_ms, end_ms) of a timestamp or range as written; (None, None) when there is none."""
    if not ts:
        return None, None
    values = [_match_ms(m) for m in _CORE_RE.finditer(ts)]
    return (values[0] if values else None), (values[1] if len(values) > 1 else None)


# ---------------------------------------------------------------------------------------------------------
# Reading the head of a line
# ---------------------------------------------------------------------------------------------------------
def scan_head(line: str, markdown: bool = False) -> Head:
    """Find a speaker-label candidate (and timestamps) at the start of one line."""
    line = line.rstrip()
    if not line:
        return _BLANK_HEAD
    pos = 0
    if markdown or line[0] in " \t":
        pos = _matched_end(_MD_PREFIX_RE if markdown else _PREFIX_RE, line, 0)
        if pos >= len(line) or (markdown and line[pos] in "-*_=" and _MD_RULE_RE.match(line)):
            return _BLANK_HEAD
    plain, lead_ts = pos, None
    if line[pos] in _TS_FIRST:
        lead = _LEAD_TS_RE.match(line, pos)
        if lead is not None:
            lead_ts = lead.group("ts")
            if lead.end() >= len(line):
                return Head(TIME_ONLY, pos, ts=lead_ts)
            pos = lead.end()
            if _SURE_TS_RE.fullmatch(lead_ts):
                plain = pos
    first = line[pos]
    if first in "*_":
        head = _bold_head(line, pos, plain, lead_ts)
    elif first == "[":
        head = _bracket_head(line, pos, plain, lead_ts)
    elif first.isalpha() and _may_hold_label(line, pos):
        head = _plain_head(line, pos, plain, lead_ts)
    else:
        head = None
    return head or Head(TEXT, plain)


def _may_hold_label(line: str, pos: int) -> bool:
    """Cheap test before the label regex: a label and its separator lie within the line's first characters."""
    if len(line) - pos <= _LABEL_WINDOW:
        return True
    window = line[pos : pos + _LABEL_WINDOW]
    return ":" in window or "-" in window or "–" in window or "—" in window


def bold_head(line: str, bold_end: int) -> Head | None:
    """The head of a line whose first `bold_end` characters were bold (as in a .docx); None if no label."""
    line = line.rstrip()
    start = len(line) - len(line.lstrip())
    return _marked_head(line, line[start:bold_end], bold_end, start, None, bracket=False)


def plain_head(line: str) -> Head:
    """The head of a line that cannot hold a label (e.g. a heading)."""
    stripped = line.rstrip()
    if not stripped:
        return _BLANK_HEAD
    return Head(TEXT, len(stripped) - len(stripped.lstrip()))


def _bold_head(line: str, pos: int, plain: int, lead_ts: str | None) -> Head | None:
    match = _BOLD_RE.match(line, pos)
    if match is None:
        return None
    return _marked_head(line, match.group("inner"), match.end(), plain, lead_ts, bracket=False)


def _bracket_head(line: str, pos: int, plain: int, lead_ts: str | None) -> Head | None:
    match = _BRACKET_RE.match(line, pos)
    if match is None:
        return None
    inner = match.group("inner")
    if not inner[0].isupper() or _first_word(inner) in MARK_WORDS:
        return None  # a transcription mark such as [skratt]: it stays in the speech
    return _marked_head(line, inner, match.end(), plain, lead_ts, bracket=True)


def _marked_head(
    line: str, inner: str, end: int, plain: int, lead_ts: str | None, *, bracket: bool
) -> Head | None:
    """A label written in bold or in brackets, perhaps with a timestamp and a colon inside or after it."""
    found = _LABEL_TS_RE.fullmatch(inner.strip())
    if found is None:
        return None
    content, after_ts, after_colon = _after_label(line, end)
    colon = bool(found.group("colon")) or after_colon
    kind = COLON if (colon or content >= len(line) or bracket) else LOOSE
    ts = lead_ts or found.group("ts") or after_ts
    return _label_head(kind, found.group("label"), plain, content, ts, weak_ok=colon or bracket)


def _plain_head(line: str, pos: int, plain: int, lead_ts: str | None) -> Head | None:
    match = _PLAIN_RE.match(line, pos)
    if match is None:
        return None
    label_ts = match.group("ts")
    if match.group("colon"):
        kind = COLON
    elif match.group("dash"):
        kind = LOOSE
    elif label_ts:
        kind = LOOSE  # "Elev 3  00:12:03" on a line of its own
    else:
        kind = BARE  # "Intervjuare" alone on a line: only a recurring role word
    content, after_ts, _ = _after_label(line, match.end())
    ts = lead_ts or label_ts or after_ts
    return _label_head(kind, match.group("label"), plain, content, ts, weak_ok=kind == COLON)


def _matched_end(pattern: re.Pattern[str], line: str, pos: int) -> int:
    """The end of a match of a pattern whose parts are all optional (so it always matches)."""
    match = pattern.match(line, pos)
    assert match is not None
    return match.end()


def _after_label(line: str, pos: int) -> tuple[int, str | None, bool]:
    """After a label: where the speech starts, a timestamp written there, and whether a colon was there."""
    match = _AFTER_RE.match(line, pos)
    assert match is not None  # every part of the pattern is optional
    return match.end(), match.group("ts"), match.group("colon") is not None


def _first_word(label: str) -> str:
    word = label.split(None, 1)[0].casefold()
    return word.rstrip(".:")


def _label_head(
    kind: int, label: str, plain: int, content: int, ts: str | None, *, weak_ok: bool
) -> Head | None:
    """A label candidate with its shape, or None when it is a note word, a sentence start or too long."""
    shape = _shape(label, kind, weak_ok)
    if shape is None:
        return None
    clean, key, strong, namelike = shape
    return Head(kind, plain, clean, key, content, ts, strong, namelike)


@lru_cache(maxsize=4096)
def _shape(label: str, kind: int, weak_ok: bool) -> tuple[str, str, bool, bool] | None:
    """(label, key, strong, namelike) for a label as written; None when it cannot be a speaker label."""
    label = " ".join(label.split())
    words = label.split(" ")
    first = _first_word(label)
    if len(words) > 4 or len(label) > _MAX_LABEL_CHARS or first in NOTE_WORDS:
        return None
    if first in STARTER_WORDS and (len(words) > 1 or first != "i"):
        return None
    key = label.casefold()
    role = first.rstrip("0123456789") in ROLE_WORDS or key in _MULTIWORD_ROLES
    if kind == BARE and not role:
        return None
    strong = all(w[0].isupper() or w[0].isdigit() or w[0] == "(" for w in words)
    if not strong and not weak_ok:
        return None
    capitalised = sum(1 for w in words if w[0].isupper())
    namelike = (
        role
        or any(ch.isdigit() for ch in label)
        or (label.isupper() and len(label) <= 4)
        or (strong and capitalised >= 2)
    )
    return label, key, strong, namelike


# ---------------------------------------------------------------------------------------------------------
# Deciding which candidates are labels: a label recurs, names a role, or looks like a name
# ---------------------------------------------------------------------------------------------------------
def label_counts(heads: Sequence[Head]) -> Counter[str]:
    """How often each label candidate occurs in a file."""
    return Counter(h.key for h in heads if h.key is not None)


def is_label(head: Head, counts: Mapping[str, int]) -> bool:
    """Whether a candidate is taken as a speaker label, given how often each candidate occurs."""
    if head.key is None:
        return False
    recurs = counts.get(head.key, 0) >= 2
    if head.kind == BARE:
        return recurs
    if head.kind == LOOSE or head.strong:
        return head.strong and (recurs or head.namelike)
    return recurs or head.namelike  # a weak (lower-case) label after a colon


# ---------------------------------------------------------------------------------------------------------
# Building turns
# ---------------------------------------------------------------------------------------------------------
class _Turn:
    __slots__ = ("speaker", "key", "pieces", "start_ms", "end_ms", "span_start", "span_end")

    def __init__(self, speaker: str | None, start_ms: int | None, end_ms: int | None):
        self.speaker = speaker
        self.key = speaker.casefold() if speaker is not None else None
        self.pieces: list[str] = []
        self.start_ms = start_ms
        self.end_ms = end_ms
        self.span_start: int | None = None
        self.span_end: int | None = None


class TurnCollector:
    """Collects labels and pieces of speech in reading order and builds RawTurns from them.

    Pieces of one turn are joined with `joiner`; empty turns are dropped and consecutive turns of one
    speaker merged. With `source`, each turn's speech is the exact span of `source` its pieces cover,
    and turns are not merged (the span would include the label between them).
    """

    def __init__(self, joiner: str = "\n", source: str | None = None):
        self._joiner = joiner
        self._source = source
        self._turns: list[_Turn] = []

    @property
    def labelled(self) -> bool:
        return any(t.speaker is not None and t.pieces for t in self._turns)

    def label(self, speaker: str, start_ms: int | None = None, end_ms: int | None = None) -> None:
        self._turns.append(_Turn(speaker, start_ms, end_ms))

    def time(self, start_ms: int | None, end_ms: int | None) -> bool:
        """Give the current turn a time if it has neither speech nor a time yet; False otherwise."""
        turn = self._turns[-1] if self._turns else None
        if turn is None or turn.pieces or turn.start_ms is not None:
            return False
        turn.start_ms, turn.end_ms = start_ms, end_ms
        return True

    def speech(
        self,
        piece: str,
        span: tuple[int, int] | None = None,
        start_ms: int | None = None,
        end_ms: int | None = None,
    ) -> None:
        if not self._turns:
            self._turns.append(_Turn(None, start_ms, end_ms))
        turn = self._turns[-1]
        turn.pieces.append(piece)
        if turn.start_ms is None:
            turn.start_ms = start_ms
        if end_ms is not None:
            turn.end_ms = end_ms
        if span is not None:
            if turn.span_start is None:
                turn.span_start = span[0]
            turn.span_end = span[1]

    def finish(self) -> list[RawTurn]:
        turns = [t for t in self._turns if t.pieces]
        if self._source is not None:
            return [self._exact(t) for t in turns]
        merged: list[_Turn] = []
        for turn in turns:
            last = merged[-1] if merged else None
            if last is not None and last.key == turn.key:
                last.pieces.extend(turn.pieces)
                if last.start_ms is None:
                    last.start_ms = turn.start_ms
                if turn.end_ms is not None or turn.start_ms is not None:
                    last.end_ms = turn.end_ms  # a later part without an end leaves the end unknown
            else:
                merged.append(turn)
        return [RawTurn(t.speaker, self._joiner.join(t.pieces), t.start_ms, t.end_ms) for t in merged]

    def _exact(self, turn: _Turn) -> RawTurn:
        start, end = turn.span_start, turn.span_end
        assert self._source is not None and start is not None and end is not None
        return RawTurn(turn.speaker, self._source[start:end], turn.start_ms, turn.end_ms, start, end)


def clean_speech(piece: str, markdown: bool) -> str:
    """A piece of speech without timestamps in brackets (and, for Markdown, without its marks)."""
    if "[" in piece:
        piece = _INLINE_TS_RE.sub("", piece)
    if markdown:
        if "*" in piece or "_" in piece:
            piece = _MD_EMPHASIS_RE.sub("", piece)
        if piece.endswith("#"):
            piece = _MD_CLOSING_RE.sub("", piece)
    return piece.strip()


def no_labels_warning(path: str, what: str = "no speaker labels found") -> str:
    message = f"{what}; imported as one unnamed speaker"
    return f"{path}: {message}" if path else message


def turns_from_lines(
    lines: Sequence[str],
    heads: Sequence[Head],
    *,
    path: str = "",
    markdown: bool = False,
    source: str | None = None,
) -> tuple[list[RawTurn], list[str]]:
    """Turns from lines and their heads; with `source` ("\\n".join(lines)) the speech is kept exactly."""
    counts = label_counts(heads)
    collector = TurnCollector("\n", source)
    pending: str | None = None
    offset = 0
    for line, head in zip(lines, heads, strict=True):
        line_start, offset = offset, offset + len(line) + 1
        if head.kind == BLANK:
            continue
        if head.kind == TIME_ONLY:
            if not collector.time(*times(head.ts)):
                pending = head.ts
            continue
        if is_label(head, counts):
            collector.label(head.label or "", *times(head.ts or pending))
            pos = head.content
        else:
            pos = head.plain
        pending = None
        content = line[pos:].rstrip()
        if source is not None:
            lead = len(content) - len(content.lstrip())
            if content.strip():
                collector.speech(content.strip(), (line_start + pos + lead, line_start + pos + len(content)))
            continue
        piece = clean_speech(content, markdown)
        if piece:
            collector.speech(piece)
    turns = collector.finish()
    warnings = [no_labels_warning(path)] if turns and not collector.labelled else []
    return turns, warnings


def parse_text(
    text: str, *, path: str = "", markdown: bool = False, keep_offsets: bool = False
) -> tuple[list[RawTurn], list[str]]:
    """Speaker turns of a plain-text (or Markdown) transcript; returns (turns, warnings)."""
    lines = text.split("\n")
    heads = [scan_head(line, markdown) for line in lines]
    return turns_from_lines(lines, heads, path=path, markdown=markdown, source=text if keep_offsets else None)

"""Patterns that find identifying numbers and addresses: personnummer (Luhn-checked), phone numbers, e-mail."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

# YYMMDD or YYYYMMDD, an optional - or + (+: a person of 100 or more), and four digits, the last a check
# digit. Not inside a longer run of digits, and not right after a + or - (a phone number, a range).
PERSONNUMMER_RE = re.compile(
    r"(?<![\d+\-/.,])(?P<century>19|20)?(?P<yy>\d{2})(?P<mm>\d{2})(?P<dd>\d{2})(?P<sep>[-+]?)"
    r"(?P<serial>\d{3})(?P<check>\d)(?![\d\-/])"
)
# Runs of digit groups separated by one space, hyphen or slash, never across a line break; phone numbers
# are cut out of a run group by group (a run may hold two numbers, or a number and a count).
DIGIT_RUN_RE = re.compile(r"(?<![\w+])\+?\d+(?:[ \u00a0/-]\d+)*(?!\d)")
_GROUP_RE = re.compile(r"\d+")
EMAIL_RE = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
# Dates written with hyphens or slashes (12-03-2021, 2021-03-12) are not phone numbers.
_DATE_LIKE = re.compile(r"^\d{1,2}[-/]\d{1,2}[-/]\d{2,4}$|^\d{4}[-/]\d{1,2}[-/]\d{1,2}$")
_MOBILE_PREFIXES = ("070", "072", "073", "076", "079")


@dataclass(frozen=True, slots=True)
class NumberHit:
    """A number or address found in a text: where, what kind, and why."""

    start: int
    end: int
    kind: str  # personnummer, phone, email
    reason: str


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check that the last digit of a personnummer makes over its ten digits."""
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d // 10 + d % 10
    return total % 10 == 0


def _real_date(century: str | None, yy: str, mm: str, dd: str) -> tuple[bool, bool]:
    """(a real date, a samordningsnummer: day + 60). Without a century any century will do."""
    month, day = int(mm), int(dd)
    coordination = day > 60
    if coordination:
        day -= 60
    years = [int(century + yy)] if century else [2000 + int(yy), 1900 + int(yy)]
    for year in years:
        try:
            date(year, month, day)
            return True, coordination
        except ValueError:
            continue
    return False, coordination


def personnummer(text: str) -> Iterator[NumberHit]:
    """Personnummer and samordningsnummer shapes with a real date; the reason says whether the checksum holds.

    A shape whose checksum fails is still suggested (a typo of a real number identifies as well), with a
    reason that says so, so the reviewer can reject it. Ten bare digits that begin like a Swedish mobile
    number (070, 072, 073, 076, 079) are left to the phone pattern.
    """
    for m in PERSONNUMMER_RE.finditer(text):
        century, yy, mm, dd = m.group("century"), m.group("yy"), m.group("mm"), m.group("dd")
        real, coordination = _real_date(century, yy, mm, dd)
        if not real:
            continue
        ten = yy + mm + dd + m.group("serial") + m.group("check")
        if not century and not m.group("sep") and ten.startswith(_MOBILE_PREFIXES):
            continue
        name = "samordningsnummer" if coordination else "personnummer"
        if luhn_valid(ten):
            reason = f"Luhn-valid {name}"
        else:
            reason = f"{name} shape, Luhn checksum fails (a typo?)"
        yield NumberHit(m.start(), m.end(), "personnummer", reason)


def phones(text: str) -> Iterator[NumberHit]:
    """Swedish mobile and landline numbers (07x-xxx xx xx, 08-123 456 78, 0480-123 45), +46 and other +NN."""
    for run in DIGIT_RUN_RE.finditer(text):
        groups = list(_GROUP_RE.finditer(text, run.start(), run.end()))
        plus = text[run.start()] == "+"
        i = 0
        while i < len(groups):
            hit = _phone_from(text, groups, i, international=plus and i == 0)
            if hit is None:
                i += 1
                continue
            yield hit[0]
            i = hit[1] + 1


def _phone_from(
    text: str, groups: list[re.Match[str]], i: int, *, international: bool
) -> tuple[NumberHit, int] | None:
    """The longest phone number that starts at digit group i, and the index of its last group."""
    first = groups[i].group()
    if international or first.startswith("00"):
        digits_from = 2 if first.startswith("00") else 0
        swedish = first[digits_from:].startswith("46")
        low, high = (9, 12) if swedish else (8, 15)
        reason = "phone number (+46)" if swedish else "phone number (international)"
        start = groups[i].start() - (1 if international else 0)
    elif first.startswith("0"):
        digits_from, low, high = 0, 8, 10
        reason = "phone number"
        start = groups[i].start()
    else:
        return None
    count, best = 0, None
    for j in range(i, len(groups)):
        count += len(groups[j].group())
        if count - digits_from > high:
            break
        if count - digits_from >= low and not _DATE_LIKE.match(text[start : groups[j].end()]):
            best = j
    if best is None:
        return None
    digits = "".join(g.group() for g in groups[i : best + 1])
    if reason == "phone number" and digits.startswith(_MOBILE_PREFIXES):
        reason = "phone number (mobile)"
    return NumberHit(start, groups[best].end(), "phone", reason), best


def emails(text: str) -> Iterator[NumberHit]:
    for m in EMAIL_RE.finditer(text):
        yield NumberHit(m.start(), m.end(), "email", "e-mail address")


def numbers_and_addresses(text: str) -> list[NumberHit]:
    """E-mail addresses first, then personnummer, then phone numbers, none overlapping an earlier hit."""
    hits: list[NumberHit] = []
    for finder in (emails, personnummer, phones):
        for hit in finder(text):
            if not any(h.start < hit.end and hit.start < h.end for h in hits):
                hits.append(hit)
    return sorted(hits, key=lambda h: h.start)

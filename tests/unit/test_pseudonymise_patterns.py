"""Numbers and addresses: personnummer checked by Luhn, Swedish phone numbers, e-mail addresses."""

from __future__ import annotations

import pytest

from ppss_qual.pseudonymise.patterns import luhn_valid, numbers_and_addresses, personnummer, phones


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[h.start : h.end], h.kind) for h in numbers_and_addresses(text)]


@pytest.mark.parametrize(
    "number",
    ["100315-2384", "1003152384", "20100315-2384", "201003152384", "191203+2883", "110472-3380"],
)
def test_luhn_valid_personnummer_in_every_shape(number: str) -> None:
    hits = list(personnummer(f"Numret är {number}, tror jag."))
    assert [h.kind for h in hits] == ["personnummer"]
    assert hits[0].reason.startswith("Luhn-valid")


def test_samordningsnummer_is_day_plus_sixty() -> None:
    (hit,) = personnummer("samordningsnummer 110472-3380")
    assert hit.reason == "Luhn-valid samordningsnummer"


def test_a_failed_checksum_is_suggested_and_says_so() -> None:
    (hit,) = personnummer("det stod 090412-5518 på blanketten")
    assert hit.kind == "personnummer" and "checksum fails" in hit.reason


@pytest.mark.parametrize(
    "text",
    ["2021-03-12", "881234-5678", "Dnr 2023/1456", "ärende 1234567890123", "kl 08.15", "20231301-1234"],
)
def test_dates_case_numbers_and_impossible_dates_are_no_personnummer(text: str) -> None:
    assert list(personnummer(text)) == []


def test_luhn() -> None:
    assert luhn_valid("8112189876") and not luhn_valid("8112189875")


@pytest.mark.parametrize(
    "number,reason",
    [
        ("073-618 42 90", "phone number (mobile)"),
        ("0739123456", "phone number (mobile)"),
        ("070 238 61 44", "phone number (mobile)"),
        ("08-508 447 12", "phone number"),
        ("08 508 220 14", "phone number"),
        ("0480-123 45", "phone number"),
        ("+46 70 482 19 55", "phone number (+46)"),
        ("+46701234567", "phone number (+46)"),
        ("0046 8 123 456 78", "phone number (+46)"),
        ("+358 40 123 4567", "phone number (international)"),
    ],
)
def test_swedish_and_international_phone_numbers(number: str, reason: str) -> None:
    text = f"Ring {number} efter kl. 16."
    assert _found(text) == [(number, "phone")]
    assert next(phones(text)).reason == reason


@pytest.mark.parametrize(
    "text", ["03-12-2021", "1 500 kronor", "2019-2020", "0-5 år", "kl 08.15", "12345678"]
)
def test_dates_sums_and_ranges_are_no_phone_numbers(text: str) -> None:
    assert _found(text) == []


def test_two_numbers_in_a_row_are_two_numbers() -> None:
    text = "pnr 0810155527 0701234567."
    assert _found(text) == [("0810155527", "personnummer"), ("0701234567", "phone")]


def test_a_mobile_number_without_separator_is_a_phone_not_a_personnummer() -> None:
    assert _found("ring 0701234567") == [("0701234567", "phone")]


def test_email_addresses() -> None:
    text = "Mejla therese.lundgren@solberga.exempel.se eller rektor@vinterviken.exempel.se."
    assert _found(text) == [
        ("therese.lundgren@solberga.exempel.se", "email"),
        ("rektor@vinterviken.exempel.se", "email"),
    ]

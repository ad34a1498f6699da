"""Property-based tests (hypothesis) for every parser Medverk writes.

Each parser takes anything a person (or a case source) can send, never raises
anything but its documented error, and gives back only well-formed values;
where a valid value is hidden in random text, the parser finds it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.chat_api import MAX_MESSAGE_CHARS, SENDER_PATTERN, ChatError, _sender, clean_message
from bot.conversation import to_bot_messages, wants_erase
from bot.telegram.formatting import MAX_CALLBACK_BYTES, CallbackPayloads, split_text, utf16_len
from bot.telegram.handlers import command_name, safe_text
from medverk.cases.caseref import find_case_refs, parse_case_ref
from medverk.cases.einnsyn_format import CaseFormatError, batch_from_moetemapper, plain_text
from medverk.inputs.age import AGE_GROUPS, AGE_SKIPPED, age_group_of, parse_age_group
from medverk.inputs.contact import parse_contact
from medverk.inputs.text import check_input_text
from medverk.texts.dates import MONTHS, parse_norwegian_date

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Text as people type it: any Unicode, plus the characters that break parsers.
any_text = st.text(
    alphabet=st.one_of(st.characters(), st.sampled_from("0123456789/-.:@+ \n\t\x00\u200b🎸æøå")),
    max_size=300,
)
separator = st.sampled_from([" ", ", ", "\n", " – ", ": "])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "utvalg",
                    "moetedato",
                    "moetesak",
                    "saksnummer",
                    "offentligTittel",
                    "deleted",
                    "innstilling",
                    "vedtak",
                    "x",
                ]
            )
            | any_text,
            children,
            max_size=6,
        )
    ),
    max_leaves=25,
)


@FUZZ
@given(any_text)
def test_case_numbers_from_any_text_are_canonical(text: str) -> None:
    """Whatever is typed, a case number comes back as YYYY/N (1990–2099) or not at all."""
    for ref in find_case_refs(text):
        year, number = ref.split("/")
        assert 1990 <= int(year) <= 2099 and str(int(number)) == number
    assert parse_case_ref(text) in (None, *find_case_refs(text)[:1])


@FUZZ
@given(st.integers(1990, 2099), st.integers(0, 999_999), st.booleans(), any_text, any_text)
def test_a_case_number_in_a_sentence_is_found(
    year: int, number: int, short: bool, before: str, after: str
) -> None:
    """'24/1187', '2024-1187' surrounded by letters is read as 2024/1187."""
    written = f"{year % 100:02d}/{number}" if short and year >= 2000 else f"{year}-{number}"
    text = f"{re.sub(r'[0-9/-]', '', before)} sak {written} {re.sub(r'[0-9/-]', '', after)}"
    assert f"{year}/{number}" in find_case_refs(text)


@FUZZ
@given(any_text, st.none() | st.integers(1900, 2100))
def test_dates_in_any_text_never_crash(text: str, default_year: int | None) -> None:
    """Random text, 22-digit numbers and impossible dates give a date or None."""
    found = parse_norwegian_date(text, default_year=default_year)
    assert found is None or isinstance(found, date)


@FUZZ
@given(st.dates(date(1900, 1, 1), date(2200, 12, 31)), st.integers(0, 2), any_text)
def test_a_date_in_each_written_form_is_found(day: date, form: int, after: str) -> None:
    """'15. desember 2026', '15.12.2026' and '2026-12-15' each give the date."""
    written = [
        f"{day.day}. {MONTHS[day.month - 1]} {day.year:04d}",
        f"{day.day}.{day.month}.{day.year:04d}",
        day.isoformat(),
    ][form]
    clean_after = re.sub(r"[0-9.]", "", after)
    assert parse_norwegian_date(f"frist {written} {clean_after}") == day


@FUZZ
@given(any_text)
def test_contacts_from_any_text_are_an_address_or_a_phone(text: str) -> None:
    """A contact is a lower-case e-mail address, '+47' and 8 digits, or None."""
    contact = parse_contact(text)
    assert (
        contact is None
        or ("@" in contact and contact == contact.lower())
        or re.fullmatch(r"\+47[2-9]\d{7}", contact)
    )


@FUZZ
@given(st.integers(20_000_000, 99_999_999), st.sampled_from(["", "+47 ", "0047"]), separator)
def test_a_phone_number_is_found_however_it_is_spaced(number: int, prefix: str, sep: str) -> None:
    """'912 34 567', '+47 91234567' → '+4791234567'."""
    digits = str(number)
    spaced = f"{digits[:3]} {digits[3:5]} {digits[5:]}" if number % 2 else digits
    assert parse_contact(f"nummeret mitt er{sep}{prefix}{spaced}") == f"+47{digits}"


@FUZZ
@given(any_text)
def test_ages_from_any_text_are_a_known_group(text: str) -> None:
    """Any text gives one of the age groups, 'skipped' or None."""
    assert parse_age_group(text) in (*AGE_GROUPS, AGE_SKIPPED, None)


@FUZZ
@given(st.integers(-(10**22), 10**22))
def test_an_age_in_words_matches_its_group(age: int) -> None:
    """'eg er 15 år' is the group of 15; 22-digit or negative ages are not a group."""
    assert parse_age_group(f"eg er {age} år") == (age_group_of(age) if age >= 0 else None) or (
        age < 0 and parse_age_group(f"eg er {age} år") == age_group_of(-age)
    )


@FUZZ
@given(any_text)
def test_input_text_check_never_crashes(text: str) -> None:
    """Every text is either accepted (tidied) or refused with a reason."""
    check = check_input_text(text)
    assert isinstance(check.ok, bool)


@FUZZ
@given(json_values)
def test_einnsyn_json_is_a_batch_or_a_format_error(value: Any) -> None:
    """Garbage from a case source is a CaseFormatError, never another crash."""
    moetemapper = value if isinstance(value, list) else [value]
    try:
        batch = batch_from_moetemapper(moetemapper, "Eksempelvik")
    except CaseFormatError:
        return
    for item in batch.items:
        assert isinstance(item.title, str)


@FUZZ
@given(json_values)
def test_plain_text_of_any_json_value(value: Any) -> None:
    """HTML, numbers or lists where text belongs: a string or None."""
    assert plain_text(value) is None or isinstance(plain_text(value), str)


@FUZZ
@given(json_values | any_text)
def test_widget_message_is_clean_or_refused(message: Any) -> None:
    """The widget's `message`: cleaned text (no control characters, ≤ 4000) or a ChatError."""
    try:
        text = clean_message(message)
    except ChatError as error:
        assert 400 <= error.status < 500
        return
    assert text and text == text.strip() and len(text) <= MAX_MESSAGE_CHARS
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text)


@FUZZ
@given(st.dictionaries(st.sampled_from(["sender", "message", "x"]), json_values | any_text))
def test_widget_sender_is_valid_or_refused(body: dict[str, Any]) -> None:
    """The widget's `sender`: 8–64 safe characters, or a 400."""
    try:
        sender = _sender(body)
    except ChatError as error:
        assert error.status == 400
        return
    assert SENDER_PATTERN.match(sender)


@FUZZ
@given(st.lists(json_values, max_size=5))
def test_any_rasa_answer_becomes_contract_messages(raw: list[Any]) -> None:
    """Whatever Rasa sends back, the gateway gives {text, buttons} with strings only."""
    items = [item for item in raw if isinstance(item, dict)]
    wants_erase(items)
    for message in to_bot_messages(items):
        assert isinstance(message["text"], str)
        assert all(
            isinstance(b["title"], str) and isinstance(b["payload"], str)
            for b in message["buttons"]
        )


@FUZZ
@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=300))
def test_telegram_callback_payloads_fit_and_come_back(payload: str) -> None:
    """Any button payload fits Telegram's 64 bytes and decodes to itself."""
    payloads = CallbackPayloads()
    data = payloads.encode(payload)
    assert len(data.encode("utf-8")) <= MAX_CALLBACK_BYTES or data == payload
    assert payloads.decode(data) == payload


@FUZZ
@given(st.text(max_size=100))
def test_unknown_callback_data_is_none_or_itself(data: str) -> None:
    """callback_data forged by a client is never an error."""
    assert CallbackPayloads().decode(data) in (None, data)


@FUZZ
@given(any_text, st.integers(10, 200))
def test_telegram_split_keeps_every_word_within_the_limit(text: str, limit: int) -> None:
    """Chunks are within the limit (in UTF-16 units) and lose no non-space character."""
    chunks = split_text(text, limit)
    assert all(utf16_len(chunk) <= limit for chunk in chunks)
    assert "".join("".join(chunks).split()) == "".join(text.split())


@FUZZ
@given(any_text)
def test_telegram_text_never_becomes_an_intent(text: str) -> None:
    """Typed text never starts with '/', and command names are plain ASCII."""
    assert not safe_text(text).startswith("/")
    assert command_name(text).isascii()

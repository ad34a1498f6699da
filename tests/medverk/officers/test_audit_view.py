"""The audit log as people read it: action names, decoded details, the days filter."""

from __future__ import annotations

from datetime import date, datetime, timezone

from medverk.officers.audit_view import action_label, day_window, decoded_detail, parse_day
from medverk.officers.texts import load_texts

TEXTS = load_texts()
UTC = timezone.utc


def test_actions_are_named_in_both_malformer_and_unknown_codes_stay() -> None:
    assert action_label("view_input", TEXTS, "nn") == "Opna eit innspel"
    assert action_label("view_input", TEXTS, "nb") == "Åpnet et innspill"
    assert action_label("bulk_hide", TEXTS, "nb") == "Flere på en gang: Skjulte et innspill"
    assert action_label("something_new", TEXTS, "nn") == "something_new"


def test_every_action_the_code_audits_has_a_name() -> None:
    """Each `action="…"` literal in the app has nn and nb names in officer.yml."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    codes = set()
    for folder in ("bot", "medverk"):
        for path in (root / folder).rglob("*.py"):
            codes |= set(re.findall(r'action="([a-z_]+)"', path.read_text(encoding="utf-8")))
    codes -= {"store_true"}  # argparse
    assert codes
    for code in sorted(codes):
        for malform in ("nn", "nb"):
            assert action_label(code, TEXTS, malform) != code, (code, malform)


def test_details_are_decoded() -> None:
    assert decoded_detail("case=26%2F411&status=new") == "case: 26/411 · status: new"
    assert decoded_detail("role=officer") == "role: officer"
    assert decoded_detail("nn->nb") == "nn → nb"
    assert decoded_detail("from 127.0.0.1") == "from 127.0.0.1"
    assert decoded_detail("Personangrep ids=3,4") == "Personangrep ids=3,4"
    assert decoded_detail(None) == ""


def test_days_are_local_days_as_a_utc_window() -> None:
    """1 to 2 July in Oslo (summer time, UTC+2): 30 June 22:00 to 2 July 22:00 UTC."""
    start, end = day_window(date(2026, 7, 1), date(2026, 7, 2))
    assert start == datetime(2026, 6, 30, 22, tzinfo=UTC)
    assert end == datetime(2026, 7, 2, 22, tzinfo=UTC)
    assert day_window(None, None) == (None, None)
    assert parse_day("2026-12-02") == date(2026, 12, 2)
    assert parse_day("2. desember") is None and parse_day("") is None

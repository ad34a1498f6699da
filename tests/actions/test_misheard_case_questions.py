"""Case questions NLU or the dialogue policy got wrong are still answered from the data:
an honest no-match, a case named in one word, the date after Rasa's core fallback."""

from __future__ import annotations

from typing import Any

from actions.case_details import ActionCaseDetails
from actions.everyday import ActionGreet
from actions.knowledge import ActionDefaultFallback, ActionHandleFallback
from tests.actions.test_cases import render, run, synced, tracker

__all__ = ["synced"]


async def test_words_no_case_is_about_get_an_honest_answer_and_the_list(synced: Any) -> None:
    dispatcher, _ = await run(
        ActionCaseDetails(), tracker("hva skjer med fotballbanen i Nordvik?", malform="nb")
    )
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[:2] == ["utter_case_no_match", "utter_case_offer_upcoming"]
    assert render(dispatcher.messages[0], "nb") == "Jeg fant ingen sak om «fotballbanen i Nordvik»."
    assert dispatcher.messages[1]["buttons"]


async def test_one_word_heard_as_hello_tells_the_case_it_names(synced: Any) -> None:
    dispatcher, _ = await run(ActionGreet(), tracker("idrettshall", intent="greet"))
    assert "utter_greet" not in [m["response"] for m in dispatcher.messages]
    assert "421" in render(dispatcher.messages[0], "nn")


async def test_plain_hello_is_still_hello(synced: Any) -> None:
    dispatcher, _ = await run(ActionGreet(), tracker("hei hei", intent="greet"))
    assert [m["response"] for m in dispatcher.messages] == ["utter_greet"]


async def test_a_short_message_naming_a_few_cases_asks_which_one(synced: Any) -> None:
    dispatcher, _ = await run(ActionHandleFallback(), tracker("budsjettet", intent="nlu_fallback"))
    pick = dispatcher.messages[0]
    assert pick["response"] == "utter_case_pick"
    assert len(pick["buttons"]) >= 2


async def test_rasas_core_fallback_still_answers_the_date(synced: Any) -> None:
    dispatcher, _ = await run(
        ActionDefaultFallback(), tracker("ka dato e det i dag", intent="ask_upcoming_cases")
    )
    assert dispatcher.messages[0]["response"] == "utter_today_is"
    assert "28. november" in dispatcher.messages[0]["today"]


async def test_rasas_core_fallback_takes_the_message_back_when_it_set_nothing(
    synced: Any,
) -> None:
    """Else the policy predicted the fallback again for the same message (after a forged
    '/inform_age' the person got no answer at all)."""
    dispatcher, events = await run(
        ActionDefaultFallback(), tracker("blablabla qwerty", intent="nlu_fallback")
    )
    assert dispatcher.messages
    assert [e.get("event") for e in events] == ["rewind"]


async def test_what_happened_at_the_youth_council_lists_its_decisions(synced: Any) -> None:
    """'ka skjedde på ungdomsrådsmøtet' asks for what was decided, not what the council is."""
    from actions.knowledge import ActionAskYouthCouncil

    dispatcher, _ = await run(
        ActionAskYouthCouncil(),
        tracker("ka skjedde på ungdomsrådsmøtet i november", intent="ask_youth_council"),
    )
    first = dispatcher.messages[0]
    assert first["response"] == "utter_cases_decided"
    assert "Bussruter og nattbuss" in render(first, "nn")


async def test_the_youth_councils_next_meeting_comes_from_the_case_data(synced: Any) -> None:
    """'når er neste møte i ungdomsrådet?' is answered with its meetings, not what it is."""
    from actions.knowledge import ActionAskYouthCouncil

    dispatcher, _ = await run(
        ActionAskYouthCouncil(),
        tracker(
            "når er neste møte i ungdomsrådet?",
            intent="ask_youth_council",
            entities=[{"entity": "committee", "value": "ungdomsrådet"}],
        ),
    )
    first = dispatcher.messages[0]
    assert first["response"] == "utter_cases_upcoming_committee"
    text = render(first, "nb")
    assert "Gratis buss for ungdom under 20 år" in text and "9. desember" in text
    assert "Formannskapet" not in text

"""The input form's validation and questions, on a real store with the sample cases."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from input_helpers import input_store, make_tracker, render, run, slot_events, transcript
from rasa_sdk.executor import CollectingDispatcher

from actions.form_turn import ActionInputNotUnderstood, form_already_answered
from actions.input_form import ActionAskInputCase, ActionAskInputConfirm, ValidateInputForm
from medverk.inputs import MAX_INPUT_CHARS
from medverk.inputs.opinion import looks_like_opinion
from medverk.settings import PROJECT_ROOT

__all__ = ["input_store"]  # the fixture, imported for pytest

DOMAIN: dict[str, Any] = yaml.safe_load(
    (PROJECT_ROOT / "domain" / "input.yml").read_text(encoding="utf-8")
)
FORM = ValidateInputForm()


def user_then_slots(text: str, **slots: Any) -> list[dict[str, Any]]:
    """Events of one user turn that filled `slots` (what Rasa hands the validator)."""
    return [
        {"event": "user", "text": text, "parse_data": {}},
        *({"event": "slot", "name": k, "value": v} for k, v in slots.items()),
    ]


async def validate(text: str, slots: dict[str, Any], **kwargs: Any):  # type: ignore[no-untyped-def]
    """Run the validator on a turn that set `slots`; `earlier` slots were set before it."""
    earlier = kwargs.pop("earlier", {})
    tracker = make_tracker(
        text,
        slots={"requested_slot": kwargs.pop("requested", None), **earlier, **slots},
        events=user_then_slots(text, **slots),
        active_loop="input_form",
        **kwargs,
    )
    dispatcher = CollectingDispatcher()
    slots_set = slot_events(await FORM.run(dispatcher, tracker, DOMAIN))
    return dispatcher, {**slots_set, "requested_slot": await next_question(tracker, slots_set)}


async def next_question(tracker, slots_set: dict[str, Any]) -> str | None:  # type: ignore[no-untyped-def]
    """The slot the form asks for next (what Rasa's FormAction would pick)."""
    if "requested_slot" in slots_set:  # the validator decided (dynamic required slots)
        return slots_set["requested_slot"]
    tracker.slots.update(slots_set)
    required = await FORM.required_slots(
        FORM.domain_slots(DOMAIN), CollectingDispatcher(), tracker, DOMAIN
    )
    return next((slot for slot in required if tracker.slots.get(slot) is None), None)


async def test_case_found_by_topic_words(input_store) -> None:
    """'kulturhuset' finds the open culture-house case and fills title and committee."""
    _, slots = await validate("kulturhuset", {"input_case": "kulturhuset"}, requested="input_case")
    assert slots["input_case"] == "2024/1187"
    assert slots["input_case_title"].startswith("Nytt kulturhus i sentrum")
    assert slots["input_committee"] == "Kommunestyret"
    assert slots["requested_slot"] == "input_text"


async def test_decided_case_is_refused_with_open_cases_offered(input_store) -> None:
    """A decided case (26/210) cannot take input; open cases come as buttons."""
    dispatcher, slots = await validate("26/210", {"input_case": "26/210"}, requested="input_case")
    assert slots["input_case"] is None
    [message] = dispatcher.messages
    assert message["response"] == "utter_input_case_closed_decided"
    assert "Trafikktryggleik på skulevegen" in render(message, {"malform": "nn"})
    assert "er avgjord, så ho tek ikkje imot innspel" in render(message, {"malform": "nn"})
    payloads = [b["payload"] for b in message["buttons"]]
    assert '/give_input{"case_ref": "2026/402"}' in payloads
    assert all("2026/210" not in p for p in payloads)


async def test_an_opinion_about_a_decided_case_does_not_follow_to_another_case(
    input_store,
) -> None:
    """ "dumt, vi burde få ha mobil i friminutta" about the decided mobile case: the form
    says the case is decided and offers a human; the text is not filed on the next case."""
    text = "dumt. æ syns vi burde få ha mobil i friminuttan på skulen"
    tracker = make_tracker(
        text,
        slots={"input_text": text, "requested_slot": None},
        events=user_then_slots(text, input_case="mobil skule", input_text=text),
        active_loop="input_form",
    )
    dispatcher = CollectingDispatcher()
    slots = slot_events(await FORM.run(dispatcher, tracker, DOMAIN))
    responses = [m["response"] for m in dispatcher.messages]
    assert responses == ["utter_input_case_closed_decided", "utter_input_case_closed_opinion"]
    assert slots["input_case"] is None and slots["input_text"] is None


async def test_a_case_whose_hearing_closed_says_when(input_store) -> None:
    """No "fristen har gått ut, eller saka er avgjord": the deadline that passed, by date."""
    from datetime import date

    from actions.input_case_step import explain_no_case
    from medverk.inputs.case_choice import CaseChoice
    from medverk.store.models import AgendaItem

    item = AgendaItem(
        id="x", case_ref="2026/999", title="Ein plan", hearing_deadline=date(2026, 11, 1)
    )
    dispatcher = CollectingDispatcher()
    explain_no_case(dispatcher, CaseChoice("closed", item=item, candidates=[item]), "nb")
    [message] = dispatcher.messages
    assert message["response"] == "utter_input_case_closed_deadline"
    assert "gikk ut søndag 1. november" in render(message, {"malform": "nb"})


async def test_unknown_case_number_is_named(input_store) -> None:
    """An unknown number is repeated back in the short form and open cases are offered."""
    dispatcher, slots = await validate(
        "sak 26/9999", {"input_case": "sak 26/9999"}, requested="input_case", malform="nb"
    )
    assert slots["input_case"] is None
    text = render(dispatcher.messages[0], {"malform": "nb"})
    assert text.startswith("Jeg finner ingen sak med nummeret 26/9999")
    assert dispatcher.messages[0]["buttons"]


async def test_several_matching_cases_are_listed(input_store) -> None:
    """'budsjett' matches several open cases: the user picks one from buttons."""
    dispatcher, slots = await validate(
        "budsjett", {"input_case": "budsjett"}, requested="input_case"
    )
    assert slots["input_case"] is None
    assert dispatcher.messages[0]["response"] == "utter_input_case_ambiguous"
    assert len(dispatcher.messages[0]["buttons"]) >= 2


async def test_case_is_taken_from_the_message_that_starts_the_form(input_store) -> None:
    """'eg vil gi innspel på sak 24/1187' fills the case before any question."""
    tracker = make_tracker(
        "eg vil gi innspel på sak 24/1187",
        entities=[{"entity": "case_ref", "value": "24/1187"}],
        events=user_then_slots("eg vil gi innspel på sak 24/1187"),
        active_loop="input_form",
    )
    slots = slot_events(await FORM.run(CollectingDispatcher(), tracker, DOMAIN))
    assert slots["input_case"] == "2024/1187"
    assert await next_question(tracker, slots) == "input_text"
    assert "input_text" not in slots  # asking to give input is not the input itself


async def test_case_is_taken_from_the_conversation(input_store) -> None:
    """After reading about a case (`case_in_focus`), 'eg vil seie meininga mi' is about it."""
    tracker = make_tracker(
        "eg vil seie meininga mi",
        slots={"case_in_focus": "2026/411"},
        events=user_then_slots("eg vil seie meininga mi"),
        active_loop="input_form",
    )
    slots = slot_events(await FORM.run(CollectingDispatcher(), tracker, DOMAIN))
    assert slots["input_case"] == "2026/411"
    assert slots["input_case_title"] == "Gratis buss for ungdom under 20 år"
    # Shown in the reader's målform (here the original's): the prompt uses this one.
    assert slots["input_case_title_shown"] == "Gratis buss for ungdom under 20 år"


@pytest.mark.parametrize(
    "text",
    [
        "Jeg vil gjerne gi et innspill",
        "æ har lyst å seie kva eg meiner",
        "kan jeg si hva jeg synes",
    ],
)
async def test_words_that_name_no_case_leave_the_case_talked_about(input_store, text: str) -> None:
    """Words like "gjerne" or "synes" find no case: the case just read about is meant."""
    tracker = make_tracker(
        text,
        slots={"case_in_focus": "2026/411"},
        events=user_then_slots(text),
        active_loop="input_form",
    )
    dispatcher = CollectingDispatcher()
    slots = slot_events(await FORM.run(dispatcher, tracker, DOMAIN))
    assert dispatcher.messages == []  # no "fann inga open sak om det"
    assert slots["input_case"] == "2026/411"  # no "fann inga open sak om det"


async def test_opinion_in_the_first_message_is_kept_as_the_text(input_store) -> None:
    """'vi treng gratis buss for alle under 20 i helgane' is the input itself."""
    text = "vi treng gratis buss for alle under 20 i helgane"
    tracker = make_tracker(
        text,
        slots={"case_in_focus": "2026/411"},
        events=user_then_slots(text),
        active_loop="input_form",
    )
    slots = slot_events(await FORM.run(CollectingDispatcher(), tracker, DOMAIN))
    assert slots["input_text"] == text
    assert await next_question(tracker, slots) == "input_age_group"


@pytest.mark.parametrize(
    ("text", "response"),
    [
        ("😡😡👎", "utter_input_text_no_words"),
        ("ja", "utter_input_text_too_short"),
        ("x" * (MAX_INPUT_CHARS + 5), "utter_input_text_too_long"),
    ],
)
async def test_bad_text_is_explained_and_asked_again(text: str, response: str) -> None:
    """Emoji only, too short and too long text each get their own kind answer."""
    dispatcher = CollectingDispatcher()
    result = await FORM.validate_input_text(text, dispatcher, make_tracker(text), {})
    assert result == {"input_text": None}
    assert dispatcher.messages[0]["response"] == response
    rendered = render(dispatcher.messages[0], {"malform": "nn"})
    if response == "utter_input_text_too_long":
        assert f"{MAX_INPUT_CHARS + 5} teikn lang, men grensa er {MAX_INPUT_CHARS}" in rendered


async def test_html_text_is_kept_as_written() -> None:
    """Markup is kept as plain text (the officer app escapes it)."""
    text = "<script>alert(1)</script> Meir lys på skulevegen!"
    dispatcher = CollectingDispatcher()
    result = await FORM.validate_input_text(text, dispatcher, make_tracker(text), {})
    assert result["input_text"] == text
    assert result["input_idempotency_key"]  # fixed with the text, before "ja"
    assert dispatcher.messages == []


async def test_the_key_is_kept_when_the_text_is_given_again() -> None:
    """A rewound turn sent again keeps the draft's key: one input, stored once."""
    text = "Bussen må gå oftare om kvelden."
    tracker = make_tracker(text, slots={"input_idempotency_key": "k-1"})
    result = await FORM.validate_input_text(text, CollectingDispatcher(), tracker, {})
    assert result == {"input_text": text, "input_idempotency_key": "k-1"}


def test_the_limit_in_the_question_is_the_real_limit() -> None:
    """The question states the same maximum the validation enforces."""
    for variation in DOMAIN["responses"]["utter_ask_input_text"]:
        assert f"maks {MAX_INPUT_CHARS} " in variation["text"]


async def test_under_13_gets_no_contact_questions(input_store) -> None:
    """Age 12: told kindly, consent set to no, and the form skips to the confirmation."""
    dispatcher, slots = await validate(
        "eg er 12",
        {"input_case": "2026/411", "input_text": "Gratis buss!", "input_age_group": "eg er 12"},
        requested="input_age_group",
    )
    assert slots["input_age_group"] == "under 13"
    assert slots["input_contact_consent"] is False
    assert slots["requested_slot"] == "input_confirm"
    assert dispatcher.messages[0]["response"] == "utter_input_contact_under_13"


async def test_declined_contact_skips_the_contact_question(input_store) -> None:
    """No to contact: no address is asked for."""
    _, slots = await validate(
        "nei takk",
        {
            "input_case": "2026/411",
            "input_text": "Gratis buss!",
            "input_age_group": "16-17",
            "input_contact_consent": False,
        },
        requested="input_contact_consent",
        intent="deny",
    )
    assert slots["requested_slot"] == "input_confirm"


async def test_consent_then_contact_is_asked_and_checked(input_store) -> None:
    """Yes to contact asks for it; an invalid address is refused, a valid one normalised."""
    base = {"input_case": "2026/411", "input_text": "Gratis buss!", "input_age_group": "16-17"}
    _, slots = await validate(
        "ja", {**base, "input_contact_consent": True}, requested="input_contact_consent"
    )
    assert slots["requested_slot"] == "input_contact"
    dispatcher, slots = await validate(
        "kari på skulen",
        {**base, "input_contact_consent": True, "input_contact": "kari på skulen"},
        requested="input_contact",
    )
    assert slots["input_contact"] is None
    assert dispatcher.messages[0]["response"] == "utter_input_contact_invalid"
    _, slots = await validate(
        "912 34 567",
        {**base, "input_contact_consent": True, "input_contact": "912 34 567"},
        requested="input_contact",
    )
    assert slots["input_contact"] == "+4791234567"
    assert slots["requested_slot"] == "input_confirm"


async def test_confirm_yes_fixes_an_idempotency_key_and_edit_asks_again() -> None:
    """Yes sets a key (kept on later tries); edit clears the text so it is asked again."""
    tracker = make_tracker("ja", slots={"input_idempotency_key": None})
    yes = await FORM.validate_input_confirm("yes", CollectingDispatcher(), tracker, {})
    assert yes["input_confirm"] == "yes" and len(yes["input_idempotency_key"]) == 32
    again = make_tracker("ja", slots={"input_idempotency_key": "kept"})
    assert (await FORM.validate_input_confirm("yes", CollectingDispatcher(), again, {}))[
        "input_idempotency_key"
    ] == "kept"
    edit = await FORM.validate_input_confirm("edit", CollectingDispatcher(), tracker, {})
    assert edit == {"input_confirm": None, "input_text": None, "input_idempotency_key": None}


async def test_ask_case_lists_open_cases_as_buttons(input_store) -> None:
    """The first question offers the soonest open cases, decided ones never."""
    dispatcher, _ = await run(ActionAskInputCase(), make_tracker("eg vil gi innspel"))
    [message] = dispatcher.messages
    assert message["response"] == "utter_ask_input_case"
    assert message["buttons"][0] == {
        "title": "26/402 Budsjett 2027 og økonomiplan 2027–2030",
        "payload": '/give_input{"case_ref": "2026/402"}',
    }


async def test_ask_case_offers_the_open_cases_of_the_list_just_shown_first(input_store) -> None:
    """ "æ vil si nåkka om det" right after a pick list of two bus cases: the open one of
    those two comes first, then the others."""
    events = [
        {"event": "user", "text": "hva skjer med bussen?"},
        {"event": "action", "name": "action_case_details"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "æ vil si nåkka om det"},
    ]
    tracker = make_tracker(
        "æ vil si nåkka om det",
        slots={"listed_cases": ["2026/411", "2026/340"]},
        events=events,
    )
    dispatcher, _ = await run(ActionAskInputCase(), tracker)
    [message] = dispatcher.messages
    assert message["buttons"][0]["payload"] == '/give_input{"case_ref": "2026/411"}'
    assert len(message["buttons"]) > 1


async def test_ask_case_is_repeated_after_an_interruption(input_store) -> None:
    """After the privacy answer, the form asks again with the list of cases."""
    events = [
        {"event": "user", "text": "kva skjer med dataa mine?"},
        {"event": "action", "name": "action_ask_privacy"},
        {"event": "bot", "text": "Når du sender eit innspel ..."},
    ]
    tracker = make_tracker("kva skjer med dataa mine?", intent="ask_privacy", events=events)
    dispatcher, _ = await run(ActionAskInputCase(), tracker)
    assert dispatcher.messages[0]["response"] == "utter_ask_input_case"


async def test_ask_case_is_silent_after_a_validation_answer(input_store) -> None:
    """When the validation just offered cases, the question does not repeat them."""
    events = [
        {"event": "user", "text": "skatepark"},
        {"event": "bot", "text": "Saka ... er avgjord"},
    ]
    dispatcher, _ = await run(ActionAskInputCase(), make_tracker("skatepark", events=events))
    assert dispatcher.messages == []


@pytest.mark.parametrize("malform", ["nn", "nb"])
async def test_summary_shows_what_will_be_stored(malform: str) -> None:
    """The summary repeats case, text, age group and contact before asking to send."""
    slots = {
        "malform": malform,
        "input_case": "2026/411",
        "input_case_title": "Gratis buss for ungdom under 20 år",
        "input_case_title_shown": "Gratis buss for ungdom under 20 år",
        "input_text": "Bussen er for dyr for oss!",
        "input_age_group": "16-17",
        "input_contact_consent": True,
        "input_contact": "kari@example.no",
    }
    dispatcher, _ = await run(ActionAskInputConfirm(), make_tracker("ja", slots=slots))
    text = transcript(dispatcher, slots)
    assert "Gratis buss for ungdom under 20 år" in text
    assert "Bussen er for dyr for oss!" in text
    assert "16-17" in text and "kari@example.no" in text
    assert ("Skal eg sende" if malform == "nn" else "Skal jeg sende") in text
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_input_summary",
        "utter_input_summary_age",
        "utter_ask_input_confirm",
    ]


@pytest.mark.parametrize(
    ("text", "intent", "taken"),
    [
        ("Bussen er for dyr for oss som bur langt ute", "ask_case_details", True),
        ("kva er fristen for denne saka?", "ask_case_details", False),
        ("kva skjer med dataa mine?", "ask_privacy", False),
        ("avbryt", "stop", False),
        ("Vi treng fleire benkar 🙂", "out_of_scope", True),
    ],
)
async def test_answer_or_interruption_while_asking_for_the_text(
    text: str, intent: str, taken: bool
) -> None:
    """An opinion becomes the text; a command or a short question interrupts instead."""
    tracker = make_tracker(
        text, intent=intent, slots={"requested_slot": "input_text"}, active_loop="input_form"
    )
    extracted = await FORM.extract_input_text(CollectingDispatcher(), tracker, DOMAIN)
    assert extracted == ({"input_text": text} if taken else {})


async def test_address_typed_at_the_consent_question_counts_as_yes(input_store) -> None:
    """Answering "vil du ha svar?" with an e-mail address consents and gives it at once."""
    base = {"input_case": "2026/411", "input_text": "Gratis buss!", "input_age_group": "16-17"}
    _, slots = await validate(
        "kari@example.no", base, requested="input_contact_consent", intent="out_of_scope"
    )
    assert slots["input_contact_consent"] is True
    assert slots["input_contact"] == "kari@example.no"
    assert slots["requested_slot"] == "input_confirm"


async def test_picked_number_fills_the_case(input_store) -> None:
    """After a list, "2" chooses the second case offered."""
    _, slots = await validate(
        "2",
        {"input_case": "2"},
        earlier={"input_case_options": ["2026/402", "2026/411"]},
        requested="input_case",
        intent="inform_age",
    )
    assert slots["input_case"] == "2026/411"
    assert slots["input_case_options"] is None


async def test_case_number_in_the_text_is_used_without_an_entity(input_store) -> None:
    """The case number is read from the text even if NLU found no entity."""
    text = "kan eg seie noko om 2026/411"
    tracker = make_tracker(text, events=user_then_slots(text), active_loop="input_form")
    slots = slot_events(await FORM.run(CollectingDispatcher(), tracker, DOMAIN))
    assert slots["input_case"] == "2026/411"


async def test_address_is_taken_whatever_intent_nlu_saw(input_store) -> None:
    """An e-mail address misread as "stop" still fills the contact instead of stopping."""
    base = {
        "input_case": "2026/411",
        "input_text": "Gratis buss!",
        "input_age_group": "16-17",
        "input_contact_consent": True,
    }
    tracker = make_tracker(
        "ola.nordmann@example.no",
        intent="stop",
        slots={**base, "requested_slot": "input_contact"},
        events=user_then_slots("ola.nordmann@example.no"),
        active_loop="input_form",
    )
    slots = slot_events(await FORM.run(CollectingDispatcher(), tracker, DOMAIN))
    assert slots["input_contact"] == "ola.nordmann@example.no"


@pytest.mark.parametrize("malform", ["nn", "nb"])
@pytest.mark.parametrize("consent", [True, False, None])
def test_exactly_one_summary_variation_fits(malform: str, consent: bool | None) -> None:
    """Rasa chooses at random among fitting variations, so only one may fit each state."""
    slots = {"malform": malform, "input_contact_consent": consent}
    fitting = [
        v
        for v in DOMAIN["responses"]["utter_input_summary"]
        if all(slots.get(c["name"]) == c["value"] for c in v["condition"])
    ]
    assert len(fitting) == 1
    assert ("Kommunen kan svare deg" in fitting[0]["text"]) is (consent is True)


async def test_a_topic_in_the_message_beats_the_case_talked_about_before() -> None:
    """'eg vil klage på bussen' after a school answer is about the bus, not the school."""
    tracker = make_tracker(
        "eg vil klage på bussen",
        entities=[{"entity": "topic", "value": "bussen"}],
        slots={"case_in_focus": "2027/10", "requested_slot": None},
    )
    filled = await ValidateInputForm().extract_input_case(CollectingDispatcher(), tracker, {})
    assert filled == {"input_case": "bussen"}


async def test_without_a_topic_the_case_talked_about_is_used() -> None:
    """'eg vil seie meininga mi' right after a case answer is about that case."""
    tracker = make_tracker(
        "eg vil seie meininga mi", slots={"case_in_focus": "2027/10", "requested_slot": None}
    )
    filled = await ValidateInputForm().extract_input_case(CollectingDispatcher(), tracker, {})
    assert filled == {"input_case": "2027/10"}


@pytest.mark.parametrize(
    ("text", "is_opinion"),
    [
        ("eg vil seie noko om den saka", False),
        ("jeg har noe å si om bussen i helgene", False),
        ("eg vil gje ei tilbakemelding på klimaplanen no", False),
        ("æ vil si nåkka om den saka der", False),
        ("vi treng gratis buss for alle under 20 i helgane", True),
        ("fritidsklubben må vere open lenger på fredagar, det er ingenting å gjere", True),
        ("jeg mener skateparken bør ligge ved skolen og ikke i sentrum", True),
    ],
)
def test_asking_to_give_input_is_not_the_input(text: str, is_opinion: bool) -> None:
    """'Eg vil seie noko om …' starts the form; an actual opinion is kept as the text."""
    assert looks_like_opinion(text) is is_opinion


def _events(*kinds: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for kind in kinds:
        if kind == "user":
            events.append({"event": "user", "text": "x"})
        elif kind == "bot":
            events.append({"event": "bot", "text": "y"})
        else:
            events.append({"event": "action", "name": kind})
    return events


@pytest.mark.parametrize(
    ("kinds", "answered"),
    [
        # The form's validation explained the problem (Rasa's slot extraction in between).
        (("action_listen", "user", "action_extract_slots", "bot"), True),
        # As stored by Rasa when the form starts: its own action event before its replies.
        (("action_listen", "user", "input_form", "bot"), True),
        (("action_listen", "user", "bot"), True),
        # Nothing said yet in this turn: ask.
        (("action_listen", "user", "action_extract_slots"), False),
        # Another action answered (the privacy question), then the form resumes: ask again.
        (("action_listen", "user", "action_extract_slots", "action_ask_privacy", "bot"), False),
        (("action_listen", "user", "action_ask_privacy", "bot", "input_form"), False),
        (("action_listen", "user", "utter_input_not_understood", "bot", "input_form"), False),
    ],
)
def test_the_case_question_is_not_repeated_after_an_explanation(
    kinds: tuple[str, ...], answered: bool
) -> None:
    """'Several cases match: which one?' is not followed by the generic list as well."""
    tracker = make_tracker("x", events=_events(*kinds), active_loop="input_form")
    assert form_already_answered(tracker) is answered


async def test_an_opinion_written_for_the_case_question_is_kept(input_store) -> None:
    """'Kva sak?' answered with the opinion itself: the text is kept, the case is asked."""
    text = "eg synest dette er heilt feil og urettferdig, det må de endre på"
    tracker = make_tracker(
        text,
        intent="give_input",
        slots={"requested_slot": "input_case"},
        events=user_then_slots(text, input_case=text),
        active_loop="input_form",
    )
    dispatcher = CollectingDispatcher()
    slots = slot_events(await FORM.run(dispatcher, tracker, DOMAIN))
    assert slots["input_text"] == text and slots["input_case"] is None
    assert dispatcher.messages[0]["response"] == "utter_input_text_kept"


async def test_emoji_at_the_case_question_asks_kindly_for_words(input_store) -> None:
    """ "🙂🙂" where the form asks which case: it needs a few words, with the open cases."""
    tracker = make_tracker(
        "🙂🙂",
        intent="nlu_fallback",
        slots={"requested_slot": "input_case"},
        events=user_then_slots("🙂🙂", input_case="🙂🙂"),
        active_loop="input_form",
    )
    dispatcher = CollectingDispatcher()
    slots = slot_events(await FORM.run(dispatcher, tracker, DOMAIN))
    assert slots["input_case"] is None
    assert [m["response"] for m in dispatcher.messages] == ["utter_input_case_need_words"]
    assert dispatcher.messages[0]["buttons"], "the open cases are offered"


@pytest.mark.parametrize(
    ("text", "intent", "response"),
    [
        ("ja", "affirm", "utter_input_case_need_words"),
        ("ok", "affirm", "utter_input_case_need_words"),
    ],
)
async def test_a_bare_yes_or_no_at_the_case_question_is_not_searched_for(
    input_store, text: str, intent: str, response: str
) -> None:
    """ "ja" where the form asks which case asks for a few words (not "found no open case
    about that")."""
    tracker = make_tracker(
        text,
        intent=intent,
        slots={"requested_slot": "input_case"},
        events=user_then_slots(text, input_case=text),
        active_loop="input_form",
    )
    dispatcher = CollectingDispatcher()
    slots = slot_events(await FORM.run(dispatcher, tracker, DOMAIN))
    assert slots["input_case"] is None
    assert [m["response"] for m in dispatcher.messages] == [response]


async def test_more_opinion_at_the_age_question_is_added_to_the_input(input_store) -> None:
    """An opinion written where the form asks for the age is kept (added to the text, shown
    before sending), not rejected as an unclear age and lost."""
    text = "Det er helt feil å legge ned skolen, barna får altfor lang skolevei."
    slots = {
        "malform": "nb",
        "requested_slot": "input_age_group",
        "input_case": "2026/421",
        "input_text": "Jeg er imot forslaget.",
    }
    tracker = make_tracker(
        text,
        malform="nb",
        slots=slots,
        events=user_then_slots(text, input_age_group=text),
        active_loop="input_form",
    )
    dispatcher = CollectingDispatcher()
    slots_set = slot_events(await FORM.run(dispatcher, tracker, DOMAIN))
    assert slots_set["input_text"] == f"Jeg er imot forslaget.\n{text}"
    assert slots_set["input_age_group"] is None
    assert [m["response"] for m in dispatcher.messages] == ["utter_input_text_added"]


async def test_a_bare_no_at_the_case_question_asks_whether_to_cancel() -> None:
    slots = {"requested_slot": "input_case"}
    tracker = make_tracker("nei", intent="deny", slots=slots, active_loop="input_form")
    dispatcher, events = await run(ActionInputNotUnderstood(), tracker)
    assert [m["response"] for m in dispatcher.messages] == ["utter_input_confirm_cancel"]
    assert {"event": "active_loop", "name": None} in [
        {"event": e["event"], "name": e.get("name")} for e in events
    ]


async def test_a_change_of_mind_at_the_age_question_asks_whether_to_cancel(input_store) -> None:
    """ "hmm, jeg har ombestemt meg" is not an unclear age: the form asks whether to cancel."""
    text = "hmm, jeg har ombestemt meg"
    tracker = make_tracker(
        text,
        slots={"requested_slot": "input_age_group", "input_case": "2026/411", "input_text": "x"},
        events=user_then_slots(text, input_age_group=text),
        active_loop="input_form",
    )
    dispatcher = CollectingDispatcher()
    slots = slot_events(await FORM.run(dispatcher, tracker, DOMAIN))
    assert slots["input_age_group"] is None
    assert dispatcher.messages[0]["response"] == "utter_input_confirm_cancel"


@pytest.mark.parametrize("malform", ["nn", "nb"])
async def test_regret_in_the_form_pauses_it_and_asks_whether_to_cancel(malform: str) -> None:
    """ "nei vent, eg angrar" is a change of mind: the form pauses, the draft is kept."""
    text = "nei vent, eg angrar" if malform == "nn" else "nei vent, jeg angrer"
    slots = {"malform": malform, "requested_slot": "input_text", "input_case": "2026/411"}
    tracker = make_tracker(text, intent="deny", slots=slots, active_loop="input_form")
    dispatcher, events = await run(ActionInputNotUnderstood(), tracker)
    assert [m["response"] for m in dispatcher.messages] == ["utter_input_confirm_cancel"]
    assert {"event": "active_loop", "name": None} in [
        {"event": e["event"], "name": e.get("name")} for e in events
    ]
    assert not any(e.get("name") == "input_case" for e in events), "the draft is kept"
